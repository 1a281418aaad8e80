package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import io.avalonsync.avalon.ProjectPlannerInMemoryStoreTest.Store;
import io.avalonsync.kitsu.KitsuIdentity;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner on its own, fed with {@link DesiredProject} records built by hand (no tracker mapping), its
 * plans applied to an in-memory collection so that each second sync sees what the first one wrote.
 */
class ProjectPlannerTest {

    private static final String COLLECTION = "My_Show";
    private static final TrackerIdentity IDENTITY = KitsuIdentity.INSTANCE;
    private static final List<TaskType> TASK_TYPES = List.of(new TaskType("Modeling", "mdl"),
            new TaskType("Animation", "anim"), new TaskType("Compositing", "comp"));
    private static final Pattern REJECTION = Pattern.compile("^.*'(.*)' \\(([^)]*)\\) rejected, ([a-z-]+): .*$");

    // ---------------------------------------------------------------- desired entities

    private static DesiredProject project(DesiredAsset... assets) {
        return project(List.of(assets));
    }

    private static DesiredProject project(List<DesiredAsset> assets) {
        Document attributes = new Document("code", "ms").append("fps", 25.0).append("resolutionWidth", 1920)
                .append("resolutionHeight", 1080).append("active", true);
        return new DesiredProject("p-1", "My Show", attributes, TASK_TYPES, assets);
    }

    private static DesiredAsset assetType(String id, String label) {
        return new DesiredAsset(id, "AssetType", null, label, false, "Folder", "assets", new Document(), null, false);
    }

    private static DesiredAsset asset(String id, String typeId, String label, DesiredTask... tasks) {
        return new DesiredAsset(id, "Asset", typeId, label, false, "Asset", "assets", new Document(), List.of(tasks),
                false);
    }

    private static DesiredAsset episode(String id, String label) {
        return new DesiredAsset(id, "Episode", null, label, false, "Episode", "shots", new Document(), List.of(), false);
    }

    private static DesiredAsset sequence(String id, String episodeId, String label) {
        return new DesiredAsset(id, "Sequence", episodeId, label, episodeId != null, "Sequence", "shots",
                new Document(), List.of(), false);
    }

    private static DesiredAsset shot(String id, String sequenceId, String label, DesiredTask... tasks) {
        return shot(id, sequenceId, label, frames(1001, 1100), tasks);
    }

    private static DesiredAsset shot(String id, String sequenceId, String label, Document attributes,
            DesiredTask... tasks) {
        return new DesiredAsset(id, "Shot", sequenceId, label, true, "Shot", "shots", attributes, List.of(tasks), false);
    }

    private static Document frames(int in, int out) {
        return new Document("frameStart", in).append("frameEnd", out);
    }

    private static DesiredTask task(String id, String type) {
        return new DesiredTask(id, "main", type, "Todo");
    }

    private static DesiredAsset retired(DesiredAsset asset) {
        return new DesiredAsset(asset.trackerId(), asset.trackerType(), asset.parentTrackerId(), asset.label(),
                asset.prefixParentName(), asset.entityType(), asset.silo(), asset.attributes(), asset.tasks(), true);
    }

    private static DesiredAsset renamed(DesiredAsset asset, String label) {
        return new DesiredAsset(asset.trackerId(), asset.trackerType(), asset.parentTrackerId(), label,
                asset.prefixParentName(), asset.entityType(), asset.silo(), asset.attributes(), asset.tasks(),
                asset.retired());
    }

    /** E01 / E01_SQ010 / E01_SQ010_SH010 + SH020, and an asset type with one asset. */
    private static List<DesiredAsset> smallShow() {
        return List.of(
                assetType("at-prop", "Prop"),
                asset("a-tree", "at-prop", "Tree", task("t-mdl", "Modeling")),
                episode("e-01", "E01"),
                sequence("q-010", "e-01", "SQ010"),
                shot("s-010", "q-010", "SH010", task("t-anim-010", "Animation"), task("t-comp-010", "Compositing")),
                shot("s-020", "q-010", "SH020", task("t-anim-020", "Animation")));
    }

    // ---------------------------------------------------------------- planning and applying

    private static SyncPlan plan(Flavour flavour, boolean archive, DesiredProject desired, Store store) {
        return new ProjectPlanner(flavour, archive).plan(desired, store.existing(COLLECTION), IDENTITY);
    }

    /** First sync into an empty collection; everything must be planned. */
    private static Store firstSync(Flavour flavour, DesiredProject desired) {
        Store store = new Store();
        SyncPlan plan = plan(flavour, false, desired, store);
        assertNull(plan.projectFailure());
        assertEquals(List.of(), plan.rejections());
        return store.apply(plan);
    }

