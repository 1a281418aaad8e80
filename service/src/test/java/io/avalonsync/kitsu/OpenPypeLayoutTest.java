package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.avalon.DocumentChanges;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database OpenPype's own Kitsu module synced ({@link OpenPypeKitsuModule}) is adopted in place: through the Kitsu
 * simulator, the real routes and the Mongo-protocol store, by the full sync and by live events, with the default
 * {@code kitsu.layout} (auto). Also the switch between layouts with {@code kitsu.layout}.
 */
class OpenPypeLayoutTest {

    private static final long WAIT = 20_000;
    private static final String PROJECT = "Hero_Show";

    private SyncHarness h;
    private KitsuData kitsu;
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A TV show whose names OpenPype accepts, but one asset ('Hero Mask (v2)') its module skips. */
    private KitsuData production() {
        KitsuData k = new KitsuData();
        String p = id(k.addProject(PROJECT, null, "tvshow", "25", "1920x1080"), "project");
        String todo = id(k.addTaskStatus("Todo", "todo"), "todo");
        id(k.addTaskStatus("WIP", "wip"), "wip");
        String modeling = id(k.addTaskType("Modeling", "mdl", "Asset"), "Modeling");
        String layout = id(k.addTaskType("Layout", "lay", "Shot"), "Layout");
        String animation = id(k.addTaskType("Animation", "anim", "Shot"), "Animation");
        List.of(modeling, layout, animation).forEach(t -> k.enableTaskType(p, t));
        String character = id(k.addAssetType("Character", "char"), "Character");
        String prop = id(k.addAssetType("Prop", "prop"), "Prop");
        k.addTask(p, id(k.addAsset(p, character, "Hero"), "Hero"), modeling, todo);
        k.addTask(p, id(k.addAsset(p, character, "Villain"), "Villain"), modeling, todo);
        k.addTask(p, id(k.addAsset(p, prop, "Teacup"), "Teacup"), modeling, todo);
        id(k.addAsset(p, prop, "Hero Mask (v2)"), "Mask");
        String e01 = id(k.addEpisode(p, "E01"), "E01");
        String e02 = id(k.addEpisode(p, "E02"), "E02");
        String sq010 = id(k.addSequence(p, e01, "SQ010"), "E01_SQ010");
        id(k.addSequence(p, e01, "SQ020"), "E01_SQ020");
        String e02sq010 = id(k.addSequence(p, e02, "SQ010"), "E02_SQ010");
        String sh010 = id(k.addShot(p, sq010, "SH010", 1001, 1100, null), "E01_SQ010_SH010");
        // a metadata descriptor's value lives in the entity's data, beside the frame range
        k.update(sh010, Map.of("data", Map.of("frame_in", 1001, "frame_out", 1100, "difficulty", "hard")));
        String sh020 = id(k.addShot(p, sq010, "SH020", 1001, 1050, null), "E01_SQ010_SH020");
        String e02sh010 = id(k.addShot(p, e02sq010, "SH010", 1001, 1024, null), "E02_SQ010_SH010");
        for (String shot : List.of(sh010, sh020, e02sh010)) {
            k.addTask(p, shot, layout, todo);
            k.addTask(p, shot, animation, todo);
        }
        return k;
    }

    private String id(Map<String, Object> record, String key) {
        ids.put(key, (String) record.get("id"));
        return (String) record.get("id");
    }

    /** Kitsu, then OpenPype's module's sync of it into the store, before the service starts. */
    private void openPypeSynced() throws Exception {
        h = new SyncHarness(production(), settings);
        kitsu = h.kitsu.data();
        new OpenPypeKitsuModule(h.kitsu.apiUrl(), KitsuSimulator.EMAIL, KitsuSimulator.PASSWORD)
                .syncProject(h.client.getDatabase("avalon"), PROJECT, kitsu);
    }

