package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;

/** Kitsu episode → a folder document at the top of the shot tree. */
public final class KitsuEpisodeMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();

    public DesiredAsset map(Map<String, Object> episode, KitsuLookups lookups) {
        String id = KitsuValues.text(episode, "id");
        return new DesiredAsset(id, "Episode", null, KitsuValues.text(episode, "name"), false, "Episode", "shots",
                new Document(), tasks.tasksOf(id, lookups), KitsuValues.flag(episode, "canceled"));
    }
}
