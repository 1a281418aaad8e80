package io.avalonsync.shotgrid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.ShotGridHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.ShotGridData;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ShotGrid changes through the event log: the leecher route polls the simulator, journals, the processor route
 * re-reads and writes Avalon. Each step waits for the effect in Mongo.
 */
class ShotGridEventsTest {

    private static final long WAIT = 15_000;

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static ShotGridHarness started(Map<String, String> extra) throws Exception {
        ShotGridHarness h = ShotGridHarness.demo(extra);
        h.appWithEvents(Map.of());
        assertFalse(h.fullSync().failed());
        // the leecher's first poll records where the log stands
        await("the leecher's first poll", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                .countDocuments() > 0);
        return h;
    }

    private static Object data(ShotGridHarness h, String key, String path) {
        Document doc = h.byKey("demo_show", key);
        return doc == null ? null : TrackerIdentity.read(doc, path);
    }

    @Test
    void everyKindOfChangeReachesAvalon() throws Exception {
        try (ShotGridHarness h = started(Map.of("sync.deletes", "archive"))) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            Map<String, Object> project = ShotGridData.link(ShotGridData.PROJECT,
                    (Integer) d.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id"));
            Map<String, Object> ep01 = ShotGridData.link(ShotGridData.EPISODE, (Integer) d.findOne(ShotGridData.EPISODE, "code", "ep01").get("id"));

            // new: a sequence and a shot in it (parents created first), a task with a step
            int seq = d.create(ShotGridData.SEQUENCE, fields("code", "ep01_sq900", "episode", ep01, "project", project), artist);
            int shot = d.create(ShotGridData.SHOT, fields("code", "ep01_sq900_sh0010", "sg_sequence",
                    ShotGridData.link(ShotGridData.SEQUENCE, seq), "sg_cut_in", 1001, "sg_cut_out", 1040,
                    "sg_head_in", 993, "sg_tail_out", 1048, "project", project), artist);
            Map<String, Object> fx = ShotGridData.link(ShotGridData.STEP, (Integer) d.findOne(ShotGridData.STEP, "code", "FX").get("id"));
            Map<String, Object> comp = ShotGridData.link(ShotGridData.STEP, (Integer) d.findOne(ShotGridData.STEP, "code", "Comp").get("id"));
            int task = d.create(ShotGridData.TASK, fields("content", "fx", "step", fx,
                    "entity", ShotGridData.link(ShotGridData.SHOT, shot), "project", project), artist);
            String shotKey = "Shot:" + shot;
            await("new shot with its task", WAIT, () -> "FX".equals(data(h, shotKey, "data.tasks.fx.type")));
            assertEquals(List.of("ep01", "ep01_sq900"), data(h, shotKey, "data.parents"));
            assertEquals(8, data(h, shotKey, "data.handleStart"));
            assertNotNull(h.byKey("demo_show", "Sequence:" + seq));

            // changes: status, frame range, task step, rename, move to another sequence
            d.update(ShotGridData.SHOT, shot, fields("sg_status_list", "ip", "sg_cut_out", 1050), artist);
            d.update(ShotGridData.TASK, task, fields("step", comp), artist);
            await("status, frames and step", WAIT, () -> "ip".equals(data(h, shotKey, "data.status"))
                    && Integer.valueOf(1050).equals(data(h, shotKey, "data.frameEnd"))
                    && "Comp".equals(data(h, shotKey, "data.tasks.fx.type")));
            d.update(ShotGridData.SHOT, shot, fields("code", "ep01_sq900_sh0020"), artist);
            await("rename", WAIT, () -> "ep01_sq900_sh0020".equals(h.byKey("demo_show", shotKey).get("name")));
            Map<String, Object> sq010 = d.findOne(ShotGridData.SEQUENCE, "code", "ep01_sq010");
            d.update(ShotGridData.SHOT, shot, fields("sg_sequence", ShotGridData.link(ShotGridData.SEQUENCE, (Integer) sq010.get("id"))), artist);
            await("move to another sequence", WAIT, () -> List.of("ep01", "ep01_sq010").equals(data(h, shotKey, "data.parents")));

            // a sequence renamed: its shots' data.parents follow
            int sq010Id = (Integer) sq010.get("id");
            d.update(ShotGridData.SEQUENCE, sq010Id, fields("code", "ep01_sq011"), artist);
            await("descendants follow a rename", WAIT, () -> List.of("ep01", "ep01_sq011").equals(data(h, shotKey, "data.parents")));

            // a task deleted leaves data.tasks; the shot deleted is archived (sync.deletes=archive), revived comes back
            d.retire(ShotGridData.TASK, task, artist);
            await("task removed", WAIT, () -> data(h, shotKey, "data.tasks.fx") == null);
            d.retire(ShotGridData.SHOT, shot, artist);
            await("retired shot archived", WAIT, () -> "archived_asset".equals(h.byKey("demo_show", shotKey).get("type")));
            d.revive(ShotGridData.SHOT, shot, artist);
            await("revived shot", WAIT, () -> "asset".equals(h.byKey("demo_show", shotKey).get("type")));

            // the script's own changes are not journaled (its ApiUser logs events)
            Map<String, Object> script = h.shotgrid.scriptUser();
            d.update(ShotGridData.API_USER, (Integer) script.get("id"), fields("generate_event_log_entries", true), artist);
            List<Integer> own = d.update(ShotGridData.SHOT, shot, fields("sg_status_list", "hld"), script);
            assertFalse(own.isEmpty(), "the script's change is logged");
            d.update(ShotGridData.SHOT, shot, fields("sg_cut_in", 1002), artist);
            await("a later change", WAIT, () -> Integer.valueOf(1002).equals(data(h, shotKey, "data.clipIn")));
            for (Integer id : own) {
                assertNull(h.client.getDatabase("avalon_sync").getCollection("event_journal")
                        .find(Filters.eq("_id", "shotgrid:" + id)).first(), "own event " + id + " journaled");
            }
            await("journal applied", WAIT, h::journalSettled);
            assertEquals(0, h.journalCount("parked"));
        }
    }

