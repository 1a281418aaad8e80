package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;

/**
 * ShotGrid Sequence → a document under its {@code episode} when set (at the top otherwise), with status and
 * tasks. ShotGrid codes are usually unique already, so the name is the code; a clash gets the parent's name
 * as prefix (planner rule).
 */
public final class ShotGridSequenceMapper {

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();
    private final ShotGridFields fields;

    public ShotGridSequenceMapper() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}) */
    public ShotGridSequenceMapper(ShotGridFields fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> sequence, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(sequence);
        // without episodes synced, a sequence is at the top of the shot tree
        String episode = fields.synced("Episode") ? ShotGridValues.linkKey(sequence, "episode") : null;
        org.bson.Document attributes = ShotGridShotMapper.status(sequence);
        fields.mapping().apply("sequence", sequence, attributes, problem -> lookups.warn("Sequence", sequence, problem));
        return new DesiredAsset(key, "Sequence", episode, ShotGridValues.text(sequence, "code"), false, "Sequence",
                "shots", attributes, fields.synced("Task") ? tasks.tasksOf(key, lookups) : null, false);
    }
}