    private Map<ObjectId, Document> documents() {
        Map<ObjectId, Document> docs = new LinkedHashMap<>();
        h.collection(PROJECT).find().forEach(d -> docs.put(d.getObjectId("_id"), DocumentChanges.deepCopy(d)));
        return docs;
    }

    private Document byZou(String key) {
        return h.byZouId(PROJECT, ids.get(key));
    }

    private static Document data(Document doc) {
        return doc.get("data", Document.class);
    }

    private List<Document> roots() {
        return h.collection(PROJECT).find(Filters.exists("data.root_of")).into(new ArrayList<>());
    }

    /** What OpenPype's layout promises, on every asset document of the project. */
    private void assertOpenPypeLayout() {
        List<Document> roots = roots();
        assertEquals(List.of("Assets", "Shots"), roots.stream().map(d -> d.getString("name")).sorted().toList(),
                "one root folder per tree: " + roots);
        Map<ObjectId, Document> byId = documents();
        for (Document doc : h.assets(PROJECT)) {
            Document data = data(doc);
            if (data.containsKey("root_of")) {
                assertNull(data.get("visualParent"));
                assertTrue(byId.values().stream().anyMatch(d -> doc.get("_id").equals(TrackerValue.of(d, "data.visualParent"))),
                        "root folder " + doc.getString("name") + " holds something, it is not orphaned");
                continue;
            }
            assertNotNull(data.get("visualParent"), doc.getString("name") + " is under a root folder");
            List<String> parents = data.getList("parents", String.class);
            String type = (String) TrackerValue.of(doc, "data.zou.type");
            String root = type.equals("Asset") || type.equals("AssetType") ? "Assets" : "Shots";
            assertEquals(root, parents.get(0), doc.getString("name") + ": " + parents);
            // the chain of visual parents spells data.parents
            List<String> chain = new ArrayList<>();
            Object parent = data.get("visualParent");
            while (parent != null) {
                Document parentDoc = byId.get((ObjectId) parent);
                chain.add(0, parentDoc.getString("name"));
                parent = data(parentDoc).get("visualParent");
            }
            assertEquals(chain, parents, doc.getString("name"));
            assertFalse(data.containsKey("label"), doc.getString("name") + ": OpenPype's module writes no label");
            assertFalse(data.containsKey("entityType"), doc.getString("name") + ": nor entityType");
            data.get("tasks", Document.class).forEach((name, task) -> {
                assertFalse(((Document) task).containsKey("status"), doc.getString("name") + " task " + name + ": {type, zou} only");
                assertNotNull(TrackerValue.of((Document) task, "zou.id"), doc.getString("name") + " task " + name);
            });
        }
    }

    @Test
    void aFullSyncAdoptsTheProjectInPlaceAndKeepsItsLayout() throws Exception {
        openPypeSynced();
        Map<ObjectId, Document> before = documents();
        List<Document> rootsBefore = roots();

        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());

        assertEquals(rootsBefore, roots(), "the root folders are kept as they were");
        assertOpenPypeLayout();
        for (Document old : before.values()) {
            if (!"asset".equals(old.getString("type")) || old.get("data", Document.class).containsKey("root_of")) {
                continue;
            }
            Document now = h.collection(PROJECT).find(Filters.eq("_id", old.get("_id"))).first();
            assertEquals(old.getString("name"), now.getString("name"), "same document, same name");
            assertEquals(data(old).get("visualParent"), data(now).get("visualParent"), old.getString("name"));
            assertEquals(data(old).get("parents"), data(now).get("parents"), old.getString("name"));
            // the whole Zou entity the module kept stays: every key, the ones this service does not read too
            assertEquals(data(old).get("zou"), data(now).get("zou"), old.getString("name"));
            assertEquals(data(old).get("tasks"), data(now).get("tasks"), old.getString("name"));
            for (String key : List.of("pixelAspect", "handleStart", "handleEnd", "clipIn", "clipOut", "frameStart", "frameEnd", "fps")) {
                assertEquals(data(old).get(key), data(now).get(key), old.getString("name") + " " + key);
            }
        }
        assertEquals("hard", data(byZou("E01_SQ010_SH010")).get("difficulty"), "the module's copy of a descriptor stays");
        Document project = h.project(PROJECT);
        assertEquals("hero_show", data(project).get("code"));
        assertFalse(data(project).containsKey("label"));
        assertEquals(before.values().stream().filter(d -> "project".equals(d.get("type"))).findFirst().orElseThrow().get("config"),
                project.get("config"), "config.tasks already held the project's task types");

