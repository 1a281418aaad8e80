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

/** Zou asset dict → an asset document under its asset type, with its tasks. */
class KitsuAssetMapperTest {

    /** As Zou answers GET /api/data/projects/{id}/assets (plain: no asset_type_name). */
    private static final String HERO = """
            { "id": "a-hero", "type": "Asset", "name": "Hero", "code": null, "description": "Main character",
              "shotgun_id": null, "canceled": false, "nb_frames": null, "nb_entities_out": 3,
              "is_casting_standby": false, "is_shared": false, "status": "running", "project_id": "p-1",
              "entity_type_id": "at-chr", "parent_id": null, "source_id": "e-01", "preview_file_id": null,
              "data": {"difficulty": "hard"}, "ready_for": null, "created_by": "u-1",
              "created_at": "2024-01-08T09:12:44", "updated_at": "2024-01-08T09:12:44" }
            """;

    private static final String TASK_TYPES = """
            [ { "id": "tt-mdl", "type": "TaskType", "name": "Modeling", "short_name": "mdl", "for_entity": "Asset" },
              { "id": "tt-rig", "type": "TaskType", "name": "Rigging", "short_name": "rig", "for_entity": "Asset" } ]
            """;

    private static final String TASK_STATUSES = """
            [ { "id": "ts-todo", "type": "TaskStatus", "name": "Todo", "short_name": "todo" },
              { "id": "ts-done", "type": "TaskStatus", "name": "Done", "short_name": "done" } ]
            """;

    private static final String TASKS = """
            [ { "id": "t-mdl", "type": "Task", "name": "main", "entity_id": "a-hero", "task_type_id": "tt-mdl",
                "task_status_id": "ts-done" },
              { "id": "t-rig", "type": "Task", "name": "main", "entity_id": "a-hero", "task_type_id": "tt-rig",
                "task_status_id": "ts-todo" },
              { "id": "t-x", "type": "Task", "name": "main", "entity_id": "a-hero", "task_type_id": "tt-unknown",
                "task_status_id": "ts-todo" } ]
            """;

    private final KitsuAssetMapper mapper = new KitsuAssetMapper();

    private static KitsuLookups lookups() {
        return new KitsuLookups(object("{\"id\": \"p-1\", \"name\": \"My Show\", \"fps\": \"25\"}"),
                list(TASK_TYPES), list(TASK_STATUSES), list(TASKS));
    }

    @Test
    void mapsEveryFieldWithTheAssetTypeAsParent() {
        DesiredAsset hero = mapper.map(object(HERO), lookups());

        // no frame or fps attributes for assets, and Kitsu's free data (difficulty) is not copied
        assertEquals(new DesiredAsset("a-hero", "Asset", "at-chr", "Hero", false, "Asset", "assets", new Document(),
                List.of(new DesiredTask("t-mdl", "main", "Modeling", "Done"),
                        new DesiredTask("t-rig", "main", "Rigging", "Todo")), false,
                // the fields a full sync reads of an asset, kept for OpenPype's layout (data.zou)
                Map.of("id", "a-hero", "type", "Asset", "name", "Hero", "canceled", false, "project_id", "p-1",
                        "entity_type_id", "at-chr")), hero);
    }

    @Test
    void aCanceledAssetIsRetired() {
        Map<String, Object> asset = object(HERO);
        asset.put("canceled", true);

        assertTrue(mapper.map(asset, lookups()).retired());
    }

    @Test
    void aCanceledFlagAsTextIsRetiredToo() {
        Map<String, Object> asset = object(HERO);
        asset.put("canceled", "True");

        assertTrue(mapper.map(asset, lookups()).retired());
    }

    @Test
    void anAssetWithoutTasksHasAnEmptyTaskListNotNull() {
        Map<String, Object> asset = object(HERO);
        asset.put("id", "a-other");

        // an empty list (not null) tells the planner Kitsu manages this asset's tasks: old ones are removed
        assertEquals(List.of(), mapper.map(asset, lookups()).tasks());
    }
}
