package io.avalonsync.kitsu;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kitsu events end to end: simulator socket + event log → listener → journal → processor → Mongo. */
class KitsuEventsTest {

    private static final long WAIT = 15_000;
    private SyncHarness h;
    private KitsuData kitsu;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private void start(Map<String, String> settings) throws Exception {
        h = SyncHarness.demo(settings);
        kitsu = h.kitsu.data();
        h.appWithEvents(Map.of());
        assertEquals(0, h.fullSync().exitCode());
        await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
        // changes before the listener's first catch-up are the full sync's: make them only once the cursor is placed
        String uri = settings.get("avalon.mongo-uri");
        try (com.mongodb.client.MongoClient client = uri == null ? null : com.mongodb.client.MongoClients.create(uri)) {
            com.mongodb.client.MongoClient store = client != null ? client : h.client;
            await("the event cursor", WAIT, () -> store.getDatabase("avalon_sync").getCollection("cursors")
                    .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);
        }
    }

    private String projectId(String name) {
        return (String) kitsu.projects().stream().filter(p -> name.equals(p.get("name"))).findFirst().orElseThrow().get("id");
    }

    private Map<String, Object> entity(String project, String type, String name, String parent) {
        return kitsu.entities(projectId(project), type).stream().filter(e -> name.equals(e.get("name")))
                .filter(e -> parent == null || parent.equals(kitsu.get((String) e.get("parent_id")).get("name")))
                .findFirst().orElseThrow();
    }

    private MongoCollection<Document> journal() {
        return h.client.getDatabase("avalon_sync").getCollection("event_journal");
    }

    @Test
    void everyEntityEventReachesAvalon() throws Exception {
        start(Map.of());
        String agent = projectId("Agent 327");
        Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ020", "E02");
        Map<String, Object> shot = kitsu.addShot(agent, (String) sequence.get("id"), "SH050", 1001, 1024, null);
        await("shot:new", WAIT, () -> h.asset("Agent_327", "E02_SQ020_SH050") != null);
        assertEquals(1024, h.asset("Agent_327", "E02_SQ020_SH050").get("data", Document.class).get("frameEnd"));

        kitsu.update((String) shot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", 1100)));
        await("shot:update", WAIT, () -> Integer.valueOf(1100).equals(
                h.byZouId("Agent_327", (String) shot.get("id")).get("data", Document.class).get("frameEnd")));

        Map<String, Object> layout = kitsu.tasks(agent).stream().map(t -> kitsu.get((String) t.get("task_type_id")))
                .filter(t -> "Layout".equals(t.get("name"))).findFirst().orElseThrow();
        Map<String, Object> status = kitsu.tasks(agent).stream().map(t -> kitsu.get((String) t.get("task_status_id")))
                .findFirst().orElseThrow();
        Map<String, Object> task = kitsu.addTask(agent, (String) shot.get("id"), (String) layout.get("id"), (String) status.get("id"));
        await("task:new", WAIT, () -> tasks(shot).containsKey("Layout"));
        kitsu.remove((String) task.get("id"));
        await("task:delete", WAIT, () -> !tasks(shot).containsKey("Layout"));

        Map<String, Object> asset = entity("Agent 327", "Asset", "Briefcase", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Briefcase Gold"));
        await("asset:update rename", WAIT, () -> "Briefcase_Gold".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));

        Map<String, Object> renamed = entity("Agent 327", "Sequence", "SQ010", "E01");
        kitsu.update((String) renamed.get("id"), Map.of("name", "SQ015"));
        await("sequence:update renames the shots below", WAIT, () -> h.asset("Agent_327", "E01_SQ015_SH010") != null);

        String projectAssetType = (String) asset.get("entity_type_id");
        Map<String, Object> newAsset = kitsu.addAsset(agent, projectAssetType, "Umbrella");
        await("asset:new", WAIT, () -> h.byZouId("Agent_327", (String) newAsset.get("id")) != null);
        assertEquals(List.of("Prop"), h.byZouId("Agent_327", (String) newAsset.get("id")).get("data", Document.class)
                .getList("parents", String.class));

        await("the journal to drain", WAIT, () -> journal().countDocuments(Filters.in("status", "pending", "failed")) == 0);
        assertEquals(0, journal().countDocuments(Filters.eq("status", "parked")));
    }

    @SuppressWarnings("unchecked")
    private Document tasks(Map<String, Object> shot) {
        Document doc = h.byZouId("Agent_327", (String) shot.get("id"));
        return doc == null ? new Document() : doc.get("data", Document.class).get("tasks", Document.class);
    }

    @Test
    void deleteFollowsSyncDeletes() throws Exception {
        start(Map.of("sync.deletes", "archive"));
        Map<String, Object> teacup = entity("Agent 327", "Asset", "Teacup", null);
        kitsu.remove((String) teacup.get("id"));
        await("asset:delete archives", WAIT,
                () -> "archived_asset".equals(h.byZouId("Agent_327", (String) teacup.get("id")).getString("type")));
    }

    @Test
    void eventsWhileDisconnectedAreCaughtUpOnReconnect() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        h.kitsu.stopEventStream();
        await("the listener to notice", WAIT, () -> h.kitsu.eventClients() == 0);
        String agent = projectId("Agent 327");
        Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ010", "E02");
        Map<String, Object> shot = kitsu.addShot(agent, (String) sequence.get("id"), "SH060", 1001, 1010, null);
        h.kitsu.startEventStream();
        await("catch-up after reconnect", WAIT, () -> h.byZouId("Agent_327", (String) shot.get("id")) != null);
    }

