package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kitsu simulator → the real routes → documents in the Mongo-protocol store, checked field by field. */
class KitsuFullSyncTest {

    private SyncHarness h;
    private KitsuData kitsu;

    @BeforeEach
    void start() throws Exception {
        h = SyncHarness.demo();
        kitsu = h.kitsu.data();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Map<String, Object> project(String name) {
        return kitsu.projects().stream().filter(p -> name.equals(p.get("name"))).findFirst().orElseThrow();
    }

    private Map<String, Object> entity(String project, String type, String name, String parentName) {
        String projectId = (String) project(project).get("id");
        return kitsu.entities(projectId, type).stream()
                .filter(e -> name.equals(e.get("name")))
                .filter(e -> parentName == null || parentName.equals(kitsu.get((String) e.get("parent_id")).get("name")))
                .findFirst().orElseThrow();
    }

    @Test
    void writesProjectDocumentFromKitsuProject() throws Exception {
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());

        Document project = h.project("Agent_327");
        assertNotNull(project, "collection named after the sanitised project name");
        assertEquals("openpype:project-3.0", project.getString("schema"));
        assertEquals("Agent_327", project.getString("name"));
        Document data = project.get("data", Document.class);
        assertEquals("Agent 327", data.getString("label"));
        assertEquals("a327", data.getString("code"));
        assertEquals(25.0, data.get("fps"));
        assertEquals(1920, data.get("resolutionWidth"));
        assertEquals(1080, data.get("resolutionHeight"));
        assertEquals(1001, data.get("frameStart"));
        assertEquals(project("Agent 327").get("id"), data.getString("zou_id"));
        assertEquals(project("Agent 327").get("id"), data.get("zou", Document.class).getString("id"));
        Document config = project.get("config", Document.class);
        assertEquals("openpype:config-2.0", config.getString("schema"));
        Document tasks = config.get("tasks", Document.class);
        assertEquals(new Document("short_name", "anim"), tasks.get("Animation"));
        assertTrue(tasks.containsKey("Look_Dev"), "task type names are sanitised into keys: " + tasks.keySet());
        assertFalse(config.containsKey("template"), "config-2.0 allows no template key");

        Document sprite = h.project("Sprite_Fright");
        assertEquals(24.0, sprite.get("data", Document.class).get("fps"));
        assertEquals(2048, sprite.get("data", Document.class).get("resolutionWidth"));
        assertEquals(858, sprite.get("data", Document.class).get("resolutionHeight"));
    }

    @Test
    void writesEveryEntityTypeUnderItsParent() throws Exception {
        h.fullSync();
        ObjectId projectId = h.project("Agent_327").getObjectId("_id");

        Document character = h.asset("Agent_327", "Character");
        assertEquals("Folder", character.get("data", Document.class).getString("entityType"));
        assertNull(character.get("data", Document.class).get("visualParent"));
        assertEquals("AssetType", character.get("data", Document.class).get("zou", Document.class).getString("type"));

        Document mask = h.asset("Agent_327", "Hero_Mask_v2");
        assertNotNull(mask, "'Hero Mask (v2)' is sanitised to Hero_Mask_v2");
        Document maskData = mask.get("data", Document.class);
        assertEquals("Hero Mask (v2)", maskData.getString("label"));
        assertEquals(projectId, mask.getObjectId("parent"));
        assertEquals(h.asset("Agent_327", "Prop").getObjectId("_id"), maskData.getObjectId("visualParent"));
        assertEquals(List.of("Prop"), maskData.getList("parents", String.class));
        assertEquals("Asset", maskData.getString("entityType"));
        assertEquals(entity("Agent 327", "Asset", "Hero Mask (v2)", null).get("id"),
                maskData.get("zou", Document.class).getString("id"));
        assertNotNull(h.asset("Agent_327", "Foret_Noire"), "accents are folded");

        Document episode = h.asset("Agent_327", "E01");
        Document sequence = h.asset("Agent_327", "E01_SQ010");
        Document shot = h.asset("Agent_327", "E01_SQ010_SH010");
        assertNotNull(h.asset("Agent_327", "E02_SQ010_SH010"), "same shot name in another episode stays distinct");
        assertEquals(episode.getObjectId("_id"), sequence.get("data", Document.class).getObjectId("visualParent"));
        Document shotData = shot.get("data", Document.class);
        assertEquals(projectId, shot.getObjectId("parent"), "asset.parent is always the project");
        assertEquals(sequence.getObjectId("_id"), shotData.getObjectId("visualParent"));
        assertEquals(List.of("E01", "E01_SQ010"), shotData.getList("parents", String.class));
        assertEquals("SH010", shotData.getString("label"));
        assertEquals("Shot", shotData.getString("entityType"));
        Map<String, Object> kitsuShot = entity("Agent 327", "Shot", "SH010", "SQ010");
        @SuppressWarnings("unchecked")
        Map<String, Object> frames = (Map<String, Object>) kitsuShot.get("data");
        assertEquals(((Number) frames.get("frame_in")).intValue(), shotData.get("frameStart"));
        assertEquals(((Number) frames.get("frame_out")).intValue(), shotData.get("frameEnd"));
        assertEquals(25.0, shotData.get("fps"));

        Document shotTasks = shotData.get("tasks", Document.class);
        assertFalse(shotTasks.isEmpty());
        Document animation = shotTasks.get("Animation", Document.class);
        assertNotNull(animation, "tasks keyed by task type: " + shotTasks.keySet());
        assertEquals("Animation", animation.getString("type"));
        assertNotNull(animation.getString("status"));
        assertEquals("Task", animation.get("zou", Document.class).getString("type"));
        long kitsuTasks = kitsu.tasks((String) project("Agent 327").get("id")).stream()
                .filter(t -> kitsuShot.get("id").equals(t.get("entity_id"))).count();
        assertEquals(kitsuTasks, shotTasks.size());

        Document shortShot = h.asset("Sprite_Fright", "SQ010_SH010");
        assertEquals(List.of("SQ010"), shortShot.get("data", Document.class).getList("parents", String.class));
        assertEquals(24.0, shortShot.get("data", Document.class).get("fps"));
    }

