package io.avalonsync.sandbox;

import static io.avalonsync.sandbox.ShotGridSimulatorTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EventLogEntry rows as a poller reads them over REST: shapes per event type, and late commits. */
class ShotGridEventLogTest {

    private static final String EVENT_FIELDS = "[\"id\",\"event_type\",\"attribute_name\",\"meta\",\"entity\",\"user\","
            + "\"project\",\"session_uuid\",\"created_at\",\"description\"]";

    private ShotGridData data;
    private ShotGridSimulator simulator;
    private ShotGridTestClient sg;
    private Map<String, Object> project;
    private Map<String, Object> sequence;
    private Map<String, Object> artist;

    @BeforeEach
    void start() throws Exception {
        data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        simulator = ShotGridSimulator.start(0, data);
        sg = new ShotGridTestClient(simulator);
        project = ShotGridData.link(ShotGridData.PROJECT, (Integer) data.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id"));
        sequence = ShotGridData.link(ShotGridData.SEQUENCE, data.ids(ShotGridData.SEQUENCE).get(0));
        artist = ShotGridData.link(ShotGridData.HUMAN_USER, (Integer) data.findOne(ShotGridData.HUMAN_USER, "name", "Jane Doe").get("id"));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void generatedProductionLogsNothing() throws Exception {
        assertEquals(0, data.eventCount());
        assertEquals(0, poll(0).size());
    }

    @Test
    void createLogsInCreateChangesThenNew() throws Exception {
        int shotId = data.create(ShotGridData.SHOT, shotFields("sq010_sh9990"), artist);
        JsonNode events = poll(0);
        // 5 given fields + the server's default sg_status_list, then the New event
        assertEquals(7, events.size());
        JsonNode created = events.get(6);
        assertEquals("EventLogEntry", created.get("type").asText());
        assertEquals("Shotgun_Shot_New", created.at("/attributes/event_type").asText());
        assertTrue(created.at("/attributes/attribute_name").isNull());
        assertEquals("new_entity", created.at("/attributes/meta/type").asText());
        assertEquals("Shot", created.at("/attributes/meta/entity_type").asText());
        assertEquals(shotId, created.at("/attributes/meta/entity_id").asInt());
        assertEquals(Map.of("id", shotId, "name", "sq010_sh9990", "type", "Shot"), link(created, "entity"));
        assertEquals(project.get("id"), link(created, "project").get("id"));
        assertEquals(Map.of("id", artist.get("id"), "name", "Jane Doe", "type", "HumanUser"), link(created, "user"));
        assertTrue(created.at("/attributes/created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertFalse(created.at("/attributes/session_uuid").isNull(), "web UI users have a session");
        assertEquals("/api/v1/entity/event_log_entries/" + created.get("id").asInt(), created.at("/links/self").asText());

        List<String> changed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode change = events.get(i);
            assertEquals("Shotgun_Shot_Change", change.at("/attributes/event_type").asText());
            JsonNode meta = change.at("/attributes/meta");
            assertEquals("attribute_change", meta.get("type").asText());
            assertTrue(meta.get("in_create").asBoolean());
            assertTrue(meta.get("old_value").isNull());
            assertEquals(change.at("/attributes/attribute_name").asText(), meta.get("attribute_name").asText());
            assertEquals(shotId, meta.get("entity_id").asInt());
            changed.add(meta.get("attribute_name").asText());
        }
        assertEquals(List.of("code", "sg_sequence", "sg_cut_in", "sg_cut_out", "project", "sg_status_list"), changed);
        JsonNode sequenceChange = events.get(1).at("/attributes/meta");
        assertEquals("entity", sequenceChange.get("field_data_type").asText());
        assertEquals("Sequence", sequenceChange.at("/new_value/type").asText());
        assertEquals(sequence.get("id"), sequenceChange.at("/new_value/id").asInt());
        assertEquals("number", events.get(2).at("/attributes/meta/field_data_type").asText());
        assertEquals(1001, events.get(2).at("/attributes/meta/new_value").asInt());
        assertEquals("wtg", events.get(5).at("/attributes/meta/new_value").asText());
        assertEquals("status_list", events.get(5).at("/attributes/meta/field_data_type").asText());
    }

    @Test
    void updateLogsOneChangePerChangedFieldWithOldAndNewValues() throws Exception {
        int shotId = data.ids(ShotGridData.SHOT).get(0);
        Object oldCutOut = data.get(ShotGridData.SHOT, shotId).get("sg_cut_out");
        Map<String, Object> otherSequence = ShotGridData.link(ShotGridData.SEQUENCE, data.ids(ShotGridData.SEQUENCE).get(2));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sg_cut_out", 1500);
        fields.put("sg_sequence", otherSequence);
        fields.put("code", data.get(ShotGridData.SHOT, shotId).get("code")); // unchanged: no event
        List<Integer> written = data.update(ShotGridData.SHOT, shotId, fields, artist);
        assertEquals(2, written.size());

        JsonNode events = poll(0);
        assertEquals(written, ids(wrap(events)));
        JsonNode cut = events.get(0);
        assertEquals("sg_cut_out", cut.at("/attributes/attribute_name").asText());
        JsonNode meta = cut.at("/attributes/meta");
        assertFalse(meta.has("in_create"));
        assertEquals(((Number) oldCutOut).intValue(), meta.get("old_value").asInt());
        assertEquals(1500, meta.get("new_value").asInt());
        assertEquals("Shot", meta.get("entity_type").asText());
        JsonNode moved = events.get(1).at("/attributes/meta");
        assertEquals("Sequence", moved.at("/old_value/type").asText());
        assertEquals(otherSequence.get("id"), moved.at("/new_value/id").asInt());
        assertEquals(data.displayName(ShotGridData.SEQUENCE, (Integer) otherSequence.get("id")), moved.at("/new_value/name").asText());

        int taskId = data.ids(ShotGridData.TASK).get(0);
        Map<String, Object> ana = ShotGridData.link(ShotGridData.HUMAN_USER, (Integer) data.findOne(ShotGridData.HUMAN_USER, "name", "Ana Lopez").get("id"));
        data.update(ShotGridData.TASK, taskId, Map.of("task_assignees", List.of(ana)), artist);
        JsonNode assignees = poll(written.get(1)).get(0).at("/attributes/meta");
        assertEquals("multi_entity", assignees.get("field_data_type").asText());
        assertEquals("Ana Lopez", assignees.at("/added/0/name").asText());
        assertEquals(1, assignees.get("removed").size());
        assertFalse(assignees.has("old_value"));
    }

    @Test
    void retirementAndRevivalLogTheirEventsAndEntityIsNullWhileRetired() throws Exception {
        int shotId = data.ids(ShotGridData.SHOT).get(3);
        String code = (String) data.get(ShotGridData.SHOT, shotId).get("code");
        data.update(ShotGridData.SHOT, shotId, Map.of("sg_status_list", "omt"), artist);
        data.retire(ShotGridData.SHOT, shotId, artist);
        JsonNode events = poll(0);
        assertEquals(3 + 3, events.size(), "status change, retirement_date change, Retirement, then its 3 tasks");
        List<Integer> taskIds = new ArrayList<>();
        for (int i = 3; i < 6; i++) {
            JsonNode taskChange = events.get(i);
            assertEquals("Shotgun_Task_Change", taskChange.at("/attributes/event_type").asText());
            assertEquals("retirement_date", taskChange.at("/attributes/attribute_name").asText());
            assertTrue(taskChange.at("/relationships/entity/data").isNull());
            taskIds.add(taskChange.at("/attributes/meta/entity_id").asInt());
        }
        JsonNode liveTasks = sg.ok(sg.searchArray("tasks", "{\"filters\":[[\"entity\",\"is\",{\"type\":\"Shot\",\"id\":" + shotId + "}]]}"));
        assertEquals(0, liveTasks.get("data").size(), "the shot's tasks went to the trash with it");
        assertTrue(events.get(0).at("/relationships/entity/data").isNull(), "earlier events lose their entity too");
        assertEquals(shotId, events.get(0).at("/attributes/meta/entity_id").asInt());
        JsonNode dateChange = events.get(1);
        assertEquals("retirement_date", dateChange.at("/attributes/attribute_name").asText());
        String date = dateChange.at("/attributes/meta/new_value").asText();
        assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"), date);
        JsonNode retirement = events.get(2);
        assertEquals("Shotgun_Shot_Retirement", retirement.at("/attributes/event_type").asText());
        JsonNode meta = retirement.at("/attributes/meta");
        assertEquals("entity_retirement", meta.get("type").asText());
        assertEquals(shotId, meta.get("id").asInt());
        assertEquals(shotId, meta.get("entity_id").asInt());
        assertEquals("Shot", meta.get("class_name").asText());
        assertEquals("Shot", meta.get("entity_type").asText());
        assertEquals(code, meta.get("display_name").asText());
        assertEquals(date, meta.get("retirement_date").asText());
        assertTrue(retirement.at("/relationships/entity/data").isNull());
        assertEquals(project.get("id"), link(retirement, "project").get("id"));

        data.revive(ShotGridData.SHOT, shotId, artist);
        JsonNode revived = poll(events.get(5).get("id").asInt());
        assertEquals(3 + 2, revived.size(), "tasks come back first, then the shot's change and Revival");
        List<Integer> revivedTasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertEquals("Shotgun_Task_Change", revived.get(i).at("/attributes/event_type").asText());
            assertTrue(revived.get(i).at("/attributes/meta/new_value").isNull());
            revivedTasks.add(revived.get(i).at("/attributes/meta/entity_id").asInt());
        }
        assertEquals(taskIds, revivedTasks);
        JsonNode shotChange = revived.get(3);
        assertEquals("Shotgun_Shot_Change", shotChange.at("/attributes/event_type").asText());
        assertEquals("retirement_date", shotChange.at("/attributes/attribute_name").asText());
        assertEquals(date, shotChange.at("/attributes/meta/old_value").asText());
        assertTrue(shotChange.at("/attributes/meta/new_value").isNull());
        JsonNode revival = revived.get(4);
        assertEquals("Shotgun_Shot_Revival", revival.at("/attributes/event_type").asText());
        assertEquals("entity_revival", revival.at("/attributes/meta/type").asText());
        assertEquals(shotId, revival.at("/attributes/meta/entity_id").asInt());
        assertEquals(shotId, revival.at("/relationships/entity/data/id").asInt(), "entity is back");
        assertEquals(3, sg.ok(sg.searchArray("tasks", "{\"filters\":[[\"entity\",\"is\",{\"type\":\"Shot\",\"id\":"
                + shotId + "}]]}")).get("data").size());
        assertEquals(shotId, poll(0).get(0).at("/relationships/entity/data/id").asInt());

        assertThrows(IllegalStateException.class, () -> data.revive(ShotGridData.SHOT, shotId, artist));
    }

    @Test
    void projectEventsCarryTheProjectInEntityAndScriptsLogOnlyWhenAllowed() throws Exception {
        data.update(ShotGridData.PROJECT, (Integer) project.get("id"), Map.of(ShotGridData.SYNC_FIELD, false), artist);
        JsonNode change = poll(0).get(0);
        assertEquals("Shotgun_Project_Change", change.at("/attributes/event_type").asText());
        assertEquals("checkbox", change.at("/attributes/meta/field_data_type").asText());
        assertEquals(project.get("id"), link(change, "entity").get("id"));
        assertTrue(change.at("/relationships/project/data").isNull());

        Map<String, Object> script = simulator.scriptUser();
        int shotId = data.ids(ShotGridData.SHOT).get(0);
        assertTrue(data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_in", 1009), script).isEmpty(),
                "generate_event_log_entries is off by default");
        data.update(ShotGridData.API_USER, (Integer) script.get("id"), Map.of("generate_event_log_entries", true), artist);
        int before = data.lastEventId();
        data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_in", 1010), script);
        JsonNode scripted = poll(before).get(0);
        assertEquals("ApiUser", link(scripted, "user").get("type"));
        assertEquals("avalon_sync 1.0", link(scripted, "user").get("name"));
        assertTrue(scripted.at("/attributes/session_uuid").isNull(), "scripts have no session");
    }

    @Test
    void lateCommitsLetAPollerSeeHigherIdsFirst() throws Exception {
        int shotId = data.ids(ShotGridData.SHOT).get(0);
        data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1100), artist);
        int n = data.lastEventId();
        data.holdEvents(true);
        int first = data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1101), artist).get(0);
        int second = data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1102), artist).get(0);
        data.holdEvents(false);
        assertEquals(List.of(n + 1, n + 2), List.of(first, second));
        assertEquals(List.of(first, second), data.heldEventIds());
        assertEquals(0, poll(n).size(), "held events are invisible");
        assertEquals(404, sg.get("/entity/event_log_entries/" + first).statusCode());

        data.releaseEvent(second);
        assertEquals(List.of(second), ids(wrap(poll(n))), "id N+2 is visible before N+1");
        data.releaseEvent(first);
        assertEquals(List.of(first, second), ids(wrap(poll(n))));
        assertTrue(data.heldEventIds().isEmpty());

        // the same with a commit delay
        int late = data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1103), artist, 400).get(0);
        int onTime = data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1104), artist).get(0);
        assertEquals(List.of(onTime), ids(wrap(poll(second))));
        long deadline = System.currentTimeMillis() + 5_000;
        while (poll(second).size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(late, onTime), ids(wrap(poll(second))));
    }

    @Test
    void eventsAreFilterableByTypeAndReadableOneByOne() throws Exception {
        int shotId = data.ids(ShotGridData.SHOT).get(0);
        int taskId = data.ids(ShotGridData.TASK).get(0);
        data.update(ShotGridData.SHOT, shotId, Map.of("sg_cut_out", 1200), artist);
        data.update(ShotGridData.TASK, taskId, Map.of("sg_status_list", "ip"), artist);
        JsonNode tasks = sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"id\",\"greater_than\",0],"
                + "[\"event_type\",\"in\",[\"Shotgun_Task_Change\",\"Shotgun_Task_New\"]]],\"fields\":" + EVENT_FIELDS + "}"));
        assertEquals(1, tasks.get("data").size());
        assertEquals("sg_status_list", tasks.at("/data/0/attributes/attribute_name").asText());
        int id = tasks.at("/data/0/id").asInt();
        JsonNode one = sg.ok(sg.get("/entity/event_log_entries/" + id + "?fields=event_type,meta,entity"));
        assertEquals("Shotgun_Task_Change", one.at("/data/attributes/event_type").asText());
        assertEquals(taskId, one.at("/data/relationships/entity/data/id").asInt());
        assertEquals(data.displayName(ShotGridData.TASK, taskId), one.at("/data/relationships/entity/data/name").asText());
        JsonNode desc = sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[],\"sort\":\"-id\",\"page\":{\"size\":1}}"));
        assertEquals(data.lastEventId(), desc.at("/data/0/id").asInt());
        String createdAt = desc.at("/data/0/attributes/created_at").asText();
        JsonNode since = sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"created_at\",\"greater_than\",\"2000-01-01T00:00:00Z\"],"
                + "[\"created_at\",\"less_than\",\"" + createdAt.substring(0, 4) + "-12-31T23:59:59Z\"]]}"));
        assertEquals(2, since.get("data").size(), "datetimes compare in their UTC text form");
        JsonNode none = sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"created_at\",\"greater_than\",\"2999-01-01T00:00:00Z\"]]}"));
        assertEquals(0, none.get("data").size());
    }

    // ---------------------------------------------------------------- helpers

    /** The poll a leecher makes: {@code id greater_than last}, sorted by id, one page of 500. */
    private JsonNode poll(int last) throws Exception {
        return sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"id\",\"greater_than\"," + last + "]],"
                + "\"fields\":" + EVENT_FIELDS + ",\"sort\":\"id\",\"page\":{\"size\":500,\"number\":1}}")).get("data");
    }

    private static JsonNode wrap(JsonNode rows) {
        return ShotGridTestClient.MAPPER.createObjectNode().set("data", rows);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> link(JsonNode event, String field) {
        JsonNode data = event.at("/relationships/" + field + "/data");
        assertFalse(data.isMissingNode(), field + " missing");
        return data.isNull() ? null : ShotGridTestClient.MAPPER.convertValue(data, Map.class);
    }

    private Map<String, Object> shotFields(String code) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("code", code);
        fields.put("sg_sequence", sequence);
        fields.put("sg_cut_in", 1001);
        fields.put("sg_cut_out", 1096);
        fields.put("project", project);
        return fields;
    }

}