        // the entity the module skipped for its name is created in the same layout
        Document mask = byZou("Mask");
        assertNotNull(mask);
        assertEquals("Hero_Mask_v2", mask.getString("name"));
        assertEquals(List.of("Assets", "Prop"), data(mask).getList("parents", String.class));
        assertEquals(byZou("Prop").get("_id"), data(mask).get("visualParent"));
        assertEquals(ids.get("Prop"), TrackerValue.of(mask, "data.zou.entity_type_id"), "data.zou holds the entity");

        // nothing changed in Kitsu: nothing to write
        Map<ObjectId, Document> synced = documents();
        SyncRun again = h.fullSync();
        assertEquals(0, again.exitCode(), again.summary());
        assertEquals(0, again.writes(), again.summary());
        assertEquals(synced, documents());

        // a move and a rename in Kitsu: data.zou.parent_id, the name and data.parents follow, the root first
        kitsu.update(ids.get("E01_SQ010_SH020"), Map.of("parent_id", ids.get("E01_SQ020"), "name", "SH025"));
        assertEquals(0, h.fullSync().exitCode());
        Document moved = byZou("E01_SQ010_SH020");
        assertEquals("E01_SQ020_SH025", moved.getString("name"));
        assertEquals(ids.get("E01_SQ020"), TrackerValue.of(moved, "data.zou.parent_id"));
        assertEquals("SH025", TrackerValue.of(moved, "data.zou.name"));
        assertEquals(List.of("Shots", "E01", "E01_SQ020"), data(moved).getList("parents", String.class));
        assertEquals(byZou("E01_SQ020").get("_id"), data(moved).get("visualParent"));
        assertNotNull(TrackerValue.of(moved, "data.zou.created_at"), "keys the module stored stay");
        assertOpenPypeLayout();
    }

    @Test
    void liveEventsOnAnAdoptedProjectKeepItsLayout() throws Exception {
        openPypeSynced();
        h.appWithEvents(Map.of());
        await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
        await("the event cursor", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);

        // a shot changed in Kitsu: its frame range and data.zou follow, it stays where the module put it
        String sh010 = ids.get("E01_SQ010_SH010");
        Document old = byZou("E01_SQ010_SH010");
        kitsu.update(sh010, Map.of("data", Map.of("frame_in", 1001, "frame_out", 1200, "difficulty", "hard")));
        await("the changed frame range", WAIT, () -> Integer.valueOf(1200).equals(data(byZou("E01_SQ010_SH010")).get("frameEnd")));
        Document shot = byZou("E01_SQ010_SH010");
        assertEquals(1200, TrackerValue.of(shot, "data.zou.data.frame_out"));
        assertEquals(data(old).get("parents"), data(shot).get("parents"));
        assertEquals(data(old).get("visualParent"), data(shot).get("visualParent"));
        assertEquals(TrackerValue.of(old, "data.zou.created_at"), TrackerValue.of(shot, "data.zou.created_at"));

        // a new shot and a new asset: created under their parents, in the module's layout
        Map<String, Object> sh030 = kitsu.addShot(ids.get("project"), ids.get("E01_SQ010"), "SH030", 1001, 1010, null);
        kitsu.addTask(ids.get("project"), (String) sh030.get("id"), ids.get("Animation"), ids.get("todo"));
        Map<String, Object> sidekick = kitsu.addAsset(ids.get("project"), ids.get("Character"), "Sidekick");
        await("the new shot and asset", WAIT, () -> h.byZouId(PROJECT, (String) sh030.get("id")) != null
                && h.byZouId(PROJECT, (String) sidekick.get("id")) != null
                && data(h.byZouId(PROJECT, (String) sh030.get("id"))).get("tasks", Document.class).containsKey("Animation"));
        Document newShot = h.byZouId(PROJECT, (String) sh030.get("id"));
        assertEquals("E01_SQ010_SH030", newShot.getString("name"));
        assertEquals(List.of("Shots", "E01", "E01_SQ010"), data(newShot).getList("parents", String.class));
        assertEquals(byZou("E01_SQ010").get("_id"), data(newShot).get("visualParent"));
        assertEquals(ids.get("E01_SQ010"), TrackerValue.of(newShot, "data.zou.parent_id"));
        assertEquals(10, TrackerValue.of(newShot, "data.zou.nb_frames"));
        Document newAsset = h.byZouId(PROJECT, (String) sidekick.get("id"));
        assertEquals(List.of("Assets", "Character"), data(newAsset).getList("parents", String.class));
        assertOpenPypeLayout();
        assertEquals(2, roots().size(), "no second root folder");
    }

    @Test
    void kitsuLayoutOpenpypeCreatesTheRootFoldersOnAFreshDatabase() throws Exception {
        settings.put("kitsu.layout", "openpype");
        h = new SyncHarness(production(), settings);
        kitsu = h.kitsu.data();
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        for (Document root : roots()) {
            assertEquals(root.getString("name"), data(root).get("root_of"));
            assertEquals(h.project(PROJECT).get("_id"), root.get("parent"));
            assertEquals(List.of(), data(root).get("parents"));
        }
        assertOpenPypeLayout();
        assertEquals(0, h.fullSync().writes(), "a second sync writes nothing");
    }

    @Test
    void switchingAProjectBetweenLayouts() throws Exception {
        h = new SyncHarness(production(), settings);
        kitsu = h.kitsu.data();
        assertEquals(0, h.fullSync().exitCode());
        assertTrue(roots().isEmpty(), "a fresh database gets this product's layout by default");
        Document hero = byZou("Hero");
        assertEquals(List.of("Character"), data(hero).getList("parents", String.class));

        // to OpenPype's layout: the same documents move under new root folders
        settings.put("kitsu.layout", "openpype");
        h.restartApp();
        assertEquals(0, h.fullSync().exitCode());
        Document moved = byZou("Hero");
        assertEquals(hero.get("_id"), moved.get("_id"));
        assertEquals(List.of("Assets", "Character"), data(moved).getList("parents", String.class));
        assertEquals(List.of("Shots", "E01", "E01_SQ010"), data(byZou("E01_SQ010_SH010")).getList("parents", String.class));
        assertEquals("E01_SQ010_SH010", byZou("E01_SQ010_SH010").getString("name"), "names do not change");
        assertEquals(2, roots().size());

        // and back: the top of each tree is at the top again; the root folders stay, empty (nothing is deleted)
        settings.put("kitsu.layout", "avalon-sync");
        h.restartApp();
        assertEquals(0, h.fullSync().exitCode());
        assertEquals(List.of("Character"), data(byZou("Hero")).getList("parents", String.class));
        assertNull(data(byZou("Character")).get("visualParent"));
        assertEquals(2, roots().size());
        for (Document root : roots()) {
            assertEquals(0, h.collection(PROJECT).countDocuments(Filters.eq("data.visualParent", root.get("_id"))),
                    root.getString("name") + " holds nothing any more");
        }
    }

    /** Dotted reads of a document. */
    private static final class TrackerValue {
        static Object of(Document doc, String path) {
            return io.avalonsync.avalon.TrackerIdentity.read(doc, path);
        }
    }
}
