package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredTask;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuShotMapperTest.list;
import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zou episode dict → a folder document at the top of the shot tree. */
class KitsuEpisodeMapperTest {

    /** As Zou answers GET /api/data/projects/{id}/episodes. */
    private static final String EPISODE = """
            { "id": "e-01", "type": "Episode", "name": "E01", "code": null, "description": null, "canceled": false,
              "nb_frames": null, "status": "running", "project_id": "p-1", "entity_type_id": "et-episode",
              "parent_id": null, "source_id": null, "data": null, "created_at": "2024-01-08T09:12:44",
              "updated_at": "2024-01-08T09:12:44" }
            """;

    private final KitsuEpisodeMapper mapper = new KitsuEpisodeMapper();

    private static KitsuLookups lookups() {
        return new KitsuLookups(object("{\"id\": \"p-1\", \"name\": \"My Show\"}"),
                list("[{\"id\": \"tt-edit\", \"name\": \"Edit\", \"short_name\": \"edt\", \"for_entity\": \"Episode\"}]"),
                list("[{\"id\": \"ts-todo\", \"name\": \"Todo\", \"short_name\": \"todo\"}]"),
                list("[{\"id\": \"t-edit\", \"name\": \"main\", \"entity_id\": \"e-01\", \"task_type_id\": \"tt-edit\","
                        + " \"task_status_id\": \"ts-todo\"}]"));
    }

    @Test
    void mapsToATopLevelEpisodeWithItsTasks() {
        DesiredAsset episode = mapper.map(object(EPISODE), lookups());

        assertEquals(new DesiredAsset("e-01", "Episode", null, "E01", false, "Episode", "shots", new Document(),
                List.of(new DesiredTask("t-edit", "main", "Edit", "Todo")), false,
                // the fields a full sync reads of an episode, kept for OpenPype's layout (data.zou)
                Map.of("id", "e-01", "type", "Episode", "name", "E01", "canceled", false, "project_id", "p-1")), episode);
    }

    @Test
    void aCanceledEpisodeIsRetired() {
        Map<String, Object> episode = object(EPISODE);
        episode.put("canceled", true);

        assertTrue(mapper.map(episode, lookups()).retired());
    }
}