    @Test
    void secondRunWithoutChangesWritesNothing() throws Exception {
        h.fullSync();
        List<Document> before = h.assets("Agent_327");
        SyncRun second = h.fullSync();
        assertEquals(0, second.writes(), second.summary());
        assertEquals(0, second.exitCode());
        assertEquals(before, h.assets("Agent_327"));
    }

    @Test
    void renameInKitsuRenamesDocumentAndDescendants() throws Exception {
        h.fullSync();
        Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ010", "E01");
        ObjectId sequenceDoc = h.byZouId("Agent_327", (String) sequence.get("id")).getObjectId("_id");
        kitsu.update((String) sequence.get("id"), Map.of("name", "SQ015"));

        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        Document renamed = h.byZouId("Agent_327", (String) sequence.get("id"));
        assertEquals(sequenceDoc, renamed.getObjectId("_id"), "identity is the Kitsu id, the document is kept");
        assertEquals("E01_SQ015", renamed.getString("name"));
        assertEquals("SQ015", renamed.get("data", Document.class).getString("label"));
        Document shot = h.asset("Agent_327", "E01_SQ015_SH010");
        assertNotNull(shot, "children follow the composed name");
        assertEquals(List.of("E01", "E01_SQ015"), shot.get("data", Document.class).getList("parents", String.class));
        assertNull(h.asset("Agent_327", "E01_SQ010_SH010"));
    }

    @Test
    void mergeKeepsWhatOtherToolsWrote() throws Exception {
        h.fullSync();
        Document shot = h.asset("Agent_327", "E01_SQ010_SH010");
        h.collection("Agent_327").updateOne(Filters.eq("_id", shot.getObjectId("_id")), Updates.combine(
                Updates.set("data.tasks.Retime", new Document("type", "Compositing")),
                Updates.set("data.handleStart", 8),
                Updates.set("data.pipelineNote", "set by a TD")));
        Map<String, Object> kitsuShot = entity("Agent 327", "Shot", "SH010", "SQ010");
        kitsu.update((String) kitsuShot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", 1200)));

        h.fullSync();
        Document after = h.asset("Agent_327", "E01_SQ010_SH010").get("data", Document.class);
        assertEquals(1200, after.get("frameEnd"));
        assertEquals(8, after.get("handleStart"), "values other tools set are not reset");
        assertEquals("set by a TD", after.getString("pipelineNote"));
        assertEquals(new Document("type", "Compositing"), after.get("tasks", Document.class).get("Retime"),
                "tasks other tools added are never dropped");
    }

    @Test
    void deletedTaskLeavesDataTasks() throws Exception {
        h.fullSync();
        Map<String, Object> kitsuShot = entity("Agent 327", "Shot", "SH020", "SQ010");
        String projectId = (String) project("Agent 327").get("id");
        List<Map<String, Object>> tasks = kitsu.tasks(projectId).stream()
                .filter(t -> kitsuShot.get("id").equals(t.get("entity_id"))).collect(Collectors.toList());
        Map<String, Object> removed = tasks.get(0);
        String removedType = (String) kitsu.get((String) removed.get("task_type_id")).get("name");
        kitsu.remove((String) removed.get("id"));

        h.fullSync();
        Document after = h.byZouId("Agent_327", (String) kitsuShot.get("id")).get("data", Document.class)
                .get("tasks", Document.class);
        assertFalse(after.containsKey(removedType), removedType + " removed: " + after.keySet());
        assertEquals(tasks.size() - 1, after.size());
    }

    @Test
    void deletesAreIgnoredByDefault() throws Exception {
        h.fullSync();
        Map<String, Object> asset = entity("Agent 327", "Asset", "Teacup", null);
        kitsu.remove((String) asset.get("id"));
        SyncRun run = h.fullSync();
        assertEquals(0, run.writes(), run.summary());
        assertEquals("asset", h.byZouId("Agent_327", (String) asset.get("id")).getString("type"));
    }

    @Test
    void newEntityInKitsuIsCreatedUnderItsParent() throws Exception {
        h.fullSync();
        String projectId = (String) project("Agent 327").get("id");
        Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ020", "E02");
        kitsu.addShot(projectId, (String) sequence.get("id"), "SH050", 1001, 1048, null);

        SyncRun run = h.fullSync();
        assertEquals(1, run.writes(), "exactly one insert: " + run.summary());
        Document shot = h.asset("Agent_327", "E02_SQ020_SH050");
        assertEquals(List.of("E02", "E02_SQ020"), shot.get("data", Document.class).getList("parents", String.class));
        assertEquals(1048, shot.get("data", Document.class).get("frameEnd"));
    }

    @Test
    void kitsuProjectsSettingLimitsTheSync() throws Exception {
        h.close();
        h = SyncHarness.demo(Map.of("kitsu.projects", "sprite fright"));
        SyncRun run = h.fullSync();
        assertEquals(1, run.projects().size(), run.summary());
        assertNotNull(h.project("Sprite_Fright"));
        assertNull(h.project("Agent_327"));
    }
}
