package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;

/** ShotGrid Episode → a document at the top of the shot tree, with status and tasks. */
public final class ShotGridEpisodeMapper {

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();
    private final ShotGridFields fields;

    public ShotGridEpisodeMapper() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}) */
    public ShotGridEpisodeMapper(ShotGridFields fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> episode, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(episode);
        org.bson.Document attributes = ShotGridShotMapper.status(episode);
        fields.mapping().apply("episode", episode, attributes, problem -> lookups.warn("Episode", episode, problem));
        return new DesiredAsset(key, "Episode", null, ShotGridValues.text(episode, "code"), false, "Episode", "shots",
                attributes, fields.synced("Task") ? tasks.tasksOf(key, lookups) : null, false);
    }
}
