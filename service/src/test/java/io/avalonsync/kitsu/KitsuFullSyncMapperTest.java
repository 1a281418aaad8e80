package io.avalonsync.kitsu;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.WriteModel;
import io.avalonsync.avalon.AvalonValidator;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.avalon.ExistingProject;
import io.avalonsync.avalon.Flavour;
import io.avalonsync.avalon.ProjectPlanner;
import io.avalonsync.avalon.ProjectPlannerInMemoryStoreTest.Store;
import io.avalonsync.avalon.SyncPlan;
import io.avalonsync.avalon.TrackerIdentity;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small Kitsu tvshow, as the full-sync lists answer it, mapped by {@link KitsuProjectMapping}, planned by
 * {@link ProjectPlanner} for each flavour into an empty collection, and every written document validated.
 */
class KitsuFullSyncMapperTest {

    static final String PROJECT = """
            { "id": "p-1", "type": "Project", "name": "My Show", "code": "ms", "description": null,
              "fps": "25", "ratio": "16:9", "resolution": "1920x1080", "production_type": "tvshow",
              "production_style": "2d3d", "project_status_id": "ps-open", "project_status_name": "Open",
              "team": [], "asset_types": ["at-chr", "at-prop"], "task_types": ["tt-mdl", "tt-anim"],
              "task_statuses": ["ts-todo", "ts-wip"] }
            """;

    /** Global task types; Rigging is used by nothing, Compositing is used but not enabled in the project. */
    static final String TASK_TYPES = """
            [ { "id": "tt-mdl", "type": "TaskType", "name": "Modeling", "short_name": "mdl", "for_entity": "Asset",
                "color": "#000000", "priority": 1, "archived": false },
              { "id": "tt-rig", "type": "TaskType", "name": "Rigging", "short_name": "rig", "for_entity": "Asset" },
              { "id": "tt-anim", "type": "TaskType", "name": "Animation", "short_name": "anim", "for_entity": "Shot" },
              { "id": "tt-comp", "type": "TaskType", "name": "Compositing", "short_name": "comp", "for_entity": "Shot" } ]
            """;

    static final String PROJECT_TASK_TYPES = """
            [ { "id": "tt-mdl", "type": "TaskType", "name": "Modeling", "short_name": "mdl", "for_entity": "Asset" },
              { "id": "tt-anim", "type": "TaskType", "name": "Animation", "short_name": "anim", "for_entity": "Shot" } ]
            """;

    static final String TASK_STATUSES = """
            [ { "id": "ts-todo", "type": "TaskStatus", "name": "Todo", "short_name": "todo", "is_done": false },
              { "id": "ts-wip", "type": "TaskStatus", "name": "Work In Progress", "short_name": "wip", "is_wip": true } ]
            """;

    static final String ASSET_TYPES = """
            [ { "id": "at-chr", "type": "AssetType", "name": "Character", "short_name": "chr", "archived": false },
              { "id": "at-prop", "type": "AssetType", "name": "Prop", "short_name": "prp", "archived": false } ]
            """;

    static final String ASSETS = """
            [ { "id": "a-hero", "type": "Asset", "name": "Hero", "canceled": false, "nb_frames": null,
                "project_id": "p-1", "entity_type_id": "at-chr", "parent_id": null, "source_id": null,
                "data": {"difficulty": "hard"}, "status": "running" },
              { "id": "a-tree", "type": "Asset", "name": "Tree", "canceled": false, "nb_frames": null,
                "project_id": "p-1", "entity_type_id": "at-prop", "parent_id": null, "source_id": null,
                "data": null, "status": "running" } ]
            """;

    static final String EPISODES = """
            [ { "id": "e-01", "type": "Episode", "name": "E01", "canceled": false, "project_id": "p-1",
                "entity_type_id": "et-episode", "parent_id": null, "data": null } ]
            """;

    static final String SEQUENCES = """
            [ { "id": "q-010", "type": "Sequence", "name": "SQ010", "canceled": false, "project_id": "p-1",
                "entity_type_id": "et-sequence", "parent_id": "e-01", "data": null },
              { "id": "q-020", "type": "Sequence", "name": "SQ020", "canceled": false, "project_id": "p-1",
                "entity_type_id": "et-sequence", "parent_id": "e-01", "data": null } ]
            """;