    @Test
    void missedLiveEventsAreFoundByThePoll() throws Exception {
        start(Map.of());
        h.kitsu.setEventsEmitted(false);
        Map<String, Object> asset = entity("Sprite Fright", "Asset", "Phone", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Smartphone"));
        await("poll catch-up", WAIT, () -> "Smartphone".equals(h.byZouId("Sprite_Fright", (String) asset.get("id")).getString("name")));
    }

    @Test
    void malformedPayloadIsReportedAndTheListenerKeepsGoing() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        h.kitsu.emitRaw("asset:update", "{not json");
        h.kitsu.emitRaw("shot:update", "[1,2,3]");
        Map<String, Object> asset = entity("Agent 327", "Asset", "Teacup", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Tea Cup"));
        await("later events still applied", WAIT, () -> "Tea_Cup".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
    }

    @Test
    void duplicateEventsAreNoOpsAndOrderDoesNotMatter() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        String agent = projectId("Agent 327");
        Map<String, Object> asset = entity("Agent 327", "Asset", "Henchman", null);
        // the same entity's update logged before and after a rename: applying both, in either order,
        // gives what Kitsu says now
        kitsu.recordEvent("asset:update", Map.of("asset_id", asset.get("id"), "project_id", agent), agent);
        kitsu.update((String) asset.get("id"), Map.of("name", "Henchman Two"));
        kitsu.recordEvent("asset:update", Map.of("asset_id", asset.get("id"), "project_id", agent), agent);
        await("applied", WAIT, () -> "Henchman_Two".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
        await("the journal to drain", WAIT, () -> journal().countDocuments(Filters.in("status", "pending", "failed")) == 0);
        long journaled = journal().countDocuments();
        // a catch-up from the cursor asks for the last second again: nothing is journaled twice
        h.app().context().createProducerTemplate().sendBody("seda:kitsu-events-catch-up?size=1&discardWhenFull=true", null);
        Thread.sleep(1500);
        assertEquals(journaled, journal().countDocuments());
        assertEquals(1, h.collection("Agent_327").countDocuments(Filters.eq("data.zou.id", asset.get("id"))));
    }

    @Test
    void poisonEventIsParkedAndDoesNotBlockItsProject() throws Exception {
        start(Map.of("kitsu.events.max-attempts", "2", "kitsu.events.poll-interval", "600000"));
        String agent = projectId("Agent 327");
        kitsu.recordEvent("shot:update", Map.of("project_id", agent), agent); // no shot_id: cannot be applied
        Map<String, Object> asset = entity("Agent 327", "Asset", "Barber Chair", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Barber Stool"));
        await("the poison event parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 1);
        Document parked = journal().find(Filters.eq("status", "parked")).first();
        assertTrue(parked.getString("error").contains("has no shot_id"), parked.getString("error"));
        assertEquals(2, parked.getInteger("attempts"));
        await("the project goes on", WAIT, () -> "Barber_Stool".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
    }

    @Test
    void aPoisonEventInABatchFailsItOnceThenTheOthersAreAppliedWithoutIt() throws Exception {
        start(Map.of("kitsu.events.max-attempts", "3", "kitsu.events.poll-interval", "600000"));
        // while the socket is down the events pile up in Kitsu; the catch-up journals them together
        h.kitsu.stopEventStream();
        await("the listener to notice", WAIT, () -> h.kitsu.eventClients() == 0);
        String agent = projectId("Agent 327");
        Map<String, Object> chair = entity("Agent 327", "Asset", "Barber Chair", null);
        kitsu.update((String) chair.get("id"), Map.of("name", "Barber Stool"));
        kitsu.recordEvent("asset:update", Map.of("project_id", agent), agent); // no asset_id: cannot be applied
        Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ010", "E02");
        Map<String, Object> shot = kitsu.addShot(agent, (String) sequence.get("id"), "SH070", 1001, 1020, null);
        h.kitsu.startEventStream();

        await("the poison event parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 1);
        Document parked = journal().find(Filters.eq("status", "parked")).first();
        assertTrue(parked.getString("error").contains("has no asset_id"), parked.getString("error"));
        assertEquals(3, parked.getInteger("attempts"));
        await("the good events applied", WAIT, () -> h.byZouId("Agent_327", (String) shot.get("id")) != null
                && "Barber_Stool".equals(h.byZouId("Agent_327", (String) chair.get("id")).getString("name")));
        // the batch failed once because of the poison event; retried alone, each good event went through
        for (Document entry : journal().find(Filters.ne("status", "parked"))) {
            assertEquals("done", entry.getString("status"), entry.toJson());
        }
        assertTrue(journal().countDocuments(Filters.and(Filters.eq("status", "done"), Filters.eq("attempts", 1))) >= 2,
                "the good events were batched with the poison one and failed once with it");
    }

    @Test
    void aTokenRefusedDuringTheParallelEntityReadsLogsInAgainAndGoesOn() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        Map<String, Object> asset = entity("Agent 327", "Asset", "Teacup", null);
        long logins = h.kitsu.requestCountsByRoute().getOrDefault("POST /api/auth/login", 0L);
        // the entity read happens inside the batch's parallel split: its 401 arrives wrapped
        h.kitsu.failNext("/api/data/assets/" + asset.get("id"), 401, 1);
        kitsu.update((String) asset.get("id"), Map.of("name", "Tea Bowl"));
        await("the event applied", WAIT, () -> "Tea_Bowl".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
        assertTrue(h.kitsu.requestCountsByRoute().getOrDefault("POST /api/auth/login", 0L) > logins,
                "logged in again: " + h.kitsu.requestCountsByRoute());
        Document entry = journal().find(Filters.eq("name", "asset:update")).sort(new Document("seq", -1)).first();
        assertEquals("done", entry.getString("status"));
        assertEquals(0, entry.getInteger("attempts"), "redelivered within the attempt, not retried later");
    }

    @Test
    void mongoDownForAWhileLosesNoEvent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("avalon.mv");
        int port;
        try (EmbeddedMongo probe = EmbeddedMongo.file(file, 0)) {
            port = probe.port();
        }
        EmbeddedMongo store = EmbeddedMongo.file(file, port);
        try {
            start(Map.of("avalon.mongo-uri", store.uri()));
            store.close();
            String agent = projectId("Agent 327");
            Map<String, Object> sequence = entity("Agent 327", "Sequence", "SQ010", "E01");
            Map<String, Object> shot = kitsu.addShot(agent, (String) sequence.get("id"), "SH070", 1001, 1010, null);
            Thread.sleep(2500); // catch-ups fail meanwhile: the cursor does not move
            store = EmbeddedMongo.file(file, port);
            try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(store.uri())) {
                MongoCollection<Document> shots = client.getDatabase("avalon").getCollection("Agent_327");
                await("the event applied once Mongo is back", 30_000,
                        () -> shots.countDocuments(Filters.eq("data.zou.id", shot.get("id"))) == 1);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void anEventBeforeTheFirstFullSyncIsRetriedUntilItsParentIsThere() throws Exception {
        h = SyncHarness.demo(Map.of("kitsu.events.max-attempts", "50"));
        kitsu = h.kitsu.data();
        h.appWithEvents(Map.of());
        await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
        await("the event cursor to start", WAIT,
                () -> h.client.getDatabase("avalon_sync").getCollection("cursors").countDocuments() == 1);
        Map<String, Object> sequence = entity("Sprite Fright", "Sequence", "SQ010", null);
        Map<String, Object> shot = kitsu.addShot(projectId("Sprite Fright"), (String) sequence.get("id"), "SH090", 1001, 1010, null);
        // nothing of the project is in Avalon yet: the shot cannot be placed, the failure is recorded
        await("the failure recorded on the journal entry", WAIT, () -> journal().countDocuments(
                Filters.and(Filters.eq("status", "failed"), Filters.eq("data.shot_id", shot.get("id")))) == 1);
        Document failed = journal().find(Filters.eq("data.shot_id", shot.get("id"))).first();
        assertTrue(failed.getString("error").contains("parent"), failed.getString("error"));
        assertEquals(0, h.fullSync().exitCode());
        await("the retry applies the event", WAIT, () -> journal().countDocuments(
                Filters.and(Filters.eq("status", "done"), Filters.eq("data.shot_id", shot.get("id")))) == 1);
        assertEquals(1, h.collection("Sprite_Fright").countDocuments(Filters.eq("data.zou.id", shot.get("id"))));
    }

    @Test
    void healthShowsTheJournal() throws Exception {
        start(Map.of());
        assertNotNull(h.app().context().getRegistry().lookupByName("eventJournal"));
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + h.statusPort() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("\"kitsu-events\""), response.body());
        assertTrue(response.body().contains("\"parked\""), response.body());
    }
}
