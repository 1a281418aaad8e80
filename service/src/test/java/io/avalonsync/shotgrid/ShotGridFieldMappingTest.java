package io.avalonsync.shotgrid;

import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.ShotGridHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shotgrid.fields.*} and {@code shotgrid.entity-types} end to end: the ShotGrid simulator's fields reach Avalon
 * typed, through the full sync and the event-log leecher; entity types left out are neither read nor written.
 */
class ShotGridFieldMappingTest {

    private static final long WAIT = 15_000;

    private static Object data(ShotGridHarness h, String key, String path) {
        Document doc = h.byKey("demo_show", key);
        return doc == null ? null : TrackerIdentity.read(doc, path);
    }

    @Test
    void mappedFieldsReachAvalonInTheFullSyncAndThroughEvents() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of(
                "shotgrid.fields.shot.cutDuration", "sg_cut_duration:int",
                "shotgrid.fields.shot.sequenceCode", "sg_sequence.Sequence.code:text",
                "shotgrid.fields.notes", "description",
                "shotgrid.fields.sequence.notes", "code:text",
                "shotgrid.fields.shot.take", "description:int",
                "shotgrid.fields.project.projectCode", "code"))) {
            Map<String, Object> artist = ShotGridHarness.artist(h.data);
            Map<String, Object> sgTake = h.data.findOne(ShotGridData.SHOT, "code", "ep01_sq010_sh0020");
            h.data.update(ShotGridData.SHOT, (Integer) sgTake.get("id"), Map.of("description", "12"), artist);
            h.appWithEvents(Map.of());
            SyncRun run = h.fullSync();
            assertFalse(run.failed(), run.summary());
            await("the leecher's first poll", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                    .countDocuments() > 0);

            Map<String, Object> sgShot = h.data.findOne(ShotGridData.SHOT, "code", "ep01_sq010_sh0010");
            String shotKey = "Shot:" + sgShot.get("id");
            assertEquals(sgShot.get("sg_cut_duration"), data(h, shotKey, "data.cutDuration"));
            assertEquals("ep01_sq010", data(h, shotKey, "data.sequenceCode"), "a linked field");
            assertEquals(sgShot.get("description"), data(h, shotKey, "data.notes"));
            Map<String, Object> sgAsset = h.data.findOne(ShotGridData.ASSET, "code", "character0001");
            assertEquals(sgAsset.get("description"), data(h, "Asset:" + sgAsset.get("id"), "data.notes"));
            assertEquals(TrackerIdentity.read(h.project("demo_show"), "data.code"),
                    TrackerIdentity.read(h.project("demo_show"), "data.projectCode"));
            assertEquals(1001, data(h, shotKey, "data.frameStart"), "the built-in keys stay");
            assertEquals(12, data(h, "Shot:" + sgTake.get("id"), "data.take"), "text '12' as an int");
            assertNull(data(h, shotKey, "data.take"), "a description that is no whole number is left out (logged)");
            Map<String, Object> sgSequence = h.data.findOne(ShotGridData.SEQUENCE, "code", "ep01_sq010");
            assertEquals("ep01_sq010", data(h, "Sequence:" + sgSequence.get("id"), "data.notes"),
                    "the sequence's own mapping wins over the one for every type");

            h.data.update(ShotGridData.SHOT, (Integer) sgShot.get("id"), Map.of("sg_cut_duration", 77, "description", "retimed"), artist);
            await("the event's cut duration", WAIT, () -> Integer.valueOf(77).equals(data(h, shotKey, "data.cutDuration")));
            assertEquals("retimed", data(h, shotKey, "data.notes"));
        }
    }

    @Test
    void entityTypesLeftOutAreNeitherReadNorWritten() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of("shotgrid.entity-types", "Asset, Shot"))) {
            h.appWithEvents(Map.of());
            SyncRun run = h.fullSync();
            assertFalse(run.failed(), run.summary());
            assertTrue(h.shotgrid.requestCountsByRoute().keySet().stream().noneMatch(r -> r.contains("sequences")
                    || r.contains("episodes") || r.contains("tasks")), "requests: " + h.shotgrid.requestCountsByRoute());
            await("the leecher's first poll", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                    .countDocuments() > 0);

            assertEquals(0, h.collection("demo_show").countDocuments(Filters.in("data.shotgridType", "Sequence", "Episode")));
            Map<String, Object> sgShot = h.data.findOne(ShotGridData.SHOT, "code", "ep01_sq010_sh0010");
            String shotKey = "Shot:" + sgShot.get("id");
            assertEquals(List.of(), data(h, shotKey, "data.parents"), "without sequences a shot is at the top");
            assertNull(data(h, shotKey, "data.visualParent"));
            assertEquals(new Document(), data(h, shotKey, "data.tasks"), "tasks not synced");

            // events: a new sequence is not written; a shot's change is
            Map<String, Object> artist = ShotGridHarness.artist(h.data);
            Map<String, Object> project = ShotGridData.link(ShotGridData.PROJECT,
                    (Integer) h.data.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id"));
            int sequence = h.data.create(ShotGridData.SEQUENCE, Map.of("code", "ep01_sq900", "project", project), artist);
            h.data.update(ShotGridData.SHOT, (Integer) sgShot.get("id"), Map.of("sg_cut_out", 1234), artist);
            await("the shot's change", WAIT, () -> Integer.valueOf(1234).equals(data(h, shotKey, "data.clipOut")));
            h.awaitEventsRead(List.of(h.data.lastEventId()), WAIT);
            await("the journal to settle", WAIT, h::journalSettled);
            assertNull(h.byKey("demo_show", "Sequence:" + sequence), "sequences are not synced");
        }
    }
}