    /**
     * A full sync reads the project's searches, then writes: a change made in between reaches Avalon through its
     * event while the sync still holds the older read, and the sync's write must not undo it (as in KitsuEventsTest).
     */
    @Test
    void aChangeMadeWhileAFullSyncReadsItsProjectIsNotUndoneByThatSync() throws Exception {
        try (ShotGridHarness h = started(Map.of())) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            int shot = d.ids(ShotGridData.SHOT).get(0);
            String tasksSearch = "POST /api/v1/entity/tasks/_search";
            long asked = h.shotgrid.requestCountsByRoute().getOrDefault(tasksSearch, 0L);
            // the sync has read the shots when it searches the tasks (the last search); the answer waits (under
            // shotgrid.timeout), and the change lands then
            h.shotgrid.hangNext(".*/entity/tasks/_search", 2500, 1);
            java.util.concurrent.CompletableFuture<io.avalonsync.sync.SyncRun> sync = io.avalonsync.ServiceHarness.inBackground(h::fullSync);
            await("the full sync to search the tasks", WAIT,
                    () -> h.shotgrid.requestCountsByRoute().getOrDefault(tasksSearch, 0L) > asked);
            d.update(ShotGridData.SHOT, shot, fields("sg_cut_out", 1234), artist);
            io.avalonsync.sync.SyncRun run = sync.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(run.failed(), run.summary());
            await("journal applied", WAIT, h::journalSettled);
            assertEquals(1234, data(h, "Shot:" + shot, "data.frameEnd"), "the change made while the full sync read the project");
        }
    }

    @Test
    void lateIdsTokenExpiryFaultsAndAProjectSwitchedOff() throws Exception {
        try (ShotGridHarness h = started(Map.of("shotgrid.gap-timeout", "60000"))) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            List<Integer> shots = d.ids(ShotGridData.SHOT).subList(0, 3);

            // ids committed out of order: the highest is seen first, the lower ones later; none lost or doubled
            d.holdEvents(true);
            for (int i = 0; i < shots.size(); i++) {
                d.update(ShotGridData.SHOT, shots.get(i), fields("sg_cut_out", 2000 + i), artist);
            }
            d.holdEvents(false);
            List<Integer> held = d.heldEventIds();
            assertEquals(3, held.size());
            d.releaseEvent(held.get(2));
            await("the last event applied", WAIT, () -> Integer.valueOf(2002).equals(data(h, "Shot:" + shots.get(2), "data.frameEnd")));
            assertTrue(!Integer.valueOf(2000).equals(data(h, "Shot:" + shots.get(0), "data.frameEnd")), "not committed yet");
            h.awaitEventsRead(List.of(held.get(2)), WAIT); // the poll that read it left a gap below it
            d.releaseEvent(held.get(0));
            d.releaseEvent(held.get(1));
            await("late ids applied", WAIT, () -> Integer.valueOf(2000).equals(data(h, "Shot:" + shots.get(0), "data.frameEnd"))
                    && Integer.valueOf(2001).equals(data(h, "Shot:" + shots.get(1), "data.frameEnd")));
            for (Integer id : held) {
                assertEquals(1, h.client.getDatabase("avalon_sync").getCollection("event_journal")
                        .countDocuments(Filters.eq("eventId", String.valueOf(id))), "event " + id + " journaled once");
            }

            // token refused (401): a new token and the change goes through; 503 and a malformed page are retried
            h.shotgrid.expireTokens();
            h.shotgrid.failNext(".*/entity/shots/_search.*", 503, 1);
            h.shotgrid.malformedNext(".*/entity/event_log_entries/_search.*", 1);
            d.update(ShotGridData.SHOT, shots.get(0), fields("sg_status_list", "fin"), artist);
            await("change after token expiry and faults", WAIT, () -> "fin".equals(data(h, "Shot:" + shots.get(0), "data.status")));

            // the project switched off: its changes stay out of Avalon; switched on, the project is re-synced
            int projectId = (Integer) d.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
            h.awaitEventsRead(d.update(ShotGridData.PROJECT, projectId, fields(ShotGridData.SYNC_FIELD, false), artist), WAIT);
            // every later poll lists the projects after the switch: the shot's change is read and left out
            List<Integer> whileOff = d.update(ShotGridData.SHOT, shots.get(1), fields("sg_status_list", "hld"), artist);
            h.awaitEventsRead(whileOff, WAIT);
            await("journal applied", WAIT, h::journalSettled);
            assertEquals(0, h.client.getDatabase("avalon_sync").getCollection("event_journal")
                    .countDocuments(Filters.in("eventId", whileOff.stream().map(String::valueOf).toList())),
                    "a change of a project switched off is not journaled");
            assertFalse("hld".equals(data(h, "Shot:" + shots.get(1), "data.status")), "project switched off");
            d.update(ShotGridData.PROJECT, projectId, fields(ShotGridData.SYNC_FIELD, true), artist);
            await("project switched on is re-synced", WAIT, () -> "hld".equals(data(h, "Shot:" + shots.get(1), "data.status")),
                    () -> "data.status " + data(h, "Shot:" + shots.get(1), "data.status") + ", parked " + h.journalCount("parked"));
            await("journal applied", WAIT, h::journalSettled);
            assertEquals(0, h.journalCount("parked"));
        }
    }

    /**
     * A poll lists the projects to sync, then reads the event log. A project switched on between the two has its
     * switch event read while the list still lacks the project: that event must still re-sync it (it once was
     * dropped as "not synced", and the project stayed out of date until the next scheduled full sync).
     */
    @Test
    void aProjectSwitchedOnBetweenAPollsProjectListAndItsEventLogReadIsResynced() throws Exception {
        try (ShotGridHarness h = started(Map.of())) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            int shot = d.ids(ShotGridData.SHOT).get(0);
            int projectId = (Integer) d.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
            h.awaitEventsRead(d.update(ShotGridData.PROJECT, projectId, fields(ShotGridData.SYNC_FIELD, false), artist), WAIT);
            List<Integer> whileOff = d.update(ShotGridData.SHOT, shot, fields("sg_status_list", "omt"), artist);
            h.awaitEventsRead(whileOff, WAIT);
            await("journal applied", WAIT, h::journalSettled);
            assertFalse("omt".equals(data(h, "Shot:" + shot, "data.status")), "project switched off");

            // switched on just before the next event log read: that poll's project list was read without it
            java.util.concurrent.CompletableFuture<List<Integer>> on = new java.util.concurrent.CompletableFuture<>();
            h.shotgrid.beforeNext(".*/entity/event_log_entries/_search", () ->
                    on.complete(d.update(ShotGridData.PROJECT, projectId, fields(ShotGridData.SYNC_FIELD, true), artist)));
            h.awaitEventsRead(on.get(WAIT, java.util.concurrent.TimeUnit.MILLISECONDS), WAIT);
            await("project switched on is re-synced", WAIT, () -> "omt".equals(data(h, "Shot:" + shot, "data.status")),
                    () -> "data.status " + data(h, "Shot:" + shot, "data.status") + ", parked " + h.journalCount("parked"));
            await("journal applied", WAIT, h::journalSettled);
            assertEquals(0, h.journalCount("parked"));
        }
    }

    @Test
    void aBatchThatKeepsFailingIsParkedAndShownOnHealth() throws Exception {
        try (ShotGridHarness h = started(Map.of("shotgrid.events.max-attempts", "2"))) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            List<Integer> shots = d.ids(ShotGridData.SHOT);
            // a 400 is not transient: no redelivery, the batch fails, is retried once, then parked
            h.shotgrid.failNext(".*/entity/shots/_search.*", 400, 4);
            d.update(ShotGridData.SHOT, shots.get(0), fields("sg_status_list", "fin"), artist);
            await("the failing event parked", WAIT, () -> h.journalCount("parked") == 1);
            Document parked = h.client.getDatabase("avalon_sync").getCollection("event_journal")
                    .find(Filters.eq("status", "parked")).first();
            assertTrue(parked.getString("error").contains("ShotGrid answered HTTP 400"), parked.getString("error"));
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + h.statusPort() + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(response.body().contains("\"shotgrid-events\"") && response.body().contains("1 parked"), response.body());
            // a parked event no longer holds its project back
            h.shotgrid.clearFaults();
            d.update(ShotGridData.SHOT, shots.get(1), fields("sg_status_list", "rev"), artist);
            await("a later change applied", WAIT, () -> "rev".equals(data(h, "Shot:" + shots.get(1), "data.status")));
        }
    }

    /**
     * A sequence renamed re-syncs its project; a re-sync that cannot read the project is the event's failure
     * (retried, then parked, naming ShotGrid's answer), and nothing is written from the part it did read.
     */
    @Test
    void aProjectResyncThatFailsIsTheEventsFailure() throws Exception {
        try (ShotGridHarness h = started(Map.of("shotgrid.events.max-attempts", "2"))) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            int sequence = (Integer) d.findOne(ShotGridData.SEQUENCE, "code", "ep01_sq010").get("id");
            h.shotgrid.failNext(".*/entity/shots/_search.*", 400, 2);
            d.update(ShotGridData.SEQUENCE, sequence, fields("code", "ep01_sq011"), artist);
            await("the failing re-sync parked", WAIT, () -> h.journalCount("parked") == 1,
                    () -> h.client.getDatabase("avalon_sync").getCollection("event_journal").find()
                            .map(e -> e.get("status") + " after " + e.get("attempts") + " attempts: " + e.get("error"))
                            .into(new java.util.ArrayList<>()).toString());
            Document parked = h.client.getDatabase("avalon_sync").getCollection("event_journal")
                    .find(Filters.eq("status", "parked")).first();
            assertTrue(parked.getString("error").startsWith("ShotGrid answered HTTP 400 to ")
                    && parked.getString("error").contains("/entity/shots/_search"), parked.getString("error"));
            assertEquals("ep01_sq010", h.byKey("demo_show", "Sequence:" + sequence).get("name"), "not written in part");
        }
    }
}
