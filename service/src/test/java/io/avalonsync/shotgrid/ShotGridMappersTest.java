package io.avalonsync.shotgrid;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredTask;
import io.avalonsync.avalon.TaskType;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mapper, from REST answers shaped exactly like ShotGrid's (docs/shotgrid-api.md, Records). */
class ShotGridMappersTest {

    static final String SHOT = """
            {"data": {
              "type": "Shot",
              "attributes": {"code": "sq010_sh0010", "description": "Hero enters the hangar",
                             "sg_status_list": "ip", "sg_cut_in": 1001, "sg_cut_out": 1096,
                             "sg_head_in": 993, "sg_tail_out": 1104, "sg_cut_duration": 96, "sg_ayon_id": null},
              "relationships": {
                "sg_sequence": {"data": {"id": 45, "name": "sq010", "type": "Sequence"},
                                "links": {"self": "/api/v1/entity/shots/1234/relationships/sg_sequence",
                                          "related": "/api/v1/entity/sequences/45"}},
                "project": {"data": {"id": 70, "name": "demo_show", "type": "Project"},
                            "links": {"self": "/api/v1/entity/shots/1234/relationships/project",
                                      "related": "/api/v1/entity/projects/70"}}},
              "id": 1234,
              "links": {"self": "/api/v1/entity/shots/1234"}}}
            """;

    static final String TASKS = """
            {"data": [
              {"type": "Task", "id": 8576,
               "attributes": {"content": "comp", "sg_status_list": "wtg", "start_date": "2026-01-05", "due_date": "2026-01-09"},
               "relationships": {
                 "entity": {"data": {"id": 1234, "name": "sq010_sh0010", "type": "Shot"},
                            "links": {"related": "/api/v1/entity/shots/1234"}},
                 "step": {"data": {"id": 8, "name": "Comp", "type": "Step"},
                          "links": {"related": "/api/v1/entity/steps/8"}},
                 "task_assignees": {"data": [{"id": 88, "name": "Jane Doe", "type": "HumanUser"}],
                                    "links": {"related": "..."}}},
               "links": {"self": "/api/v1/entity/tasks/8576"}}],
             "links": {"self": "/api/v1/entity/tasks/_search", "next": "/api/v1/entity/tasks/_search?page%5Bnumber%5D=2"}}
            """;

    /** The record of a single-record answer ({@code GET /api/v1/entity/shots/1234}), flattened like a page's. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> one(String json) {
        try {
            return ShotGridPage.flatten((Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(json, Map.class).get("data"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> list(String json) {
        return ShotGridPage.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 500, "test").records();
    }

    /** A {@code _search} page of rows {@code {type, id, attributes, relationships}}. */
    static String page(String... rows) {
        return "{\"data\": [" + String.join(",", rows) + "], \"links\": {\"self\": \"/x\", \"next\": \"/x?page%5Bnumber%5D=2\"}}";
    }

    static String row(String type, int id, String attributes, String relationships) {
        return "{\"type\": \"" + type + "\", \"id\": " + id + ", \"attributes\": " + attributes
                + ", \"relationships\": " + relationships + ", \"links\": {\"self\": \"/api/v1/entity/x/" + id + "\"}}";
    }

    static String rel(String field, String type, int id, String name) {
        return "\"" + field + "\": {\"data\": {\"id\": " + id + ", \"name\": \"" + name + "\", \"type\": \"" + type
                + "\"}, \"links\": {\"related\": \"/x\"}}";
    }

    private static ShotGridLookups lookups(List<Map<String, Object>> tasks) {
        return new ShotGridLookups(Map.of("id", 70, "type", "Project", "name", "demo_show"), tasks);
    }

    @Test
    void pageFlattensAttributesAndRelationshipDataAndDropsLinks() {
        Map<String, Object> shot = one(SHOT);

        assertEquals(1234, shot.get("id"));
        assertEquals("Shot", shot.get("type"));
        assertEquals("sq010_sh0010", shot.get("code"));
        assertEquals(Map.of("id", 45, "name", "sq010", "type", "Sequence"), shot.get("sg_sequence"));
        assertFalse(shot.containsKey("links"));
        assertFalse(shot.containsKey("relationships"));
        Map<String, Object> task = list(TASKS).get(0);
        assertEquals(List.of(Map.of("id", 88, "name", "Jane Doe", "type", "HumanUser")), task.get("task_assignees"));
    }

    @Test
    void shotUnderItsSequenceWithCutFramesHandlesStatusAndTasks() {
        DesiredAsset shot = new ShotGridShotMapper().map(one(SHOT), lookups(list(TASKS)));

        assertEquals("Shot:1234", shot.trackerId());
        assertEquals("Sequence:45", shot.parentTrackerId());
        assertEquals("sq010_sh0010", shot.label());
        assertFalse(shot.prefixParentName());
        assertEquals(new Document("status", "ip").append("clipIn", 1001).append("clipOut", 1096)
                .append("frameStart", 1001).append("frameEnd", 1096).append("handleStart", 8).append("handleEnd", 8),
                shot.attributes());
        assertEquals(List.of(new DesiredTask("8576", "comp", "Comp", "wtg", "comp")), shot.tasks());
    }

