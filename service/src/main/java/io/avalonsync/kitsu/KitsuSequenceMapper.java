package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.fields.FieldMapping;
import org.bson.Document;

/** Kitsu sequence → a document under its episode (or at the top), named {@code <episode>_<sequence>}. */
public final class KitsuSequenceMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();
    private final FieldMapping fields;

    public KitsuSequenceMapper() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}) */
    public KitsuSequenceMapper(FieldMapping fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> sequence, KitsuLookups lookups) {
        String id = KitsuValues.text(sequence, "id");
        String episode = KitsuValues.text(sequence, "parent_id");
        Document attributes = new Document();
        fields.apply("sequence", sequence, attributes, problem -> lookups.warn("Sequence", sequence, problem));
        return new DesiredAsset(id, "Sequence", episode, KitsuValues.text(sequence, "name"), episode != null,
                "Sequence", "shots", attributes, tasks.tasksOf(id, lookups), KitsuValues.flag(sequence, "canceled"),
                KitsuValues.record(sequence, "sequences"));
    }
}
