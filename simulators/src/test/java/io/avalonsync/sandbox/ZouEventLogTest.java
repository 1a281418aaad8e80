package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ApiEvents KitsuData records for each kind of change, named and shaped as Zou v1.0.67 emits them. */
class ZouEventLogTest {

    private KitsuData data;
    private String adminId;
    private String projectId;
    private String assetTypeId;
    private String taskTypeId;
    private String statusId;

    @BeforeEach
    void setUp() {
        data = new KitsuData();
        data.setClock(Clock.fixed(Instant.parse("2024-05-01T10:00:00.750Z"), ZoneOffset.UTC));
        adminId = (String) data.adminPerson().get("id");
        projectId = id(data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080"));
        assetTypeId = id(data.addAssetType("Character", "chr"));
        taskTypeId = id(data.addTaskType("Modeling", "mod", "Asset"));
        statusId = id(data.addTaskStatus("Todo", "todo"));
    }

    @Test
    void constructorRowsMakeNoEvents() {
        assertTrue(new KitsuData().events().isEmpty());
    }

    @Test
    void everyEventHasApiEventFields() {
        Map<String, Object> event = data.events().get(0);
        assertEquals(List.of("id", "created_at", "name", "user_id", "project_id", "data"), keys(event));
        assertNotNull(UUID.fromString((String) event.get("id")));
        assertEquals("2024-05-01T10:00:00", event.get("created_at"), "naive UTC, truncated to the second");
        assertEquals(adminId, event.get("user_id"));
    }

    @Test
    void globalRecordsHaveNoProject() {
        assertEvent(1, "asset-type:new", null, "asset_type_id", assetTypeId);
        assertEvent(2, "task-type:new", null, "task_type_id", taskTypeId);
        assertEvent(3, "task-status:new", null, "task_status_id", statusId);

        data.update(assetTypeId, Map.of("name", "Characters"));
        assertLast("asset-type:update", null, "asset_type_id", assetTypeId);
        data.update(taskTypeId, Map.of("color", "#000000"));
        assertLast("task-type:update", null, "task_type_id", taskTypeId);
        data.update(statusId, Map.of("color", "#000000"));
        assertLast("task-status:update", null, "task_status_id", statusId);
    }

    @Test
    void projectEvents() {
        assertEvent(0, "project:new", projectId, "project_id", projectId);

        data.update(projectId, Map.of("fps", "24"));
        assertLast("project:update", projectId, "project_id", projectId);

        int before = data.events().size();
        data.enableTaskType(projectId, taskTypeId);
        assertEquals(before + 1, data.events().size(), "a settings change is one project update");
        assertLast("project:update", projectId, "project_id", projectId);

        data.closeProject(projectId);
        assertEquals(before + 2, data.events().size());
        assertLast("project:update", projectId, "project_id", projectId);
    }

    @Test
    void assetEvents() {
        String assetId = id(data.addAsset(projectId, assetTypeId, "Boris"));
        assertLast("asset:new", projectId, "asset_id", assetId, "asset_type", assetTypeId, "project_id", projectId);

        data.update(assetId, Map.of("canceled", true));
        assertLast("asset:update", projectId, "asset_id", assetId, "project_id", projectId);

        data.remove(assetId);
        assertLast("asset:delete", projectId, "asset_id", assetId, "project_id", projectId);
    }

    @Test
    void episodeAndSequenceEvents() {
        String episodeId = id(data.addEpisode(projectId, "E01"));
        assertLast("episode:new", projectId, "episode_id", episodeId, "project_id", projectId);
        String sequenceId = id(data.addSequence(projectId, episodeId, "SQ010"));
        assertLast("sequence:new", projectId, "sequence_id", sequenceId, "project_id", projectId);

        data.update(episodeId, Map.of("name", "E01b"));
        assertLast("episode:update", projectId, "episode_id", episodeId, "project_id", projectId);
        data.update(sequenceId, Map.of("name", "SQ011"));
        assertLast("sequence:update", projectId, "sequence_id", sequenceId, "project_id", projectId);

        data.remove(sequenceId);
        assertLast("sequence:delete", projectId, "sequence_id", sequenceId, "project_id", projectId);
        data.remove(episodeId);
        assertLast("episode:delete", projectId, "episode_id", episodeId, "project_id", projectId);
    }

    @Test
    void shotEventsNameTheEpisodeOnlyWhenNew() {
        String episodeId = id(data.addEpisode(projectId, "E01"));
        String sequenceId = id(data.addSequence(projectId, episodeId, "SQ010"));
        String shotId = id(data.addShot(projectId, sequenceId, "SH010", 1001, 1048, "25"));
        assertLast("shot:new", projectId, "shot_id", shotId, "episode_id", episodeId, "project_id", projectId);

        data.update(shotId, Map.of("nb_frames", 60));
        assertLast("shot:update", projectId, "shot_id", shotId, "project_id", projectId);
        data.remove(shotId);
        assertLast("shot:delete", projectId, "shot_id", shotId, "project_id", projectId);

        // a short's sequences hang off the project: the key is there, with null
        String looseSequenceId = id(data.addSequence(projectId, null, "SQ020"));
        String looseShotId = id(data.addShot(projectId, looseSequenceId, "SH010", 1001, 1010, null));
        assertLast("shot:new", projectId, "shot_id", looseShotId, "episode_id", null, "project_id", projectId);
    }

    @Test
    void taskEventsAndTheirCascade() {
        String assetId = id(data.addAsset(projectId, assetTypeId, "Boris"));
        String taskId = id(data.addTask(projectId, assetId, taskTypeId, statusId));
        assertLast("task:new", projectId, "task_id", taskId, "project_id", projectId);

        data.update(taskId, Map.of("task_status_id", statusId));
        assertLast("task:update", projectId, "task_id", taskId, "project_id", projectId);

        data.remove(taskId);
        assertLast("task:delete", projectId, "task_id", taskId, "entity_id", assetId, "task_type_id", taskTypeId,
                "project_id", projectId);

        // removing an entity removes its tasks first, each with its own event
        String otherTaskId = id(data.addTask(projectId, assetId, taskTypeId, statusId));
        int before = data.events().size();
        data.remove(assetId);
        List<Map<String, Object>> events = data.events();
        assertEquals(before + 2, events.size());
        assertEvent(before, "task:delete", projectId, "task_id", otherTaskId, "entity_id", assetId,
                "task_type_id", taskTypeId, "project_id", projectId);
        assertEvent(before + 1, "asset:delete", projectId, "asset_id", assetId, "project_id", projectId);
    }

    @Test
    void removingAProjectIsOneEvent() {
        data.addAsset(projectId, assetTypeId, "Boris");
        int before = data.events().size();
        data.remove(projectId);
        assertEquals(before + 1, data.events().size());
        assertLast("project:delete", projectId, "project_id", projectId);
    }

    @Test
    void recordEventLogsWhatItIsGivenPlusTheProject() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("entity_id", "e1");
        payload.put("preview_file_id", "p1");
        Map<String, Object> recorded = data.recordEvent("preview-file:set-main", payload, projectId);

        assertEquals(data.events().get(data.events().size() - 1), recorded);
        assertLast("preview-file:set-main", projectId,
                "entity_id", "e1", "preview_file_id", "p1", "project_id", projectId);
        payload.put("entity_id", "changed later");
        assertEquals("e1", lastEvent().get("data") instanceof Map<?, ?> d ? d.get("entity_id") : null);

        data.recordEvent("person:update", null, null);
        assertLast("person:update", null);
    }