    @Test
    void shotHandlesOnlyWhenBothEndsAreSetAndSiteFrameFieldsWin() {
        Map<String, Object> shot = list(page(row("Shot", 7, """
                {"code": "sh7", "sg_cut_in": 1001, "sg_cut_out": 1050, "sg_head_in": null, "sg_tail_out": 1060,
                 "sg_frame_start": 993, "sg_frame_end": "1058", "sg_frame_rate": "23.976"}""", "{}"))).get(0);

        Document attributes = new ShotGridShotMapper().map(shot, lookups(List.of())).attributes();

        assertNull(attributes.get("handleStart"));
        assertEquals(10, attributes.get("handleEnd"));
        assertEquals(993, attributes.get("frameStart"));
        assertEquals(1058, attributes.get("frameEnd"));
        assertEquals(1001, attributes.get("clipIn"));
        assertEquals(23.976, attributes.get("fps"));
        assertNull(new ShotGridShotMapper().map(shot, lookups(List.of())).parentTrackerId(), "no sequence: top of tree");
    }

    @Test
    void shotWithCutOutBeforeCutInSyncsNoFrameRange() {
        Map<String, Object> shot = list(page(row("Shot", 8, "{\"code\": \"sh8\", \"sg_cut_in\": 1050, \"sg_cut_out\": 1001}",
                "{}"))).get(0);

        Document attributes = new ShotGridShotMapper().map(shot, lookups(List.of())).attributes();

        assertFalse(attributes.containsKey("frameStart"));
        assertFalse(attributes.containsKey("clipIn"));
    }

    @Test
    void assetUnderItsSyntheticAssetTypeGroup() {
        Map<String, Object> asset = list(page(row("Asset", 1234, "{\"code\": \"Bruce\", \"sg_asset_type\": \"Character\", "
                + "\"sg_status_list\": \"ip\"}", "{" + rel("project", "Project", 70, "demo_show") + "}"))).get(0);

        DesiredAsset mapped = new ShotGridAssetMapper().map(asset, lookups(List.of()));
        DesiredAsset group = new ShotGridAssetMapper().category("Character");

        assertEquals("Asset:1234", mapped.trackerId(), "type-aware: not the same key as Shot 1234");
        assertEquals("AssetCategory:character", mapped.parentTrackerId());
        assertEquals(new Document("status", "ip"), mapped.attributes());
        assertEquals(List.of(), mapped.tasks());
        assertEquals(new DesiredAsset("AssetCategory:character", "AssetCategory", null, "Character", false, "Folder",
                "assets", new Document(), null, false), group);
        assertEquals(new Document("shotgridKey", "AssetCategory:character").append("shotgridId", "character")
                .append("shotgridType", "AssetCategory"), ShotGridIdentity.INSTANCE.assetIdentity(group.trackerId(), group.trackerType()));
    }

    @Test
    void assetWithoutTypeSitsAtTheTop() {
        Map<String, Object> asset = list(page(row("Asset", 5, "{\"code\": \"Tree\", \"sg_asset_type\": null}", "{}"))).get(0);

        assertNull(new ShotGridAssetMapper().map(asset, lookups(List.of())).parentTrackerId());
    }

    @Test
    void sequenceUnderItsEpisodeWhenSetAndEpisodeAtTheTop() {
        List<Map<String, Object>> records = list(page(
                row("Sequence", 45, "{\"code\": \"sq010\", \"sg_status_list\": \"wtg\"}", "{" + rel("episode", "Episode", 3, "ep01") + "}"),
                row("Sequence", 46, "{\"code\": \"sq020\"}", "{\"episode\": {\"data\": null}}"),
                row("Episode", 3, "{\"code\": \"ep01\"}", "{}")));

        DesiredAsset sq010 = new ShotGridSequenceMapper().map(records.get(0), lookups(List.of()));
        assertEquals("Episode:3", sq010.parentTrackerId());
        assertEquals(new Document("status", "wtg"), sq010.attributes());
        assertNull(new ShotGridSequenceMapper().map(records.get(1), lookups(List.of())).parentTrackerId());
        DesiredAsset episode = new ShotGridEpisodeMapper().map(records.get(2), lookups(List.of()));
        assertEquals(new DesiredAsset("Episode:3", "Episode", null, "ep01", false, "Episode", "shots", new Document(),
                List.of(), false), episode);
    }

