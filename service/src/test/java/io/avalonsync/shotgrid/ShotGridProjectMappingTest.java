package io.avalonsync.shotgrid;

import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.avalon.Flavour;
import io.avalonsync.avalon.ProjectPlanner;
import io.avalonsync.avalon.ProjectPlannerInMemoryStoreTest.Store;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.journal.JournalBatch;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.shotgrid.ShotGridMappersTest.SHOT;
import static io.avalonsync.shotgrid.ShotGridMappersTest.TASKS;
import static io.avalonsync.shotgrid.ShotGridMappersTest.list;
import static io.avalonsync.shotgrid.ShotGridMappersTest.one;
import static io.avalonsync.shotgrid.ShotGridMappersTest.page;
import static io.avalonsync.shotgrid.ShotGridMappersTest.rel;
import static io.avalonsync.shotgrid.ShotGridMappersTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ShotGrid project's records → DesiredProject → the real planner → documents, and event batches. */
class ShotGridProjectMappingTest {

    static ShotGridSnapshot snapshot() {
        Map<String, Object> project = list(page(row("Project", 70, "{\"name\": \"demo_show\", \"code\": \"demo\", \"archived\": false}", "{}"))).get(0);
        return new ShotGridSnapshot(project)
                .add("Step", list(page(row("Step", 8, "{\"code\": \"Comp\", \"short_name\": \"comp\", \"entity_type\": \"Shot\"}", "{}"))))
                .add("Asset", list(page(row("Asset", 1234, "{\"code\": \"Bruce\", \"sg_asset_type\": \"Character\"}", "{}"))))
                .add("Episode", list(page(row("Episode", 3, "{\"code\": \"ep01\"}", "{}"))))
                .add("Sequence", list(page(row("Sequence", 45, "{\"code\": \"sq010\"}", "{" + rel("episode", "Episode", 3, "ep01") + "}"))))
                .add("Shot", List.of(one(SHOT)))
                .add("Task", list(TASKS));
    }

    private static Store sync(DesiredProject desired, Store store) {
        return store.apply(new ProjectPlanner(Flavour.OPENPYPE, false).plan(desired, store.existing("demo_show"),
                ShotGridIdentity.INSTANCE));
    }

    @Test
    void fullSyncWritesTypeAwareIdentitiesTreeTasksAndConfigAndAReRunWritesNothing() {
        DesiredProject desired = new ShotGridProjectMapping().map(snapshot());
        assertEquals(List.of("AssetCategory:character", "Asset:1234", "Episode:3", "Sequence:45", "Shot:1234"),
                desired.assets().stream().map(a -> a.trackerId()).toList());

        Store store = sync(desired, new Store());

        Document project = store.project();
        assertEquals(70, TrackerIdentity.read(project, "data.shotgridId"));
        assertEquals("Project", TrackerIdentity.read(project, "data.shotgridType"));
        assertEquals("comp", TrackerIdentity.read(project, "config.tasks.Comp.short_name"));
        Document shot = store.byPath("data.shotgridKey", "Shot:1234");
        Document asset = store.byPath("data.shotgridKey", "Asset:1234");
        assertNotNull(shot);
        assertNotNull(asset);
        assertTrue(shot.get("_id") != asset.get("_id") && !shot.get("_id").equals(asset.get("_id")), "Shot 1234 and Asset 1234 are two documents");
        assertEquals(1234, TrackerIdentity.read(shot, "data.shotgridId"));
        assertEquals("Shot", TrackerIdentity.read(shot, "data.shotgridType"));
        assertEquals("sq010_sh0010", shot.get("name"));
        assertEquals(List.of("ep01", "sq010"), TrackerIdentity.read(shot, "data.parents"));
        assertEquals(new Document("type", "Comp").append("status", "wtg").append("shotgridId", 8576),
                TrackerIdentity.read(shot, "data.tasks.comp"));
        assertEquals(8, TrackerIdentity.read(shot, "data.handleStart"));
        assertEquals(List.of("Character"), TrackerIdentity.read(asset, "data.parents"), "group named after the raw type");
        assertEquals("AssetCategory", TrackerIdentity.read(store.byPath("data.shotgridKey", "AssetCategory:character"),
                "data.shotgridType"));

        assertEquals(List.of(), new ProjectPlanner(Flavour.OPENPYPE, false).plan(new ShotGridProjectMapping().map(snapshot()),
                store.existing("demo_show"), ShotGridIdentity.INSTANCE).writes());
    }

