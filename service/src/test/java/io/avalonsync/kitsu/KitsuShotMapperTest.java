package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredTask;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zou shot dicts → DesiredAsset; values arrive as numbers or strings. */
class KitsuShotMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PROJECT = """
            { "id": "p-1", "type": "Project", "name": "My Show", "code": "ms", "description": null,
              "fps": "25", "ratio": "16:9", "resolution": "1920x1080", "production_type": "tvshow",
              "project_status_id": "ps-open", "project_status_name": "Open" }
            """;

    private static final String SHOT = """
            { "id": "s-020", "type": "Shot", "name": "SH020", "code": null, "description": "",
              "canceled": false, "nb_frames": 100, "nb_entities_out": 2, "status": "running",
              "project_id": "p-1", "entity_type_id": "et-shot", "parent_id": "q-010", "source_id": null,
              "preview_file_id": null, "ready_for": null,
              "data": { "frame_in": 1001, "frame_out": 1100, "fps": "25" },
              "created_at": "2024-01-08T09:12:44", "updated_at": "2024-03-02T17:01:09" }
            """;

    private static final String TASK_TYPES = """
            [ { "id": "tt-anim", "type": "TaskType", "name": "Animation", "short_name": "anim", "for_entity": "Shot" },
              { "id": "tt-comp", "type": "TaskType", "name": "Compositing", "short_name": "comp", "for_entity": "Shot" } ]
            """;

    private static final String TASK_STATUSES = """
            [ { "id": "ts-wip", "type": "TaskStatus", "name": "Work In Progress", "short_name": "wip" },
              { "id": "ts-todo", "type": "TaskStatus", "name": "Todo", "short_name": "todo" } ]
            """;

    private static final String TASKS = """
            [ { "id": "t-anim", "type": "Task", "name": "main", "entity_id": "s-020",
                "task_type_id": "tt-anim", "task_status_id": "ts-wip", "assignees": [] },
              { "id": "t-comp", "type": "Task", "name": "main", "entity_id": "s-020",
                "task_type_id": "tt-comp", "task_status_id": "ts-todo", "assignees": [] },
              { "id": "t-ghost", "type": "Task", "name": "main", "entity_id": "s-020",
                "task_type_id": "tt-deleted", "task_status_id": "ts-todo", "assignees": [] },
              { "id": "t-other", "type": "Task", "name": "main", "entity_id": "s-999",
                "task_type_id": "tt-anim", "task_status_id": "ts-todo", "assignees": [] } ]
            """;

    private final KitsuShotMapper mapper = new KitsuShotMapper();

    static Map<String, Object> object(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static List<Map<String, Object>> list(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static KitsuLookups lookups(Map<String, Object> project) {
        return new KitsuLookups(project, list(TASK_TYPES), list(TASK_STATUSES), list(TASKS));
    }

    private static KitsuLookups lookups() {
        return lookups(object(PROJECT));
    }

    /** The §2.6 shot with its {@code data} replaced (JSON text, may be "null") and nb_frames set. */
    private static Map<String, Object> shot(String dataJson, Object nbFrames) {
        Map<String, Object> shot = object(SHOT);
        shot.put("data", dataJson.equals("null") ? null : object(dataJson));
        shot.put("nb_frames", nbFrames);
        return shot;
    }

    private Document attributes(String dataJson, Object nbFrames) {
        return mapper.map(shot(dataJson, nbFrames), lookups()).attributes();
    }

    // ---------------------------------------------------------------- identity and tree

    @Test
    void mapsIdentityNameParentAndPlacement() {
        DesiredAsset shot = mapper.map(object(SHOT), lookups());

        assertEquals("s-020", shot.trackerId());
        assertEquals("Shot", shot.trackerType());
        assertEquals("q-010", shot.parentTrackerId());
        assertEquals("SH020", shot.label());
        // shot names are composed as <sequence doc name>_<shot> (same shot name in two sequences)
        assertTrue(shot.prefixParentName());
        assertEquals("Shot", shot.entityType());
        assertEquals("shots", shot.silo());
        assertFalse(shot.retired());
    }

    @Test
    void aCanceledShotIsRetired() {
        Map<String, Object> shot = object(SHOT);
        shot.put("canceled", true);

        assertTrue(mapper.map(shot, lookups()).retired());
    }

    @Test
    void tasksCarryTypeAndStatusNamesAndUnknownTypesAreSkipped() {
        DesiredAsset shot = mapper.map(object(SHOT), lookups());

        // t-ghost has a task type Kitsu no longer lists; t-other belongs to another shot
        assertEquals(List.of(new DesiredTask("t-anim", "main", "Animation", "Work In Progress"),
                new DesiredTask("t-comp", "main", "Compositing", "Todo")), shot.tasks());
    }

    @Test
    void aShotWithoutTasksHasAnEmptyTaskList() {
        Map<String, Object> shot = object(SHOT);
        shot.put("id", "s-no-tasks");

        assertEquals(List.of(), mapper.map(shot, lookups()).tasks());
    }

    // ---------------------------------------------------------------- frame range

    @Test
    void frameNumbersGiveIntegerFramesAndTheShotFpsADouble() {
        Document attributes = attributes("{\"frame_in\": 1001, \"frame_out\": 1100, \"fps\": \"25\"}", 100);

        assertEquals(new Document("frameStart", 1001).append("frameEnd", 1100).append("fps", 25.0)
                .append("resolutionWidth", 1920).append("resolutionHeight", 1080), attributes);
        assertInstanceOf(Integer.class, attributes.get("frameStart"));
        assertInstanceOf(Integer.class, attributes.get("frameEnd"));
        assertInstanceOf(Double.class, attributes.get("fps"));
        assertInstanceOf(Integer.class, attributes.get("resolutionWidth"));
        assertInstanceOf(Integer.class, attributes.get("resolutionHeight"));
    }

    @Test
    void frameStringsGiveIntegerFrames() {
        Document attributes = attributes("{\"frame_in\": \"1001\", \"frame_out\": \" 1100 \"}", null);

        assertEquals(Integer.valueOf(1001), attributes.get("frameStart"));
        assertEquals(Integer.valueOf(1100), attributes.get("frameEnd"));
    }

    @Test
    void wholeDecimalFramesAreIntegers() {
        Document attributes = attributes("{\"frame_in\": 1001.0, \"frame_out\": \"1100.0\"}", null);

        assertEquals(Integer.valueOf(1001), attributes.get("frameStart"));
        assertEquals(Integer.valueOf(1100), attributes.get("frameEnd"));
    }

    @Test
    void frameEndIsFrameInPlusNbFramesMinusOneWhenFrameOutIsMissing() {
        assertEquals(Integer.valueOf(1048), attributes("{\"frame_in\": 1001}", 48).get("frameEnd"));
        assertEquals(Integer.valueOf(1048), attributes("{\"frame_in\": \"1001\", \"frame_out\": null}", 48).get("frameEnd"));
        assertEquals(Integer.valueOf(1048), attributes("{\"frame_in\": 1001, \"frame_out\": \"\"}", "48").get("frameEnd"));
    }

    @Test
    void frameOutWinsOverNbFrames() {
        assertEquals(Integer.valueOf(1100), attributes("{\"frame_in\": 1001, \"frame_out\": 1100}", 48).get("frameEnd"));
    }

    @Test
    void onlyFrameStartWithoutFrameOutOrFrameCount() {
        Document attributes = attributes("{\"frame_in\": 1001}", null);

        assertEquals(Integer.valueOf(1001), attributes.get("frameStart"));
        assertFalse(attributes.containsKey("frameEnd"));
        assertFalse(attributes("{\"frame_in\": 1001}", 0).containsKey("frameEnd"));
    }

    @Test
    void anUnreadableFrameOutFallsBackToNbFrames() {
        assertEquals(Integer.valueOf(1048), attributes("{\"frame_in\": 1001, \"frame_out\": \"abc\"}", 48).get("frameEnd"));
        assertFalse(attributes("{\"frame_in\": 1001, \"frame_out\": \"abc\"}", null).containsKey("frameEnd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"frame_in\": \"abc\", \"frame_out\": 1100}",
        "{\"frame_in\": \"23,976\", \"frame_out\": 1100}",
        "{\"frame_in\": \"1001.5\", \"frame_out\": 1100}",
        "{\"frame_in\": 1100, \"frame_out\": 1001}",
        "{\"frame_in\": \"1100\", \"frame_out\": \"1001\"}",
        "{\"frame_out\": 1100}",
        "{\"frame_in\": [1001], \"frame_out\": 1100}",
        "{\"frame_in\": \"\", \"frame_out\": 1100}",
        "{}",
        "null"})
    void anInvalidFrameRangeIsSkippedWithoutAnException(String data) {
        Document attributes = attributes(data, 100);

        // the shot is still synced, with fps and resolution, just without a frame range
        assertFalse(attributes.containsKey("frameStart"), attributes.toJson());
        assertFalse(attributes.containsKey("frameEnd"), attributes.toJson());
        assertEquals(25.0, attributes.get("fps"));
        assertEquals(1920, attributes.get("resolutionWidth"));
    }

    @Test
    void aFrameNumberBeyondInt32IsSkippedNotClamped() {
        Document attributes = attributes("{\"frame_in\": \"99999999999\", \"frame_out\": \"99999999999\"}", null);

        assertFalse(attributes.containsKey("frameStart"), attributes.toJson());
        assertFalse(attributes.containsKey("frameEnd"), attributes.toJson());
    }

    // ---------------------------------------------------------------- fps and resolution

    @Test
    void shotFpsAsStringOrNumberIsADouble() {
        assertEquals(24.0, attributes("{\"fps\": \"24\"}", null).get("fps"));
        assertEquals(23.976, attributes("{\"fps\": \"23.976\"}", null).get("fps"));
        assertEquals(23.976, attributes("{\"fps\": 23.976}", null).get("fps"));
        assertEquals(24.0, attributes("{\"fps\": 24}", null).get("fps"));
        assertInstanceOf(Double.class, attributes("{\"fps\": 24}", null).get("fps"));
    }

    @Test
    void aDecimalCommaInFpsIsReadAsTheDecimalPoint() {
        // KitsuValues.decimal reads "23,976" as 23.976 (European input in the Kitsu UI), it is not skipped
        assertEquals(23.976, attributes("{\"fps\": \"23,976\"}", null).get("fps"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"fps\": \"abc\"}", "{\"fps\": \"\"}", "{\"fps\": \"0\"}", "{\"fps\": -24}",
        "{\"fps\": null}", "{\"fps\": \"NaN\"}", "null"})
    void shotFpsFallsBackToTheProjectFps(String data) {
        assertEquals(25.0, attributes(data, null).get("fps"));
    }

    @Test
    void noFpsAtAllWhenNeitherShotNorProjectHasAUsableOne() {
        Map<String, Object> project = object(PROJECT);
        project.put("fps", "abc");

        Document attributes = mapper.map(shot("{\"fps\": \"x\"}", null), lookups(project)).attributes();

        assertFalse(attributes.containsKey("fps"), attributes.toJson());
    }

    @Test
    void shotResolutionWinsOverTheProjectsAndFallsBackToIt() {
        Document own = attributes("{\"resolution\": \"2048x858\"}", null);
        assertEquals(2048, own.get("resolutionWidth"));
        assertEquals(858, own.get("resolutionHeight"));

        for (String data : List.of("{}", "{\"resolution\": \"1920x\"}", "{\"resolution\": \"abc\"}")) {
            Document fallback = attributes(data, null);
            assertEquals(1920, fallback.get("resolutionWidth"), data);
            assertEquals(1080, fallback.get("resolutionHeight"), data);
        }
    }

    @Test
    void noResolutionWhenTheProjectsIsInvalidToo() {
        Map<String, Object> project = object(PROJECT);
        project.put("resolution", "1920x");

        Document attributes = mapper.map(shot("{}", null), lookups(project)).attributes();

        assertFalse(attributes.containsKey("resolutionWidth"));
        assertFalse(attributes.containsKey("resolutionHeight"));
        assertEquals(Map.of("fps", 25.0), attributes);
    }

    @Test
    void customDescriptorDataIsNotCopied() {
        Document attributes = attributes("{\"frame_in\": 1, \"frame_out\": 2, \"difficulty\": \"hard\"}", null);

        assertEquals(java.util.Set.of("frameStart", "frameEnd", "fps", "resolutionWidth", "resolutionHeight"),
                attributes.keySet());
    }
}
