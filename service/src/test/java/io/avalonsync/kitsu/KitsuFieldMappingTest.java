package io.avalonsync.kitsu;

import java.util.LinkedHashMap;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code kitsu.fields.*} end to end: metadata descriptors and fields of the Kitsu simulator's entities reach
 * Avalon, typed, through the full sync and through a live event (the same mappers).
 */
class KitsuFieldMappingTest {

    private static final long WAIT = 15_000;

    private SyncHarness h;
    private KitsuData kitsu;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private Map<String, Object> entity(String type, String name, String parentName) {
        String projectId = (String) kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                .findFirst().orElseThrow().get("id");
        return kitsu.entities(projectId, type).stream().filter(e -> name.equals(e.get("name")))
                .filter(e -> parentName == null || parentName.equals(kitsu.get((String) e.get("parent_id")).get("name")))
                .findFirst().orElseThrow();
    }

    /** Sets metadata descriptor values in an entity's data, as Kitsu stores them (beside what is there). */
    @SuppressWarnings("unchecked")
    private void describe(Map<String, Object> entity, Map<String, Object> values) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (kitsu.get((String) entity.get("id")).get("data") instanceof Map<?, ?> old) {
            data.putAll((Map<String, Object>) old);
        }
        data.putAll(values);
        kitsu.update((String) entity.get("id"), Map.of("data", data));
    }

    private Object value(Map<String, Object> entity, String path) {
        Document doc = h.byZouId("Agent_327", (String) entity.get("id"));
        return TrackerIdentity.read(doc, path);
    }

    @Test
    void mappedFieldsReachAvalonTypedInTheFullSyncAndThroughEvents() throws Exception {
        h = SyncHarness.demo(Map.of(
                "kitsu.fields.shot.difficulty", "data.difficulty:int",
                "kitsu.fields.asset.budget", "data.budget:float",
                "kitsu.fields.studioNote", "data.note:text",
                "kitsu.fields.sequence.studioNote", "description",
                "kitsu.fields.shot.frameStart", "data.cut_in",
                "kitsu.fields.project.client", "data.client"));
        kitsu = h.kitsu.data();
        Map<String, Object> shot = entity("Shot", "SH010", "SQ010");
        Map<String, Object> other = entity("Shot", "SH020", "SQ010");
        Map<String, Object> teacup = entity("Asset", "Teacup", null);
        Map<String, Object> sequence = entity("Sequence", "SQ010", "E01");
        describe(shot, Map.of("difficulty", "3", "note", 12, "cut_in", "1009"));
        describe(other, Map.of("difficulty", "hard"));
        describe(teacup, Map.of("budget", "1250,50", "note", "fragile"));
        kitsu.update((String) sequence.get("id"), Map.of("description", "the chase"));
        String projectId = (String) shot.get("project_id");
        kitsu.update(projectId, Map.of("data", Map.of("client", "Blender Studio")));

        h.appWithEvents(Map.of());
        await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
        await("the event cursor", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());

        assertEquals(3, value(shot, "data.difficulty"), "text '3' as an int");
        assertEquals("12", value(shot, "data.studioNote"), "the mapping for every entity type, as text");
        assertEquals(1009, value(shot, "data.frameStart"), "a mapped key wins over the built-in one");
        assertEquals(1250.5, value(teacup, "data.budget"), "a decimal comma read as a float");
        assertEquals("fragile", value(teacup, "data.studioNote"));
        assertEquals("the chase", value(sequence, "data.studioNote"), "the sequence's own mapping wins");
        assertNull(value(other, "data.difficulty"), "'hard' is not an int: left out (logged)");
        assertFalse(((Document) h.byZouId("Agent_327", (String) other.get("id")).get("data")).containsKey("studioNote"),
                "a field without a value writes nothing");
        assertEquals("Blender Studio", TrackerIdentity.read(h.project("Agent_327"), "data.client"));

        // a live change goes through the same mapper
        describe(shot, Map.of("difficulty", 5, "cut_in", 1013));
        await("the event's difficulty", WAIT, () -> Integer.valueOf(5).equals(value(shot, "data.difficulty")));
        assertEquals(1013, value(shot, "data.frameStart"));
        assertEquals("12", value(shot, "data.studioNote"));
    }

    @Test
    void withoutMappingsTheDocumentsAreTheBuiltInOnes() throws Exception {
        h = SyncHarness.demo(Map.of());
        kitsu = h.kitsu.data();
        Map<String, Object> shot = entity("Shot", "SH010", "SQ010");
        describe(shot, Map.of("difficulty", "3"));
        assertEquals(0, h.fullSync().exitCode());
        Document data = (Document) h.byZouId("Agent_327", (String) shot.get("id")).get("data");
        assertFalse(data.containsKey("difficulty"), "nothing but the built-in keys: " + data.keySet());
    }
}
