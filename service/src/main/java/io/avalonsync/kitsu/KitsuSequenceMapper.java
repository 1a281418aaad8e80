package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;

/** Kitsu sequence → a document under its episode (or at the top), named {@code <episode>_<sequence>}. */
public final class KitsuSequenceMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();

    public DesiredAsset map(Map<String, Object> sequence, KitsuLookups lookups) {
        String id = KitsuValues.text(sequence, "id");
        String episode = KitsuValues.text(sequence, "parent_id");
        return new DesiredAsset(id, "Sequence", episode, KitsuValues.text(sequence, "name"), episode != null,
                "Sequence", "shots", new Document(), tasks.tasksOf(id, lookups), KitsuValues.flag(sequence, "canceled"));
    }
}