    private static Document data(Document doc) {
        return doc.get("data", Document.class);
    }

    private static Document byTracker(Store store, String trackerId) {
        Document doc = store.byPath("data.zou.id", trackerId);
        assertNotNull(doc, "no document for tracker id " + trackerId);
        return doc;
    }

    /** Every document in the store passes the validator of its flavour. */
    private static void assertAllValid(Flavour flavour, Store store) {
        AvalonValidator validator = new AvalonValidator(flavour);
        Document project = store.project();
        assertEquals(List.of(), validator.validateProject(project), "project " + project.toJson());
        for (Document asset : store.assets()) {
            if ("asset".equals(asset.get("type"))) {
                assertEquals(List.of(), validator.validateAsset(asset, project, store), "asset " + asset.toJson());
            }
        }
    }

    /** tracker id → rule of each rejection line ("... 'label' (id) rejected, rule: ..."). */
    private static Map<String, String> rejectedRules(SyncPlan plan) {
        Map<String, String> rules = new HashMap<>();
        for (String line : plan.rejections()) {
            Matcher m = REJECTION.matcher(line);
            assertTrue(m.matches(), "unexpected rejection format: " + line);
            rules.put(m.group(2), m.group(3));
        }
        return rules;
    }

    private static List<Document> inserted(SyncPlan plan) {
        List<Document> docs = new ArrayList<>();
        for (WriteModel<Document> write : plan.writes()) {
            if (write instanceof InsertOneModel<Document> insert) {
                docs.add(insert.getDocument());
            }
        }
        return docs;
    }

    private static List<UpdateOneModel<Document>> updates(SyncPlan plan) {
        List<UpdateOneModel<Document>> result = new ArrayList<>();
        for (WriteModel<Document> write : plan.writes()) {
            if (write instanceof UpdateOneModel<Document> update) {
                result.add(update);
            }
        }
        return result;
    }

    private static ObjectId filterId(UpdateOneModel<Document> update) {
        BsonDocument filter = update.getFilter().toBsonDocument(BsonDocument.class,
                MongoClientSettings.getDefaultCodecRegistry());
        return filter.getObjectId("_id").getValue();
    }

    /** The update planned for one document; fails when there is none or several. */
    private static Document updateOf(SyncPlan plan, ObjectId id) {
        List<Document> found = new ArrayList<>();
        for (UpdateOneModel<Document> update : updates(plan)) {
            if (filterId(update).equals(id)) {
                found.add((Document) update.getUpdate());
            }
        }
        assertEquals(1, found.size(), "updates of " + id + ": " + found);
        return found.get(0);
    }

    private static Set<String> setPaths(Document update) {
        Document set = update.get("$set", Document.class);
        return set == null ? Set.of() : set.keySet();
    }

    // ---------------------------------------------------------------- idempotency

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void secondPlanOverTheAppliedFirstPlanWritesNothing(Flavour flavour) {
        DesiredProject desired = project(smallShow());
        Store store = firstSync(flavour, desired);
        assertAllValid(flavour, store);
        assertEquals(1 + smallShow().size(), store.all().size());

        SyncPlan again = plan(flavour, false, desired, store);

        // a re-run with no tracker change writes nothing (README "What it writes")
        assertEquals(List.of(), again.writes());
        assertEquals(0, again.createdCount());
        assertEquals(0, again.updatedCount());
        assertEquals(smallShow().size() + 1, again.unchangedCount());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void archivePlanWritesNothingOnASecondRunEither(Flavour flavour) {
        Store store = firstSync(flavour, project(smallShow()));

        // with sync.deletes=archive nothing is retired, so nothing may be written either
        assertEquals(List.of(), plan(flavour, true, project(smallShow()), store).writes());
    }

    @Test
    void parentsAreInsertedBeforeTheirChildrenWhateverTheInputOrder() {
        List<DesiredAsset> reversed = new ArrayList<>(smallShow());
        Collections.reverse(reversed);

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(reversed), new Store());

        Set<Object> written = new HashSet<>();
        for (Document doc : inserted(plan)) {
            Object visualParent = data(doc).get("visualParent");
            assertTrue(visualParent == null || written.contains(visualParent),
                    doc.get("name") + " is written before its parent " + visualParent);
            written.add(doc.get("_id"));
        }
        assertEquals("project", inserted(plan).get(0).get("type"));
        assertEquals(smallShow().size() + 1, written.size());
    }

    // ---------------------------------------------------------------- renames

