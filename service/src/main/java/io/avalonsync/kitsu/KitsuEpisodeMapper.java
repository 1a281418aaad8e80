package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.fields.FieldMapping;
import org.bson.Document;

/** Kitsu episode → a folder document at the top of the shot tree. */
public final class KitsuEpisodeMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();
    private final FieldMapping fields;

    public KitsuEpisodeMapper() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}) */
    public KitsuEpisodeMapper(FieldMapping fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> episode, KitsuLookups lookups) {
        String id = KitsuValues.text(episode, "id");
        Document attributes = new Document();
        fields.apply("episode", episode, attributes, problem -> lookups.warn("Episode", episode, problem));
        return new DesiredAsset(id, "Episode", null, KitsuValues.text(episode, "name"), false, "Episode", "shots",
                attributes, tasks.tasksOf(id, lookups), KitsuValues.flag(episode, "canceled"),
                KitsuValues.record(episode, "episodes"));
    }
}
