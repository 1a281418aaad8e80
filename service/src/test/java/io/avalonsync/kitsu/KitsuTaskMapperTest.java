package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredTask;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuShotMapperTest.list;
import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Zou task dicts (ids only) → DesiredTask with the type and status names joined from the lookups. */
class KitsuTaskMapperTest {

    private static final String TASK_TYPES = """
            [ { "id": "tt-anim", "type": "TaskType", "name": "Animation", "short_name": "anim", "for_entity": "Shot" },
              { "id": "tt-comp", "type": "TaskType", "name": "Compositing", "short_name": "comp", "for_entity": "Shot" } ]
            """;

    private static final String TASK_STATUSES = """
            [ { "id": "ts-wip", "type": "TaskStatus", "name": "Work In Progress", "short_name": "wip",
                "color": "#3273dc", "is_done": false } ]
            """;

    /** A Zou task, as GET /api/data/projects/{id}/tasks answers. */
    private static final String TASK = """
            { "id": "t-1", "type": "Task", "name": "main", "description": null, "priority": 0, "difficulty": 3,
              "duration": 0.0, "estimation": 0.0, "completion_rate": 0, "retake_count": 0, "sort_order": 0,
              "start_date": null, "due_date": null, "real_start_date": null, "end_date": null, "done_date": null,
              "last_comment_date": null, "nb_assets_ready": 0, "data": null, "nb_drawings": 0, "shotgun_id": null,
              "last_preview_file_id": null, "project_id": "p-1", "task_type_id": "tt-anim",
              "task_status_id": "ts-wip", "entity_id": "s-1", "assigner_id": "u-1", "assignees": ["u-2"],
              "created_at": "2024-01-08T09:12:44", "updated_at": "2024-01-08T09:12:44" }
            """;

    private final KitsuTaskMapper mapper = new KitsuTaskMapper();

    private static KitsuLookups lookups(List<Map<String, Object>> tasks) {
        return new KitsuLookups(object("{\"id\": \"p-1\", \"name\": \"My Show\"}"), list(TASK_TYPES),
                list(TASK_STATUSES), tasks);
    }

    private static Map<String, Object> task(String id, String name, String typeId, String statusId, String entityId) {
        Map<String, Object> task = object(TASK);
        task.put("id", id);
        task.put("name", name);
        task.put("task_type_id", typeId);
        task.put("task_status_id", statusId);
        task.put("entity_id", entityId);
        return task;
    }

    @Test
    void mapsIdNameTypeNameAndStatusName() {
        DesiredTask task = mapper.map(object(TASK), lookups(List.of()));

        assertEquals(new DesiredTask("t-1", "main", "Animation", "Work In Progress"), task);
    }

    @Test
    void anUnknownStatusLeavesTheStatusOut() {
        DesiredTask task = mapper.map(task("t-1", "main", "tt-anim", "ts-gone", "s-1"), lookups(List.of()));

        assertEquals(new DesiredTask("t-1", "main", "Animation", null), task);
    }

    @Test
    void aTaskOfAnUnknownTypeIsNotMapped() {
        assertNull(mapper.map(task("t-1", "main", "tt-gone", "ts-wip", "s-1"), lookups(List.of())));
        assertNull(mapper.map(task("t-1", "main", null, "ts-wip", "s-1"), lookups(List.of())));
    }

    @Test
    void tasksOfAnEntityKeepKitsuOrderSkipUnknownTypesAndOtherEntities() {
        KitsuLookups lookups = lookups(List.of(
                task("t-comp", "main", "tt-comp", "ts-wip", "s-1"),
                task("t-other", "main", "tt-anim", "ts-wip", "s-2"),
                task("t-gone", "main", "tt-gone", "ts-wip", "s-1"),
                task("t-anim", "layout", "tt-anim", null, "s-1")));

        assertEquals(List.of(new DesiredTask("t-comp", "main", "Compositing", "Work In Progress"),
                new DesiredTask("t-anim", "layout", "Animation", null)), mapper.tasksOf("s-1", lookups));
        assertEquals(List.of(), mapper.tasksOf("s-none", lookups));
    }
}