    @Test
    void renamingASequenceUpdatesItsNameAndEveryChildShotsNameAndParents() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        Document shotBefore = DocumentChanges.deepCopy(byTracker(store, "s-010"));
        List<DesiredAsset> renamed = new ArrayList<>(smallShow());
        renamed.set(3, renamed(renamed.get(3), "SQ011"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(renamed), store);
        store.apply(plan);

        Document sequence = byTracker(store, "q-010");
        assertEquals("E01_SQ011", sequence.get("name"));
        assertEquals("SQ011", data(sequence).get("label"));
        for (String shotId : List.of("s-010", "s-020")) {
            Document shot = byTracker(store, shotId);
            assertTrue(shot.getString("name").startsWith("E01_SQ011_SH0"), shot.getString("name"));
            assertEquals(List.of("E01", "E01_SQ011"), data(shot).get("parents"));
            assertEquals(sequence.get("_id"), data(shot).get("visualParent"));
        }
        // only what changed is written: the composed name and the parents, nothing else of the shot
        assertEquals(Set.of("name", "data.parents"), setPaths(updateOf(plan, shotBefore.getObjectId("_id"))));
        assertEquals(Set.of("name", "data.label"), setPaths(updateOf(plan, sequence.getObjectId("_id"))));
        assertEquals(shotBefore.get("_id"), byTracker(store, "s-010").get("_id"));
        assertAllValid(Flavour.OPENPYPE, store);
        assertEquals(List.of(), plan(Flavour.OPENPYPE, false, project(renamed), store).writes());
    }

    @Test
    void renamingAnEpisodeReachesGrandchildren() {
        Store store = firstSync(Flavour.PYPE2, project(smallShow()));
        List<DesiredAsset> renamed = new ArrayList<>(smallShow());
        renamed.set(2, renamed(renamed.get(2), "E 02"));

        store.apply(plan(Flavour.PYPE2, false, project(renamed), store));

        assertEquals("E_02", byTracker(store, "e-01").get("name"));
        assertEquals("E_02_SQ010", byTracker(store, "q-010").get("name"));
        Document shot = byTracker(store, "s-010");
        assertEquals("E_02_SQ010_SH010", shot.get("name"));
        assertEquals(List.of("E_02", "E_02_SQ010"), data(shot).get("parents"));
        assertAllValid(Flavour.PYPE2, store);
    }

    @Test
    void documentsOfOtherToolsBelowARenamedEntityGetTheirParentsRecomputed() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        Document sequence = byTracker(store, "q-010");
        ObjectId foreignId = new ObjectId();
        store.insert(new Document("_id", foreignId).append("schema", "openpype:asset-3.0").append("type", "asset")
                .append("name", "E01_SQ010_fx").append("parent", store.project().get("_id"))
                .append("data", new Document("label", "fx").append("visualParent", sequence.get("_id"))
                        .append("parents", List.of("E01", "E01_SQ010")).append("tasks", new Document())));
        List<DesiredAsset> renamed = new ArrayList<>(smallShow());
        renamed.set(3, renamed(renamed.get(3), "SQ011"));

        store.apply(plan(Flavour.OPENPYPE, false, project(renamed), store));