    /** Frames as numbers, as strings, and from nb_frames; the same shot name in two sequences. */
    static final String SHOTS = """
            [ { "id": "s-010", "type": "Shot", "name": "SH010", "canceled": false, "nb_frames": 100,
                "project_id": "p-1", "entity_type_id": "et-shot", "parent_id": "q-010",
                "data": {"frame_in": 1001, "frame_out": 1100, "fps": "25"} },
              { "id": "s-020", "type": "Shot", "name": "SH020", "canceled": false, "nb_frames": 48,
                "project_id": "p-1", "entity_type_id": "et-shot", "parent_id": "q-010",
                "data": {"frame_in": "1001"} },
              { "id": "s-210", "type": "Shot", "name": "SH010", "canceled": false, "nb_frames": null,
                "project_id": "p-1", "entity_type_id": "et-shot", "parent_id": "q-020",
                "data": {"frame_in": "1001", "frame_out": "1050", "fps": "24"} } ]
            """;

    static final String TASKS = """
            [ { "id": "t-hero-mdl", "type": "Task", "name": "main", "entity_id": "a-hero",
                "task_type_id": "tt-mdl", "task_status_id": "ts-wip", "assignees": [] },
              { "id": "t-tree-mdl", "type": "Task", "name": "main", "entity_id": "a-tree",
                "task_type_id": "tt-mdl", "task_status_id": "ts-todo", "assignees": [] },
              { "id": "t-010-anim", "type": "Task", "name": "main", "entity_id": "s-010",
                "task_type_id": "tt-anim", "task_status_id": "ts-wip", "assignees": [] },
              { "id": "t-010-comp", "type": "Task", "name": "main", "entity_id": "s-010",
                "task_type_id": "tt-comp", "task_status_id": "ts-todo", "assignees": [] },
              { "id": "t-020-anim", "type": "Task", "name": "main", "entity_id": "s-020",
                "task_type_id": "tt-anim", "task_status_id": "ts-todo", "assignees": [] },
              { "id": "t-210-anim", "type": "Task", "name": "main", "entity_id": "s-210",
                "task_type_id": "tt-anim", "task_status_id": "ts-todo", "assignees": [] } ]
            """;