    @Test
    void eventBatchClassificationAndADeletedTaskLeavesDataTasks() {
        Store store = sync(new ShotGridProjectMapping().map(snapshot()), new Store());
        ShotGridEvents events = new ShotGridEvents(new ShotGridProjects(""), null);
        List<Document> entries = List.of(
                entry(1, "Shotgun_Task_Retirement", "Task", 8576, null),
                entry(2, "Shotgun_Shot_Change", "Shot", 1234, "sg_status_list"),
                entry(3, "Shotgun_Asset_Retirement", "Asset", 1234, null));
        ShotGridEventBatch batch = events.classify(batch(entries));
        assertEquals(ShotGridEventBatch.ENTITIES, batch.getAction());
        assertEquals(java.util.Set.of(8576), batch.getTaskRead().getIds());
        assertEquals(java.util.Set.of("Shot:1234", "Asset:1234"), batch.scope());

        // what the reads return: the retired task (read with return_only retired) names its shot; the shot has
        // no live task any more; the asset is gone
        batch.getTaskRead().found(list(TASKS));
        events.taskEntities(batch);
        batch.getEntityReads().stream().filter(r -> r.getType().equals("Shot")).findFirst().orElseThrow().found(List.of(one(SHOT)));
        batch.setProject(snapshot().project());
        DesiredProject desired = events.desired(batch);
        assertEquals(List.of("Shot:1234"), desired.assets().stream().map(a -> a.trackerId()).toList());

        store.apply(new ProjectPlanner(Flavour.OPENPYPE, false).plan(desired, store.existing("demo_show"),
                ShotGridIdentity.INSTANCE, batch.scope()));

        assertEquals(new Document(), TrackerIdentity.read(store.byPath("data.shotgridKey", "Shot:1234"), "data.tasks"));
        assertEquals("asset", store.byPath("data.shotgridKey", "Asset:1234").get("type"), "sync.deletes=ignore keeps it");
    }

    @Test
    void sequenceRenameOrMoveResyncsTheProjectStepsResyncEverythingProjectChangeResyncsTheProject() {
        ShotGridEvents events = new ShotGridEvents(new ShotGridProjects(""), null);
        assertEquals(ShotGridEventBatch.PROJECT, events.classify(batch(List.of(entry(1, "Shotgun_Sequence_Change", "Sequence", 45, "code")))).getAction());
        assertEquals(ShotGridEventBatch.PROJECT, events.classify(batch(List.of(entry(1, "Shotgun_Episode_Change", "Episode", 3, "code")))).getAction());
        assertEquals(ShotGridEventBatch.ENTITIES, events.classify(batch(List.of(entry(1, "Shotgun_Sequence_Change", "Sequence", 45, "sg_status_list")))).getAction());
        assertEquals(ShotGridEventBatch.PROJECT, events.classify(batch(List.of(entry(1, "Shotgun_Project_Change", "Project", 70, "name")))).getAction());
        assertEquals(ShotGridEventBatch.ALL, events.classify(batch(List.of(entry(1, "Shotgun_Shot_New", "Shot", 1, null),
                entry(2, "Shotgun_Step_Change", "Step", 8, "code")))).getAction());
        ShotGridResponseException e = org.junit.jupiter.api.Assertions.assertThrows(ShotGridResponseException.class,
                () -> events.classify(batch(List.of(new Document("eventId", "9").append("name", "Shotgun_Shot_New").append("data", new Document())))));
        assertTrue(e.getMessage().contains("shotgrid event 9"), e.getMessage());
    }

    private static Document entry(long id, String name, String type, int entityId, String attribute) {
        return new Document("_id", "shotgrid:" + id).append("eventId", String.valueOf(id)).append("name", name)
                .append("project", "70").append("attempts", 0)
                .append("data", new Document("entity_type", type).append("entity_id", entityId)
                        .append("action", name.substring(name.lastIndexOf('_') + 1)).append("attribute_name", attribute));
    }

    private static JournalBatch batch(List<Document> entries) {
        List<JournalBatch> batches = JournalBatch.group("shotgrid", entries);
        assertEquals(1, batches.size());
        return batches.get(0);
    }
}
