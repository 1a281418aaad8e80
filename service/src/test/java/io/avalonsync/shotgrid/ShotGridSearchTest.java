package io.avalonsync.shotgrid;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code _search} request bodies, content types and entity slugs (docs/shotgrid-api.md, Searching). */
class ShotGridSearchTest {

    @Test
    void slugsAreLowerSnakePlurals() {
        assertEquals("shots", ShotGridSearch.slugOf("Shot"));
        assertEquals("event_log_entries", ShotGridSearch.slugOf("EventLogEntry"));
        assertEquals("human_users", ShotGridSearch.slugOf("HumanUser"));
        assertEquals("custom_entity01s", ShotGridSearch.slugOf("CustomEntity01"));
        assertEquals("steps", ShotGridSearch.slugOf("Step"));
    }

    @Test
    void projectPageIsAnArrayFilterSortedByIdWithPagesOf500() {
        ShotGridSearch search = ShotGridSearch.inProject("Task", 70);

        assertEquals("/api/v1/entity/tasks/_search", search.path());
        assertEquals("tasks", search.slug());
        assertEquals("application/vnd+shotgun.api3_array+json", search.contentType());
        Map<String, Object> body = search.next().body();
        assertEquals(List.of(List.of("project", "is", Map.of("type", "Project", "id", 70))), body.get("filters"));
        // the project is in the filter: its link is not read back on every row
        assertEquals(List.of("content", "step", "step.Step.code", "entity", "sg_status_list"), body.get("fields"));
        assertEquals("id", body.get("sort"));
        assertEquals(Map.of("size", 500, "number", 2), body.get("page"));
        assertThrows(IllegalArgumentException.class, () -> search.size(5001));
    }

    @Test
    void orConditionsUseTheHashForm() {
        ShotGridSearch search = ShotGridSearch.of("EventLogEntry").whereAny(List.of(List.of("id", "greater_than", 10),
                List.of("id", "is", 7))).returnOnly("retired");

        assertEquals("application/vnd+shotgun.api3_hash+json", search.contentType());
        assertEquals(Map.of("logical_operator", "and", "conditions", List.of(Map.of("logical_operator", "or",
                "conditions", List.of(List.of("id", "greater_than", 10), List.of("id", "is", 7))))), search.body().get("filters"));
        assertEquals(Map.of("return_only", "retired"), search.body().get("options"));
    }
}