    /** Each list read as the full-sync route reads it: streamed, only the fields the mappers use kept. */
    static KitsuSnapshot snapshot(String project, Map<String, String> lists) {
        KitsuSnapshot snapshot = new KitsuSnapshot(object(project));
        lists.forEach((name, json) -> {
            try {
                snapshot.put(name, KitsuSnapshot.readList(
                        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), KitsuSnapshot.fieldsOf(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return snapshot;
    }

    static KitsuSnapshot smallShow() {
        return snapshot(PROJECT, Map.of("taskTypes", TASK_TYPES, "projectTaskTypes", PROJECT_TASK_TYPES,
                "taskStatuses", TASK_STATUSES, "assetTypes", ASSET_TYPES, "assets", ASSETS, "episodes", EPISODES,
                "sequences", SEQUENCES, "shots", SHOTS, "tasks", TASKS));
    }

    private static Document data(Document doc) {
        return doc.get("data", Document.class);
    }

    private static Document named(Store store, String name) {
        Document doc = store.named(name);
        assertNotNull(doc, "no asset named " + name + " in " + store.assets().stream().map(d -> d.get("name")).toList());
        return doc;
    }

    private static Store syncIntoEmptyCollection(Flavour flavour) {
        DesiredProject desired = new KitsuProjectMapping().map(smallShow());
        SyncPlan plan = new ProjectPlanner(flavour, false)
                .plan(desired, new ExistingProject("My_Show", null, List.of()), KitsuIdentity.INSTANCE);
        assertNull(plan.projectFailure());
        assertEquals(List.of(), plan.rejections());
        for (WriteModel<Document> write : plan.writes()) {
            assertInstanceOf(InsertOneModel.class, write, "a new project only needs inserts");
        }
        return new Store().apply(plan);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyWrittenDocumentIsValidForItsFlavour(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);
        AvalonValidator validator = new AvalonValidator(flavour);

        // project + 2 asset types + 2 assets + 1 episode + 2 sequences + 3 shots
        assertEquals(11, store.all().size());
        assertEquals(List.of(), validator.validateProject(store.project()));
        for (Document asset : store.assets()) {
            assertEquals(List.of(), validator.validateAsset(asset, store.project(), store), asset.toJson());
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void parentsAreWrittenBeforeTheirChildren(Flavour flavour) {
        DesiredProject desired = new KitsuProjectMapping().map(smallShow());
        SyncPlan plan = new ProjectPlanner(flavour, false)
                .plan(desired, new ExistingProject("My_Show", null, List.of()), KitsuIdentity.INSTANCE);

        Set<Object> written = new HashSet<>();
        for (WriteModel<Document> write : plan.writes()) {
            Document doc = ((InsertOneModel<Document>) write).getDocument();
            Object visualParent = doc.get("data", Document.class).get("visualParent");
            assertTrue(visualParent == null || written.contains(visualParent), doc.toJson());
            written.add(doc.get("_id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theProjectDocumentHasTheFlavourSchemasKitsuIdsAndAttributes(Flavour flavour) {
        Document project = syncIntoEmptyCollection(flavour).project();

        assertEquals("My_Show", project.get("name"));
        assertEquals(flavour.projectSchema(), project.get("schema"));
        assertEquals(flavour.configSchema(), project.get("config", Document.class).get("schema"));
        Document data = data(project);
        assertEquals("p-1", data.get("zou_id"));
        assertEquals("p-1", TrackerIdentity.read(project, "data.zou.id"));
        assertEquals("Project", TrackerIdentity.read(project, "data.zou.type"));
        assertEquals("My Show", data.get("label"));
        assertEquals("ms", data.get("code"));
        assertEquals(25.0, data.get("fps"));
        assertInstanceOf(Double.class, data.get("fps"));
        assertEquals(1920, data.get("resolutionWidth"));
        assertEquals(1080, data.get("resolutionHeight"));
        assertEquals(true, data.get("active"));
        // avalon-core writes parent: null (AC inventory), the others leave it out (OP create_project)
        assertEquals(flavour == Flavour.AVALON_CORE, project.containsKey("parent"));
        assertNull(project.get("parent"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void configTasksHoldEveryTaskTypeUsedAndOnlyThose(Flavour flavour) {
        Object tasks = TrackerIdentity.read(syncIntoEmptyCollection(flavour).project(), "config.tasks");

        // Modeling and Animation are the project's types; Compositing is used by a task; Rigging by nothing
        if (flavour.tasksAsDict()) {
            assertEquals(new Document("Modeling", new Document("short_name", "mdl"))
                    .append("Animation", new Document("short_name", "anim"))
                    .append("Compositing", new Document("short_name", "comp")), tasks);
        } else {
            assertEquals(List.of(new Document("name", "Modeling").append("label", "Modeling"),
                    new Document("name", "Animation").append("label", "Animation"),
                    new Document("name", "Compositing").append("label", "Compositing")), tasks);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyAssetHasTheFlavourSchemaTheProjectAsParentAndItsKitsuIdentity(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);
        Object projectId = store.project().get("_id");
        Map<String, String> kitsuType = Map.of("Character", "AssetType", "Prop", "AssetType", "Hero", "Asset",
                "Tree", "Asset", "E01", "Episode", "E01_SQ010", "Sequence", "E01_SQ020", "Sequence",
                "E01_SQ010_SH010", "Shot", "E01_SQ010_SH020", "Shot", "E01_SQ020_SH010", "Shot");

        assertEquals(kitsuType.keySet(), new HashSet<>(store.assets().stream().map(d -> d.getString("name")).toList()));
        for (Document asset : store.assets()) {
            String name = asset.getString("name");
            assertEquals(flavour.assetSchema(), asset.get("schema"), name);
            assertEquals("asset", asset.get("type"), name);
            assertEquals(projectId, asset.get("parent"), name);
            assertInstanceOf(ObjectId.class, asset.get("_id"), name);
            assertEquals(kitsuType.get(name), TrackerIdentity.read(asset, "data.zou.type"), name);
            assertNotNull(TrackerIdentity.read(asset, "data.zou.id"), name);
            if (flavour.usesSilo()) {
                String silo = Set.of("Character", "Prop", "Hero", "Tree").contains(name) ? "assets" : "shots";
                assertEquals(silo, asset.get("silo"), name);
            } else {
                // asset-3.0 rejects silo: null, so the key must be absent
                assertFalse(asset.containsKey("silo"), name);
            }
        }
        assertEquals("a-hero", TrackerIdentity.read(named(store, "Hero"), "data.zou.id"));
        assertEquals("s-210", TrackerIdentity.read(named(store, "E01_SQ020_SH010"), "data.zou.id"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theTreeIsVisualParentIdsAndParentNamesRootFirst(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);
        Map<String, List<String>> parents = Map.of("Character", List.of(), "Prop", List.of(),
                "Hero", List.of("Character"), "Tree", List.of("Prop"), "E01", List.of(),
                "E01_SQ010", List.of("E01"), "E01_SQ020", List.of("E01"),
                "E01_SQ010_SH010", List.of("E01", "E01_SQ010"), "E01_SQ010_SH020", List.of("E01", "E01_SQ010"),
                "E01_SQ020_SH010", List.of("E01", "E01_SQ020"));

        for (Map.Entry<String, List<String>> entry : parents.entrySet()) {
            Document doc = named(store, entry.getKey());
            assertEquals(entry.getValue(), data(doc).get("parents"), entry.getKey());
            List<String> chain = entry.getValue();
            Object visualParent = data(doc).get("visualParent");
            if (chain.isEmpty()) {
                assertNull(visualParent, entry.getKey());
                assertTrue(data(doc).containsKey("visualParent"), entry.getKey());
            } else {
                assertInstanceOf(ObjectId.class, visualParent, entry.getKey());
                assertEquals(named(store, chain.get(chain.size() - 1)).get("_id"), visualParent, entry.getKey());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void labelsKeepTheRawKitsuNamesAndEntityTypesTheKind(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);

        assertEquals("SH010", data(named(store, "E01_SQ020_SH010")).get("label"));
        assertEquals("SQ010", data(named(store, "E01_SQ010")).get("label"));
        assertEquals("Character", data(named(store, "Character")).get("label"));
        assertEquals("Folder", data(named(store, "Character")).get("entityType"));
        assertEquals("Asset", data(named(store, "Hero")).get("entityType"));
        assertEquals("Episode", data(named(store, "E01")).get("entityType"));
        assertEquals("Sequence", data(named(store, "E01_SQ020")).get("entityType"));
        assertEquals("Shot", data(named(store, "E01_SQ010_SH020")).get("entityType"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void shotsCarryFrameRangeFpsAndResolutionWithReaderTypes(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);

        Document sh010 = data(named(store, "E01_SQ010_SH010"));
        assertEquals(Integer.valueOf(1001), sh010.get("frameStart"));
        assertEquals(Integer.valueOf(1100), sh010.get("frameEnd"));
        assertEquals(Double.valueOf(25.0), sh010.get("fps"));
        assertEquals(Integer.valueOf(1920), sh010.get("resolutionWidth"));
        assertEquals(Integer.valueOf(1080), sh010.get("resolutionHeight"));
        // frame_in given as a string, frame_out missing: 1001 + 48 - 1; fps from the project
        Document sh020 = data(named(store, "E01_SQ010_SH020"));
        assertEquals(Integer.valueOf(1001), sh020.get("frameStart"));
        assertEquals(Integer.valueOf(1048), sh020.get("frameEnd"));
        assertEquals(Double.valueOf(25.0), sh020.get("fps"));
        // frames as strings and the shot's own fps
        Document sh210 = data(named(store, "E01_SQ020_SH010"));
        assertEquals(Integer.valueOf(1050), sh210.get("frameEnd"));
        assertEquals(Double.valueOf(24.0), sh210.get("fps"));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = {"OPENPYPE", "PYPE2"})
    void dictFlavoursWriteTasksByTypeWithStatusAndKitsuId(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);

        assertEquals(new Document("Animation", new Document("type", "Animation").append("status", "Work In Progress")
                        .append("zou", new Document("id", "t-010-anim").append("type", "Task")))
                        .append("Compositing", new Document("type", "Compositing").append("status", "Todo")
                                .append("zou", new Document("id", "t-010-comp").append("type", "Task"))),
                data(named(store, "E01_SQ010_SH010")).get("tasks"));
        assertEquals(new Document("Modeling", new Document("type", "Modeling").append("status", "Work In Progress")
                .append("zou", new Document("id", "t-hero-mdl").append("type", "Task"))),
                data(named(store, "Hero")).get("tasks"));
        // folders without tasks still carry the (empty) dict readers iterate
        assertEquals(new Document(), data(named(store, "E01")).get("tasks"));
        assertEquals(new Document(), data(named(store, "Character")).get("tasks"));
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = "AVALON_CORE")
    void avalonCoreWritesTasksAsAListOfNames(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);

        assertEquals(List.of("Animation", "Compositing"), data(named(store, "E01_SQ010_SH010")).get("tasks"));
        assertEquals(List.of("Modeling"), data(named(store, "Hero")).get("tasks"));
        assertEquals(List.of(), data(named(store, "E01")).get("tasks"));
        // the names Kitsu owns are remembered so other tools' names can be told apart on the next sync
        assertEquals(List.of("Animation", "Compositing"),
                TrackerIdentity.read(named(store, "E01_SQ010_SH010"), "data.zou.tasks"));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aSecondFullSyncOfTheSameSnapshotWritesNothing(Flavour flavour) {
        Store store = syncIntoEmptyCollection(flavour);
        DesiredProject desired = new KitsuProjectMapping().map(smallShow());

        SyncPlan again = new ProjectPlanner(flavour, false).plan(desired, store.existing("My_Show"),
                KitsuIdentity.INSTANCE);

        assertEquals(List.of(), again.writes());
        assertEquals(new ArrayList<String>(), again.rejections());
    }
}