    @Test
    void eventsAreCopiesInTimeOrder() {
        data.setClock(Clock.fixed(Instant.parse("2024-05-01T10:00:05Z"), ZoneOffset.UTC));
        String assetId = id(data.addAsset(projectId, assetTypeId, "Boris"));
        List<Map<String, Object>> events = data.events();
        Map<String, Object> last = events.get(events.size() - 1);
        assertEquals("2024-05-01T10:00:05", last.get("created_at"));
        assertEquals(data.get(assetId).get("created_at"), last.get("created_at"), "one clock for rows and events");

        events.clear();
        last.put("name", "tampered");
        assertEquals("asset:new", lastEvent().get("name"));
    }

    @Test
    void listenersHearEachChangeAfterItIsStoredAndOutsideTheLock() {
        List<String> heard = new ArrayList<>();
        List<Boolean> lockHeld = new ArrayList<>();
        List<Boolean> visible = new ArrayList<>();
        data.addEventListener(event -> {
            heard.add((String) event.get("name"));
            lockHeld.add(Thread.holdsLock(data));
            // the change is complete when its event is heard: made or gone, as the event says
            Map<?, ?> payload = (Map<?, ?>) event.get("data");
            String assetId = (String) payload.get("asset_id");
            boolean deleted = ((String) event.get("name")).endsWith(":delete");
            visible.add(assetId == null || (data.get(assetId) == null) == deleted);
            // a listener's own copy: changing it changes nothing for others
            event.put("name", "tampered");
        });
        data.addEventListener(event -> heard.add("second " + event.get("name")));
        data.addEventListener(event -> {
            throw new IllegalStateException("a broken listener");
        });

        String assetId = id(data.addAsset(projectId, assetTypeId, "Boris"));
        data.closeProject(projectId);
        data.remove(assetId);

        assertEquals(List.of("asset:new", "second asset:new", "project:update", "second project:update",
                "asset:delete", "second asset:delete"), heard);
        assertEquals(Collections.nCopies(3, false), lockHeld);
        assertEquals(List.of(true, true, true), visible);
    }