        // the tree stays consistent: the other tool's name stays, its parents follow the rename
        Document foreign = store.get(foreignId);
        assertEquals("E01_SQ010_fx", foreign.get("name"));
        assertEquals(List.of("E01", "E01_SQ011"), data(foreign).get("parents"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    @Test
    void renumberingShotsUpwardsInOneSyncRenamesAllOfThem() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> renumbered = new ArrayList<>(smallShow());
        renumbered.set(4, renamed(renumbered.get(4), "SH020"));
        renumbered.set(5, renamed(renumbered.get(5), "SH030"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(renumbered), store);
        store.apply(plan);

        assertEquals(List.of(), plan.rejections());
        assertEquals("E01_SQ010_SH020", byTracker(store, "s-010").get("name"));
        assertEquals("E01_SQ010_SH030", byTracker(store, "s-020").get("name"));
    }

    @Test
    void swappingTwoShotNamesConvergesWithinTwoSyncs() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> swapped = new ArrayList<>(smallShow());
        swapped.set(4, renamed(swapped.get(4), "SH020"));
        swapped.set(5, renamed(swapped.get(5), "SH010"));

        store.apply(plan(Flavour.OPENPYPE, false, project(swapped), store));
        store.apply(plan(Flavour.OPENPYPE, false, project(swapped), store));

        assertEquals("E01_SQ010_SH020", byTracker(store, "s-010").get("name"));
        assertEquals("E01_SQ010_SH010", byTracker(store, "s-020").get("name"));
    }

    @Test
    void renumberingShotsDownwardsInOneSyncRenamesAllOfThem() {
        // the order in which the planner happens to visit the shots makes this direction work
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> renumbered = new ArrayList<>(smallShow());
        renumbered.set(4, renamed(renumbered.get(4), "SH005"));
        renumbered.set(5, renamed(renumbered.get(5), "SH010"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(renumbered), store);
        store.apply(plan);

        assertEquals(List.of(), plan.rejections());
        assertEquals("E01_SQ010_SH005", byTracker(store, "s-010").get("name"));
        assertEquals("E01_SQ010_SH010", byTracker(store, "s-020").get("name"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    // ---------------------------------------------------------------- names and clashes

    @Test
    void aDocumentOfAnotherToolKeepsItsFieldsAndItsNameWinsAClash() {
        Store store = firstSync(Flavour.OPENPYPE, project(assetType("at-prop", "Prop")));
        ObjectId foreignId = new ObjectId();
        Document foreign = new Document("_id", foreignId).append("schema", "openpype:asset-3.0").append("type", "asset")
                .append("name", "Tree").append("parent", store.project().get("_id"))
                .append("data", new Document("label", "Tree").append("visualParent", null).append("parents", List.of())
                        .append("tasks", new Document()).append("customKey", "TD"));
        store.insert(foreign);

        SyncPlan plan = plan(Flavour.OPENPYPE, false,
                project(assetType("at-prop", "Prop"), asset("a-tree", "at-prop", "Tree")), store);
        store.apply(plan);

        // the tracker's Tree is the newcomer: it gets its parent's name as prefix
        assertEquals("Prop_Tree", byTracker(store, "a-tree").get("name"));
        assertEquals("Tree", data(byTracker(store, "a-tree")).get("label"));
        assertEquals(foreign, store.get(foreignId));
        assertTrue(updates(plan).stream().noneMatch(u -> filterId(u).equals(foreignId)));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    @Test
    void sameAssetNameUnderTwoAssetTypesIsPrefixedDeterministically() {
        List<DesiredAsset> assets = List.of(assetType("at-prop", "Prop"), assetType("at-set", "Set"),
                asset("a-prop-tree", "at-prop", "Tree"), asset("a-set-tree", "at-set", "Tree"));

        Map<String, String> names = namesByTracker(firstSync(Flavour.OPENPYPE, project(assets)));

        assertEquals("Tree", names.get("a-prop-tree"));
        assertEquals("Set_Tree", names.get("a-set-tree"));
        // the same input in any order gives the same names
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            List<DesiredAsset> shuffled = new ArrayList<>(assets);
            Collections.shuffle(shuffled, random);
            assertEquals(names, namesByTracker(firstSync(Flavour.OPENPYPE, project(shuffled))), shuffled.toString());
        }
    }

    @Test
    void aPrefixedNameStaysPutWhenTheClashGoesAway() {
        List<DesiredAsset> both = List.of(assetType("at-prop", "Prop"), assetType("at-set", "Set"),
                asset("a-prop-tree", "at-prop", "Tree"), asset("a-set-tree", "at-set", "Tree"));
        Store store = firstSync(Flavour.OPENPYPE, project(both));

        // the Prop tree is deleted: renaming Set_Tree back to Tree would break every path already published
        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(both.get(0), both.get(1), both.get(3)), store);

        assertEquals(List.of(), plan.writes());
        assertEquals("Set_Tree", byTracker(store, "a-set-tree").get("name"));
    }

    private static Map<String, String> namesByTracker(Store store) {
        Map<String, String> names = new HashMap<>();
        store.assets().forEach(doc -> names.put(String.valueOf(TrackerIdentity.read(doc, "data.zou.id")),
                doc.getString("name")));
        return names;
    }

    @Test
    void namesThatSanitiseToTheSameValueUnderOneParentRejectOneAndPlanTheRest() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-010", "e-01", "SQ010"),
                shot("s-1", "q-010", "SH 010"), shot("s-2", "q-010", "SH-010"), shot("s-3", "q-010", "SH020"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, desired, new Store());

        Map<String, String> rules = rejectedRules(plan);
        assertEquals(Map.of("s-2", "unique"), rules);
        Store store = new Store().apply(plan);
        assertEquals("E01_SQ010_SH_010", byTracker(store, "s-1").get("name"));
        assertEquals("E01_SQ010_SH020", byTracker(store, "s-3").get("name"));
        assertNull(store.byPath("data.zou.id", "s-2"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    @Test
    void aShotWhoseSequenceIsMissingIsRejectedAndItsSiblingsArePlanned() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-010", "e-01", "SQ010"),
                shot("s-1", "q-010", "SH010"), shot("s-2", "q-gone", "SH020"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, desired, new Store());

        assertEquals(Map.of("s-2", "parent"), rejectedRules(plan));
        Store store = new Store().apply(plan);
        assertEquals("E01_SQ010_SH010", byTracker(store, "s-1").get("name"));
        assertEquals(4, store.all().size());
    }

    @Test
    void aNameWithoutUsableCharactersIsRejectedAndSoAreItsChildren() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-bad", "e-01", "???"),
                shot("s-1", "q-bad", "SH010"), sequence("q-010", "e-01", "SQ010"), shot("s-2", "q-010", "SH010"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, desired, new Store());

        assertEquals(Map.of("q-bad", "name", "s-1", "parent"), rejectedRules(plan));
        Store store = new Store().apply(plan);
        assertEquals("E01_SQ010_SH010", byTracker(store, "s-2").get("name"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    // ---------------------------------------------------------------- tasks

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = {"OPENPYPE", "PYPE2"})
    void tasksOfOtherToolsAreKeptWhileADeletedTrackerTaskIsUnset(Flavour flavour) {
        Store store = firstSync(flavour, project(smallShow()));
        Document shot = byTracker(store, "s-010");
        // a TD adds a Layout task (and its type) with another tool
        store.apply(List.of(
                new UpdateOneModel<>(new Document("_id", store.project().get("_id")),
                        new Document("$set", new Document("config.tasks.Layout", new Document("short_name", "lay")))),
                new UpdateOneModel<>(new Document("_id", shot.get("_id")),
                        new Document("$set", new Document("data.tasks.Layout", new Document("type", "Layout"))))));
        List<DesiredAsset> withoutComp = new ArrayList<>(smallShow());
        withoutComp.set(4, shot("s-010", "q-010", "SH010", task("t-anim-010", "Animation")));

        SyncPlan plan = plan(flavour, false, project(withoutComp), store);
        store.apply(plan);

        Document update = updateOf(plan, shot.getObjectId("_id"));
        assertEquals(new Document("$unset", new Document("data.tasks.Compositing", "")), update);
        Document tasks = data(byTracker(store, "s-010")).get("tasks", Document.class);
        assertEquals(Set.of("Animation", "Layout"), tasks.keySet());
        assertEquals(new Document("type", "Layout"), tasks.get("Layout"));
        assertEquals(new Document("short_name", "lay"),
                TrackerIdentity.read(store.project(), "config.tasks.Layout"));
        assertAllValid(flavour, store);
        assertEquals(List.of(), plan(flavour, false, project(withoutComp), store).writes());
    }

    @Test
    void dictTasksCarryTypeStatusAndTrackerId() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));

        Document tasks = data(byTracker(store, "s-010")).get("tasks", Document.class);

        assertEquals(new Document("type", "Animation").append("status", "Todo")
                .append("zou", new Document("id", "t-anim-010").append("type", "Task")), tasks.get("Animation"));
        assertEquals(Set.of("Animation", "Compositing"), tasks.keySet());
    }

    @Test
    void aTaskStatusChangeSetsOnlyThatStatus() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> changed = new ArrayList<>(smallShow());
        changed.set(5, shot("s-020", "q-010", "SH020", new DesiredTask("t-anim-020", "main", "Animation", "WIP")));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(changed), store);

        assertEquals(new Document("$set", new Document("data.tasks.Animation.status", "WIP")),
                updateOf(plan, byTracker(store, "s-020").getObjectId("_id")));
    }

    @Test
    void avalonCoreListTasksKeepTheNamesOfOtherTools() {
        Flavour flavour = Flavour.AVALON_CORE;
        Store store = firstSync(flavour, project(smallShow()));
        Document shot = byTracker(store, "s-010");
        assertEquals(List.of("Animation", "Compositing"), data(shot).get("tasks"));
        // another tool (the avalon-core project manager) appends a task name it declared in config.tasks
        List<Object> configTasks = new ArrayList<>(store.project().get("config", Document.class).getList("tasks", Object.class));
        configTasks.add(new Document("name", "layout"));
        store.apply(List.of(
                new UpdateOneModel<>(new Document("_id", store.project().get("_id")),
                        new Document("$set", new Document("config.tasks", configTasks))),
                new UpdateOneModel<>(new Document("_id", shot.get("_id")),
                        new Document("$set", new Document("data.tasks", List.of("Animation", "Compositing", "layout"))))));
        List<DesiredAsset> withoutComp = new ArrayList<>(smallShow());
        withoutComp.set(4, shot("s-010", "q-010", "SH010", task("t-anim-010", "Animation")));

        store.apply(plan(flavour, false, project(withoutComp), store));

        List<?> tasks = (List<?>) data(byTracker(store, "s-010")).get("tasks");
        assertEquals(2, tasks.size(), tasks.toString());
        assertEquals(Set.of("layout", "Animation"), new HashSet<>(tasks));
        assertAllValid(flavour, store);
        assertEquals(List.of(), plan(flavour, false, project(withoutComp), store).writes());
    }

    @Test
    void avalonCoreShotWithASecondTaskOfOneTypeIsStillSynced() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-010", "e-01", "SQ010"),
                shot("s-010", "q-010", "SH010", task("t-1", "Animation"),
                        new DesiredTask("t-2", "blocking", "Animation", "Todo")));