    @Test
    void tasksKeyedByContentTypedByStepDuplicatesGetTheirIdNoStepIsGeneric() {
        List<Map<String, Object>> tasks = list(page(
                row("Task", 12, "{\"content\": \"anim\", \"step.Step.code\": \"Animation\"}",
                        "{" + rel("entity", "Shot", 1, "sh1") + "," + rel("step", "Step", 5, "Anim display") + "}"),
                row("Task", 10, "{\"content\": \"Anim\", \"sg_status_list\": \"ip\"}",
                        "{" + rel("entity", "Shot", 1, "sh1") + "," + rel("step", "Step", 5, "Animation") + "}"),
                row("Task", 11, "{\"content\": \"todo\"}", "{" + rel("entity", "Shot", 1, "sh1") + ", \"step\": {\"data\": null}}"),
                row("Task", 13, "{\"content\": \"other\"}", "{" + rel("entity", "Shot", 2, "sh2") + "}")));

        List<DesiredTask> mapped = new ShotGridTaskMapper().tasksOf("Shot:1", lookups(tasks));

        assertEquals(List.of(new DesiredTask("10", "Anim", "Animation", "ip", "Anim"),
                new DesiredTask("11", "todo", "Generic", null, "todo"),
                new DesiredTask("12", "anim", "Animation", null, "anim_12")), mapped);
    }

    @Test
    void projectAttributesAndStepsAsTaskTypesAddingStepsTasksUse() {
        Map<String, Object> project = list(page(row("Project", 70, "{\"name\": \"demo_show\", \"code\": \"demo\", \"archived\": false}",
                "{}"))).get(0);
        List<Map<String, Object>> steps = list(page(
                row("Step", 8, "{\"code\": \"Comp\", \"short_name\": \"comp\", \"entity_type\": \"Shot\"}", "{}"),
                row("Step", 9, "{\"code\": \"Model\", \"short_name\": \"mdl\", \"entity_type\": \"Asset\"}", "{}"),
                row("Step", 10, "{\"code\": \"Edit\", \"short_name\": \"edt\", \"entity_type\": \"Version\"}", "{}")));
        List<Map<String, Object>> tasks = list(page(
                row("Task", 1, "{\"content\": \"x\", \"step.Step.code\": \"Layout\"}", "{}"),
                row("Task", 2, "{\"content\": \"y\"}", "{}"),
                row("Task", 3, "{\"content\": \"z\", \"step.Step.code\": \"comp\"}", "{}")));

        ShotGridProjectMapper mapper = new ShotGridProjectMapper();

        assertEquals("Project:70", mapper.trackerId(project));
        assertEquals("demo_show", mapper.label(project));
        assertEquals(new Document("code", "demo").append("active", true), mapper.attributes(project));
        assertEquals(List.of(new TaskType("Comp", "comp"), new TaskType("Model", "mdl"), new TaskType("Layout", null),
                new TaskType("Generic", null)), mapper.taskTypes(steps, tasks, lookups(tasks)));
        assertEquals(new TaskType("Comp", "comp"), new ShotGridStepMapper().map(steps.get(0)));
        assertThrows(ShotGridResponseException.class, () -> new ShotGridStepMapper().map(Map.of("id", 1)));
    }

    @Test
    void errorEnvelopeAndMalformedJsonAreClearErrors() {
        String error = """
                {"errors": [{"id": "f1afdea626bdfbd08e283bf75aa5daeb", "status": 400, "code": 103,
                             "title": "API read() Version.sg_not_a_field doesn't exist.",
                             "source": {"field": "sg_not_a_field"}, "detail": null, "meta": null}]}""";
        ShotGridResponseException e = assertThrows(ShotGridResponseException.class, () -> ShotGridPage.read(
                new ByteArrayInputStream(error.getBytes(StandardCharsets.UTF_8)), 500, "POST /api/v1/entity/versions/_search"));
        assertEquals(400, e.status());
        assertEquals(103, e.code());
        assertTrue(e.getMessage().contains("POST /api/v1/entity/versions/_search"), e.getMessage());
        assertTrue(e.getMessage().contains("sg_not_a_field doesn't exist"), e.getMessage());

        ShotGridResponseException bad = assertThrows(ShotGridResponseException.class,
                () -> list("{\"data\": [{\"type\": \"Shot\", \"id\": 1,"));
        assertTrue(bad.getMessage().contains("malformed JSON to test"), bad.getMessage());
    }

    @Test
    void nextPageOnlyWhenThePageIsFullAndLinksNextIsThere() {
        String full = page(row("Shot", 1, "{}", "{}"), row("Shot", 2, "{}", "{}"));
        String empty = page();
        assertTrue(ShotGridPage.read(new ByteArrayInputStream(full.getBytes(StandardCharsets.UTF_8)), 2, "t").hasNext());
        assertFalse(ShotGridPage.read(new ByteArrayInputStream(full.getBytes(StandardCharsets.UTF_8)), 3, "t").hasNext());
        assertFalse(ShotGridPage.read(new ByteArrayInputStream(empty.getBytes(StandardCharsets.UTF_8)), 2, "t").hasNext(),
                "links.next is on every page, even empty ones");
    }
}