    @Test
    void removedListenersHearNothing() {
        List<Object> heard = new ArrayList<>();
        java.util.function.Consumer<Map<String, Object>> listener = heard::add;
        data.addEventListener(listener);
        data.addEpisode(projectId, "E01");
        data.removeEventListener(listener);
        data.addEpisode(projectId, "E02");
        assertEquals(1, heard.size());
    }

    @Test
    void sampleProductionEventsAreRecorded() {
        KitsuData sample = new KitsuData();
        SampleProduction.generate(sample, SampleProduction.Spec.demo());
        Map<String, Integer> counts = new HashMap<>();
        sample.events().forEach(e -> counts.merge((String) e.get("name"), 1, Integer::sum));
        int tasks = 0;
        int shots = 0;
        for (Map<String, Object> project : sample.projects()) {
            tasks += sample.tasks(id(project)).size();
            shots += sample.entities(id(project), KitsuData.SHOT).size();
        }
        assertEquals(2, counts.get("project:new"));
        assertEquals(tasks, counts.get("task:new"));
        assertEquals(shots, counts.get("shot:new"));
        assertNull(counts.get("asset:delete"));
    }

    // ---------------------------------------------------------------- helpers

    private void assertLast(String name, String eventProjectId, Object... payload) {
        assertEvent(data.events().size() - 1, name, eventProjectId, payload);
    }

    /** Name, ApiEvent project_id, and the payload with its exact keys in Zou's order. */
    private void assertEvent(int index, String name, String eventProjectId, Object... payload) {
        Map<String, Object> event = data.events().get(index);
        assertEquals(name, event.get("name"));
        assertEquals(eventProjectId, event.get("project_id"), name + " project_id");
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < payload.length; i += 2) {
            expected.put((String) payload[i], payload[i + 1]);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> actual = (Map<String, Object>) event.get("data");
        assertEquals(expected, actual, name + " payload");
        assertEquals(keys(expected), keys(actual), name + " key order");
    }

    private Map<String, Object> lastEvent() {
        List<Map<String, Object>> events = data.events();
        return events.get(events.size() - 1);
    }

    private static List<String> keys(Map<String, Object> map) {
        return new ArrayList<>(map.keySet());
    }

    private static String id(Map<String, Object> record) {
        assertFalse(record.isEmpty());
        return (String) record.get("id");
    }
}