        SyncPlan plan = plan(Flavour.AVALON_CORE, false, desired, new Store());
        Store store = new Store().apply(plan);

        Document shot = store.byPath("data.zou.id", "s-010");
        assertNotNull(shot, "shot rejected: " + plan.rejections());
        assertTrue(((List<?>) data(shot).get("tasks")).contains("Animation"));
        assertAllValid(Flavour.AVALON_CORE, store);
    }

    @Test
    void dictFlavourNamesASecondTaskOfOneTypeAfterTypeAndName() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-010", "e-01", "SQ010"),
                shot("s-010", "q-010", "SH010", task("t-1", "Animation"),
                        new DesiredTask("t-2", "blocking", "Animation", "Todo")));

        Store store = firstSync(Flavour.OPENPYPE, desired);

        Document tasks = data(byTracker(store, "s-010")).get("tasks", Document.class);
        assertEquals(Set.of("Animation", "Animation_blocking"), tasks.keySet());
        assertEquals("Animation", TrackerIdentity.read(tasks, "Animation_blocking.type"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    @Test
    void dictFlavourUsesTheTrackersOwnTaskKeyWhenGivenAndListFlavoursStillUseTheType() {
        DesiredProject desired = project(episode("e-01", "E01"), sequence("q-010", "e-01", "SQ010"),
                shot("s-010", "q-010", "SH010", new DesiredTask("t-1", "comp", "Compositing", "wtg", "comp"),
                        new DesiredTask("t-2", "comp précomp", "Compositing", null, "comp précomp")));

        Document tasks = data(byTracker(firstSync(Flavour.OPENPYPE, desired), "s-010")).get("tasks", Document.class);
        assertEquals(Set.of("comp", "comp_precomp"), tasks.keySet());
        assertEquals("Compositing", TrackerIdentity.read(tasks, "comp.type"));
        assertEquals("wtg", TrackerIdentity.read(tasks, "comp.status"));

        Store core = firstSync(Flavour.AVALON_CORE, desired);
        assertEquals(List.of("Compositing"), data(byTracker(core, "s-010")).get("tasks"));
    }

    // ---------------------------------------------------------------- retire and restore

    @Test
    void aRetiredEntityIsArchivedWhenDeletesAreArchived() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        ObjectId shotId = byTracker(store, "s-020").getObjectId("_id");
        List<DesiredAsset> canceled = new ArrayList<>(smallShow());
        canceled.set(5, retired(canceled.get(5)));

        SyncPlan plan = plan(Flavour.OPENPYPE, true, project(canceled), store);

        assertEquals(1, plan.writes().size());
        assertEquals(shotId, filterId(updates(plan).get(0)));
        assertEquals(new Document("$set", new Document("type", "archived_asset")), updates(plan).get(0).getUpdate());
        assertEquals(1, plan.archivedCount());
        store.apply(plan);
        assertEquals("archived_asset", store.get(shotId).get("type"));
        // archived once is enough
        assertEquals(List.of(), plan(Flavour.OPENPYPE, true, project(canceled), store).writes());
    }

    @Test
    void anEntityGoneFromTheTrackerIsArchivedLikeARetiredOne() {
        Store store = firstSync(Flavour.PYPE2, project(smallShow()));
        ObjectId treeId = byTracker(store, "a-tree").getObjectId("_id");
        List<DesiredAsset> gone = new ArrayList<>(smallShow());
        gone.remove(1);

        SyncPlan plan = plan(Flavour.PYPE2, true, project(gone), store);

        assertEquals(1, plan.writes().size());
        assertEquals(treeId, filterId(updates(plan).get(0)));
        assertEquals(new Document("$set", new Document("type", "archived_asset")), updates(plan).get(0).getUpdate());
    }

    @Test
    void archivingAParentNeverLeavesLiveChildrenUnderAnArchivedDocument() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> canceled = new ArrayList<>(smallShow());
        canceled.set(3, retired(canceled.get(3)));

        store.apply(plan(Flavour.OPENPYPE, true, project(canceled), store));

        for (Document asset : store.assets()) {
            Object parent = data(asset).get("visualParent");
            if ("asset".equals(asset.get("type")) && parent != null) {
                assertEquals("asset", store.get((ObjectId) parent).get("type"),
                        asset.get("name") + " hangs under a document that is not an asset");
            }
        }
    }

    @Test
    void aRetiredEntityIsLeftAloneWhenDeletesAreIgnored() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        List<DesiredAsset> canceled = new ArrayList<>(smallShow());
        canceled.set(5, retired(canceled.get(5)));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(canceled), store);

        assertEquals(List.of(), plan.writes());
        assertEquals(0, plan.archivedCount());
    }

    @Test
    void aRetiredEntityThatNeverReachedAvalonIsNotCreated() {
        SyncPlan plan = plan(Flavour.OPENPYPE, true,
                project(assetType("at-prop", "Prop"), retired(asset("a-tree", "at-prop", "Tree"))), new Store());

        // the project and the asset type only: a canceled entity is never created
        assertEquals(List.of(COLLECTION, "Prop"), inserted(plan).stream().map(d -> d.getString("name")).toList());
    }

    @Test
    void anArchivedDocumentThatComesBackIsAnAssetAgain() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        ObjectId shotId = byTracker(store, "s-020").getObjectId("_id");
        List<DesiredAsset> canceled = new ArrayList<>(smallShow());
        canceled.set(5, retired(canceled.get(5)));
        store.apply(plan(Flavour.OPENPYPE, true, project(canceled), store));
        assertEquals("archived_asset", store.get(shotId).get("type"));

        SyncPlan plan = plan(Flavour.OPENPYPE, true, project(smallShow()), store);
        store.apply(plan);

        assertEquals(new Document("$set", new Document("type", "asset")), updateOf(plan, shotId));
        assertEquals(1, plan.restoredCount());
        assertEquals("asset", store.get(shotId).get("type"));
        assertEquals("E01_SQ010_SH020", store.get(shotId).get("name"));
        assertAllValid(Flavour.OPENPYPE, store);
        assertEquals(List.of(), plan(Flavour.OPENPYPE, true, project(smallShow()), store).writes());
    }

    // ---------------------------------------------------------------- merge updates

    @Test
    void updatesSetOnlyChangedTrackerOwnedDataPathsAndKeepWhatATdWrote() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        ObjectId shotId = byTracker(store, "s-010").getObjectId("_id");
        // a TD adds a key of their own and changes handles (the tracker does not own handles)
        store.apply(List.of(new UpdateOneModel<>(new Document("_id", shotId), new Document("$set",
                new Document("data.customKey", "keep me").append("data.handleStart", 8)))));
        List<DesiredAsset> longer = new ArrayList<>(smallShow());
        longer.set(4, shot("s-010", "q-010", "SH010", frames(1001, 1120).append("fps", 24.0),
                task("t-anim-010", "Animation"), task("t-comp-010", "Compositing")));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(longer), store);
        store.apply(plan);

        Document update = updateOf(plan, shotId);
        // one $set of exactly the changed data.<key> paths: no replacement, no $unset, no whole data
        assertEquals(new Document("$set", new Document("data.frameEnd", 1120).append("data.fps", 24.0)), update);
        assertEquals(1, plan.writes().size());
        Document data = data(store.get(shotId));
        assertEquals("keep me", data.get("customKey"));
        assertEquals(8, data.get("handleStart"));
        assertEquals(1120, data.get("frameEnd"));
        assertAllValid(Flavour.OPENPYPE, store);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyUpdateIsAMergeOfSetAndUnsetOnly(Flavour flavour) {
        Store store = firstSync(flavour, project(smallShow()));
        // rename, frame change, task removal, new asset type with a new asset: many kinds of update at once
        List<DesiredAsset> changed = new ArrayList<>(smallShow());
        changed.set(3, renamed(changed.get(3), "SQ011"));
        changed.set(4, shot("s-010", "q-010", "SH010", frames(990, 1100), task("t-anim-010", "Animation")));
        changed.add(assetType("at-chr", "Character"));
        changed.add(asset("a-hero", "at-chr", "Hero", task("t-hero", "Modeling")));

        SyncPlan plan = plan(flavour, false, project(changed), store);
        store.apply(plan);

        assertFalse(updates(plan).isEmpty());
        for (UpdateOneModel<Document> update : updates(plan)) {
            Document doc = assertInstanceOf(Document.class, update.getUpdate());
            assertTrue(Set.of("$set", "$unset").containsAll(doc.keySet()), doc.toJson());
            for (String path : setPaths(doc)) {
                // data is never replaced as a whole; top-level writes are limited to the identity fields
                assertTrue(path.startsWith("data.") || Set.of("name", "type", "parent", "silo").contains(path),
                        path + " in " + doc.toJson());
            }
        }
        assertAllValid(flavour, store);
        assertEquals(List.of(), plan(flavour, false, project(changed), store).writes());
    }

    // ---------------------------------------------------------------- project document

    @Test
    void anInvalidExistingProjectFailsThePlanWithoutWrites() {
        Store store = firstSync(Flavour.OPENPYPE, project(smallShow()));
        // config.template is not allowed in openpype:config-2.0 (additionalProperties false)
        store.apply(List.of(new UpdateOneModel<>(new Document("_id", store.project().get("_id")),
                new Document("$set", new Document("config.template", new Document("work", "{root}/{project}"))))));
        List<DesiredAsset> changed = new ArrayList<>(smallShow());
        changed.add(assetType("at-chr", "Character"));

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(changed), store);

        assertNotNull(plan.projectFailure());
        assertTrue(plan.projectFailure().contains("template"), plan.projectFailure());
        assertEquals(List.of(), plan.writes());
    }

    @Test
    void aNewProjectDocumentCarriesTheTrackerIdentityAndTaskTypes() {
        Store store = firstSync(Flavour.OPENPYPE, project());

        Document project = store.project();
        assertEquals(COLLECTION, project.get("name"));
        assertEquals("openpype:project-3.0", project.get("schema"));
        assertEquals("p-1", data(project).get("zou_id"));
        assertEquals(new Document("id", "p-1").append("type", "Project"), data(project).get("zou"));
        assertEquals("My Show", data(project).get("label"));
        assertEquals(25.0, data(project).get("fps"));
        assertEquals(new Document("Modeling", new Document("short_name", "mdl"))
                        .append("Animation", new Document("short_name", "anim"))
                        .append("Compositing", new Document("short_name", "comp")),
                TrackerIdentity.read(project, "config.tasks"));
        assertFalse(project.containsKey("parent"));
    }

    @Test
    void aProjectDocumentCreatedByAnotherToolIsAdoptedNotDuplicated() {
        ObjectId projectId = new ObjectId();
        Document config = Flavour.OPENPYPE.newProjectConfig();
        config.put("apps", List.of(new Document("name", "maya/2022")));
        Document foreign = new Document("_id", projectId).append("type", "project").append("name", COLLECTION)
                .append("schema", "openpype:project-3.0")
                .append("data", Flavour.OPENPYPE.newProjectData().append("code", "ms").append("library_project", false))
                .append("config", config);
        Store store = Store.of(foreign);

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(smallShow()), store);
        store.apply(plan);

        // the project is updated first, with the tracker id; no second project document is inserted
        assertInstanceOf(UpdateOneModel.class, plan.writes().get(0));
        assertEquals(projectId, filterId(updates(plan).get(0)));
        assertTrue(setPaths(updateOf(plan, projectId)).contains("data.zou_id"));
        assertTrue(inserted(plan).stream().noneMatch(d -> "project".equals(d.get("type"))));
        Document project = store.project();
        assertEquals(projectId, project.get("_id"));
        assertEquals("p-1", data(project).get("zou_id"));
        assertEquals(List.of(new Document("name", "maya/2022")), TrackerIdentity.read(project, "config.apps"));
        for (Document asset : store.assets()) {
            assertEquals(projectId, asset.get("parent"));
        }
        assertAllValid(Flavour.OPENPYPE, store);
        assertEquals(List.of(), plan(Flavour.OPENPYPE, false, project(smallShow()), store).writes());
    }

    @Test
    void adoptingAProjectWithoutConfigTasksWritesAnUpdateMongoDbAccepts() {
        Document config = Flavour.OPENPYPE.newProjectConfig();
        config.remove("tasks");
        Document foreign = new Document("_id", new ObjectId()).append("type", "project").append("name", COLLECTION)
                .append("schema", "openpype:project-3.0").append("data", Flavour.OPENPYPE.newProjectData())
                .append("config", config);
        Store store = Store.of(foreign);

        SyncPlan plan = plan(Flavour.OPENPYPE, false, project(smallShow()), store);
        assertNull(plan.projectFailure());

        store.apply(plan); // the store refuses conflicting paths as MongoDB does
        assertEquals(Set.of("Modeling", "Animation", "Compositing"),
                ((Document) TrackerIdentity.read(store.project(), "config.tasks")).keySet());
    }
}
