package io.avalonsync.kitsu;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sync.SyncRun;
import io.avalonsync.sync.SyncRuns;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
        // changes before the listener's first catch-up are the full sync's: it runs once the cursor is placed
        String uri = settings.get("avalon.mongo-uri");
        try (com.mongodb.client.MongoClient client = uri == null ? null : com.mongodb.client.MongoClients.create(uri)) {
            com.mongodb.client.MongoClient store = client != null ? client : h.client;
            await("the event cursor", WAIT, () -> store.getDatabase("avalon_sync").getCollection("cursors")
                    .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);
        }
        assertEquals(0, h.fullSync().exitCode());
    }

    /** Kitsu as the service finds it at its first start, set up before the service starts. */
    enum FreshStart {
        /** a new install, or a log pruned by {@code zou remove-old-data} */
        EMPTY_LOG(k -> k.removeEventsBefore(FOREVER)),
        EMPTY_LOG_TRACKER_CLOCK_AHEAD(k -> {
            k.removeEventsBefore(FOREVER);
            k.setClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(3)));
        }),
        EMPTY_LOG_TRACKER_CLOCK_BEHIND(k -> {
            k.removeEventsBefore(FOREVER);
            k.setClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
        }),
        /** the newest event is a day old: older than the full sync by far */
        NEWEST_EVENT_OLDER_THAN_THE_FULL_SYNC(k -> {
            k.removeEventsBefore(FOREVER);
            k.setClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
            k.recordEvent("person:update", Map.of("person_id", "someone"), null);
            k.setClock(Clock.systemUTC());
        }),
        /**
         * Zou's times are whole seconds: the newest second holds more events than a page of the log (a bulk
         * import), and the rename lands in that same second (the tracker's clock stands still here)
         */
        NEWEST_SECOND_FULLER_THAN_A_PAGE(k -> {
            k.setClock(Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC));
            for (int i = 0; i < KitsuEventCursor.PAGE + 200; i++) {
                k.recordEvent("person:update", Map.of("person_id", "p" + i), null);
            }
        });

        final Consumer<KitsuData> setUp;

        FreshStart(Consumer<KitsuData> setUp) {
            this.setUp = setUp;
        }
    }

    private static final Instant FOREVER = Instant.parse("9999-01-01T00:00:00Z");

    /** The daemon as deployed: listener and start-up full sync, against a Kitsu set up first. */
    private void startDaemon(Map<String, String> settings, Consumer<KitsuData> setUp) throws Exception {
        h = SyncHarness.demo(settings);
        kitsu = h.kitsu.data();
        setUp.accept(kitsu);
        h.appWithEvents(Map.of("kitsu.full-sync.at-start", "true"));
        await("the start-up full sync", 60_000, () -> {
            SyncRun run = runs().last("kitsu");
            return run != null && run.finished() != null;
        });
        assertEquals(0, runs().last("kitsu").exitCode(), runs().last("kitsu").summary());
    }

    private SyncRuns runs() {
        try {
            return h.app().context().getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(FreshStart.class)
    void theFirstChangeAfterAFreshStartReachesAvalon(FreshStart kitsuAtStart) throws Exception {
        startDaemon(Map.of(), kitsuAtStart.setUp);
        Map<String, Object> shot = entity("Agent 327", "Shot", "SH010", "SQ010");
        kitsu.update((String) shot.get("id"), Map.of("name", "SH011"));
        await("the rename after the full sync", WAIT, () -> "SH011".equals(
                h.byZouId("Agent_327", (String) shot.get("id")).get("data", Document.class).getString("label")));
    }

    @Test
    void aChangeMadeBeforeTheEventLogCouldBeReadIsNotSwallowedByTheCursor() throws Exception {
        // the event log answers 503 from the start: the start-up full sync goes on, the cursor cannot be placed
        h = SyncHarness.demo(Map.of());
        kitsu = h.kitsu.data();
        h.kitsu.failNext("/api/data/events/last", 503, 1_000_000);
        h.appWithEvents(Map.of("kitsu.full-sync.at-start", "true"));
        await("the start-up full sync", 60_000, () -> {
            SyncRun run = runs().last("kitsu");
            return run != null && run.finished() != null;
        });
        assertNull(h.client.getDatabase("avalon_sync").getCollection("cursors").find(
                Filters.eq("_id", KitsuEventCursor.CURSOR)).first(), "no cursor while the log cannot be read");
        // a change after the full sync read the shot, before the log can be read: it is the newest event then
        Map<String, Object> shot = entity("Sprite Fright", "Shot", "SH010", null);
        kitsu.update((String) shot.get("id"), Map.of("name", "SH012"));
        h.kitsu.clearFaults();
        await("the rename made before the cursor was placed", 30_000, () -> "SH012".equals(
                h.byZouId("Sprite_Fright", (String) shot.get("id")).get("data", Document.class).getString("label")));
    }

    /**
     * A restart with journal entries the last run left unapplied (stopped mid-round, or killed), against a slow
     * tracker: the journal processor is busy with them and a wake-up already waits for it when the start-up
     * catch-up wakes it too. The start-up full sync must not wait for that. It once did, 30 s: the catch-up's
     * wake-up expected a reply, a wake-up dropped because one already waits never gets one, and the catch-up was
     * then logged as failed.
     */
    @Test
    void theStartUpFullSyncDoesNotWaitForTheJournalTheLastRunLeft() throws Exception {
        h = SyncHarness.demo(Map.of());
        kitsu = h.kitsu.data();
        Map<String, Object> shot = entity("Agent 327", "Shot", "SH010", "SQ010");
        kitsu.update((String) shot.get("id"), Map.of("name", "SH011"));
        Map<String, Object> rename = kitsu.events().get(kitsu.events().size() - 1);
        assertEquals("shot:update", rename.get("name"));
        new EventJournal(h.client, "avalon_sync", 5, Duration.ofSeconds(1), Duration.ofSeconds(10))
                .append("kitsu", List.of(rename));
        h.kitsu.setLatencyMillis(300);

        long started = System.nanoTime();
        h.appWithEvents(Map.of("kitsu.full-sync.at-start", "true"));
        await("the start-up full sync to start", 60_000, () -> runs().started("kitsu"));
        double seconds = (System.nanoTime() - started) / 1e9;
        h.kitsu.setLatencyMillis(0);
        assertTrue(seconds < 10, "the start-up full sync started " + seconds + " s after the start");
        await("the start-up full sync", 60_000, () -> {
            SyncRun run = runs().last("kitsu");
            return run != null && run.finished() != null;
        });
        assertEquals(0, runs().last("kitsu").exitCode(), runs().last("kitsu").summary());
        await("the journaled rename applied", WAIT, () -> journal().countDocuments(Filters.eq("status", "done")) == 1);
        assertEquals("SH011", h.byZouId("Agent_327", (String) shot.get("id")).get("data", Document.class).getString("label"));
    }

    /**
     * A full sync reads a project's lists, then writes: a change made in between reaches Avalon through its event
     * while the sync still holds the older read. The sync's write must not undo it (the event's entry is done by
     * then, so nothing would bring the change back before the next full sync).
     */
    @Test
    void aChangeMadeWhileAFullSyncReadsItsProjectIsNotUndoneByThatSync() throws Exception {
        start(Map.of());
        Map<String, Object> shot = entity("Agent 327", "Shot", "SH010", "SQ010");
        String tasksList = ".*/data/projects/" + projectId("Agent 327") + "/tasks";
        String tasksRoute = "GET /api/data/projects/{id}/tasks";
        long asked = h.kitsu.requestCountsByRoute().getOrDefault(tasksRoute, 0L);
        // the sync has read the shots when it asks for the task list; the answer waits, and the rename lands then
        h.kitsu.hangNext(tasksList, 4000, 1);
        java.util.concurrent.CompletableFuture<SyncRun> sync = io.avalonsync.ServiceHarness.inBackground(h::fullSync);
        await("the full sync to ask for the task list", WAIT,
                () -> h.kitsu.requestCountsByRoute().getOrDefault(tasksRoute, 0L) > asked);
        kitsu.update((String) shot.get("id"), Map.of("name", "SH011"));
        SyncRun run = sync.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), run.summary());
        await("the journal drained", WAIT, () -> journal().countDocuments(Filters.in("status", "pending", "failed")) == 0);
        assertEquals("SH011", h.byZouId("Agent_327", (String) shot.get("id")).get("data", Document.class).getString("label"),
                "the rename made while the full sync read the project");
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
        // called directly, so it has read the events and journaled what it would when it returns
        h.app().context().createProducerTemplate().requestBody("direct:kitsu-events-catch-up", (Object) null);
        assertEquals(journaled, journal().countDocuments());
        assertEquals(1, h.collection("Agent_327").countDocuments(Filters.eq("data.zou.id", asset.get("id"))));
    }

    @Test
    void eventsAndTheFullSyncAgreeOnTheProjectConfigAndANoChangeEventWritesNothing() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        String agent = projectId("Agent 327");
        Document project = h.project("Agent_327");
        assertEquals("anim", project.get("config", Document.class).get("tasks", Document.class)
                .get("Animation", Document.class).getString("short_name"), "the full sync: Kitsu's short name");
        Map<String, Object> shot = entity("Agent 327", "Shot", "SH010", "SQ010");
        Document shotDoc = h.byZouId("Agent_327", (String) shot.get("id"));

        // Kitsu logs an update that changed nothing (a preview, a comment): nothing is written
        kitsu.recordEvent("shot:update", Map.of("shot_id", shot.get("id")), agent);
        await("the no-change event applied", WAIT, () -> journal().countDocuments(
                Filters.and(Filters.eq("status", "done"), Filters.eq("data.shot_id", shot.get("id")))) == 1);
        assertEquals(project, h.project("Agent_327"));
        assertEquals(shotDoc, h.byZouId("Agent_327", (String) shot.get("id")));

        // a real change of the shot: the shot is written, the project's config stays as the full sync wrote it
        kitsu.update((String) shot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", 1150)));
        await("shot:update", WAIT, () -> Integer.valueOf(1150).equals(
                h.byZouId("Agent_327", (String) shot.get("id")).get("data", Document.class).get("frameEnd")));
        assertEquals(project, h.project("Agent_327"));

        // and the next full sync finds nothing to write: no flip back and forth
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        assertEquals(project, h.project("Agent_327"));
        assertEquals(0, run.projects().stream().filter(p -> p.project().equals("Agent 327"))
                .mapToInt(p -> p.plan().writeCount()).sum(), run.summary());
    }

    @Test
    void poisonEventIsParkedAtOnceAndDoesNotBlockItsProject() throws Exception {
        // five attempts allowed: a poison event must not use them, nor hold its project back while it would
        start(Map.of("kitsu.events.max-attempts", "5", "kitsu.events.poll-interval", "600000"));
        String agent = projectId("Agent 327");
        kitsu.recordEvent("shot:update", Map.of("project_id", agent), agent); // no shot_id: cannot be applied
        Map<String, Object> asset = entity("Agent 327", "Asset", "Barber Chair", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Barber Stool"));
        await("the poison event parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 1);
        Document parked = journal().find(Filters.eq("status", "parked")).first();
        assertTrue(parked.getString("error").contains("has no shot_id"), parked.getString("error"));
        assertEquals(1, parked.getInteger("attempts"), "parked at its first attempt, not retried");
        await("the project goes on", WAIT, () -> "Barber_Stool".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
        Document good = journal().find(Filters.eq("data.asset_id", asset.get("id"))).first();
        assertEquals(0, good.getInteger("attempts"), "the good event never waited for the poison one: " + good.toJson());
    }

    @Test
    void aPoisonEventInABatchIsParkedAndTheOthersAreAppliedAtOnce() throws Exception {
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
        assertEquals(1, parked.getInteger("attempts"));
        await("the good events applied", WAIT, () -> h.byZouId("Agent_327", (String) shot.get("id")) != null
                && "Barber_Stool".equals(h.byZouId("Agent_327", (String) chair.get("id")).getString("name")));
        await("the journal to drain", WAIT, () -> journal().countDocuments(Filters.in("status", "pending", "failed")) == 0);
        // the good events of the batch went through with it, none failed because of the poison one
        for (Document entry : journal().find(Filters.ne("status", "parked"))) {
            assertEquals("done", entry.getString("status"), entry.toJson());
            assertEquals(0, entry.getInteger("attempts"), entry.toJson());
        }
    }

    @Test
    void eventsThatCanNeverSucceedAreParkedAtOnceWithTheirReason() throws Exception {
        start(Map.of("kitsu.events.max-attempts", "5", "kitsu.events.poll-interval", "600000"));
        String agent = projectId("Agent 327");
        Map<String, Object> shot = entity("Agent 327", "Shot", "SH010", "SQ010");
        Map<String, Object> listData = kitsu.recordRawEvent("asset:update", List.of("not", "an", "object"), agent);
        Map<String, Object> blankId = kitsu.recordEvent("task:update", Map.of("task_id", " "), agent);
        Map<String, Object> noProject = kitsu.recordEvent("shot:update", Map.of("shot_id", shot.get("id")), null);
        Map<String, Object> asset = entity("Agent 327", "Asset", "Teacup", null);
        kitsu.update((String) asset.get("id"), Map.of("name", "Tea Glass"));
        await("the good event applied", WAIT, () -> "Tea_Glass".equals(h.byZouId("Agent_327", (String) asset.get("id")).getString("name")));
        await("the three parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 3);
        assertParked(listData, "data is not an object");
        assertParked(blankId, "has no task_id");
        assertParked(noProject, "names no project");
        assertEquals(0, journal().countDocuments(Filters.eq("status", "failed")));
    }

    @Test
    void anEventWhoseReadKitsuRefusesIsParkedNotRetried() throws Exception {
        start(Map.of("kitsu.events.max-attempts", "5", "kitsu.events.poll-interval", "600000"));
        Map<String, Object> asset = entity("Agent 327", "Asset", "Teacup", null);
        // a 4xx other than 401/404/408/429: asking again gets the same answer
        h.kitsu.failNext("/api/data/assets/" + asset.get("id"), 403, 1000);
        kitsu.update((String) asset.get("id"), Map.of("name", "Tea Mug"));
        await("the event parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 1);
        Document parked = journal().find(Filters.eq("status", "parked")).first();
        assertEquals(1, parked.getInteger("attempts"), parked.toJson());
        assertTrue(parked.getString("error").contains("403"), parked.getString("error"));
    }

    private void assertParked(Map<String, Object> event, String reason) {
        Document entry = journal().find(Filters.eq("eventId", event.get("id"))).first();
        assertNotNull(entry, "journaled: " + event);
        assertEquals("parked", entry.getString("status"), entry.toJson());
        assertEquals(1, entry.getInteger("attempts"), entry.toJson());
        assertTrue(entry.getString("error").contains(reason), entry.getString("error"));
        assertTrue(!entry.getString("error").contains("project null"), entry.getString("error"));
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
        // the batch is marked done after its Avalon write: wait for the mark, not only for the write
        await("the event marked done", WAIT, () -> "done".equals(journal().find(Filters.eq("name", "asset:update"))
                .sort(new Document("seq", -1)).first().getString("status")));
        Document entry = journal().find(Filters.eq("name", "asset:update")).sort(new Document("seq", -1)).first();
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
            // catch-ups fail meanwhile and the cursor does not move
            try (io.avalonsync.socketio.LogCapture log = new io.avalonsync.socketio.LogCapture(
                    io.avalonsync.journal.JournalSteps.class)) {
                await("catch-ups failing while MongoDB is away", WAIT, () -> log.messages(org.apache.logging.log4j.Level.WARN)
                        .stream().filter(m -> m.startsWith("catch-up from the tracker's event log failed")).count() >= 2);
            }
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
    void healthShowsTheJournalReadably() throws Exception {
        start(Map.of("kitsu.events.poll-interval", "600000"));
        assertNotNull(h.app().context().getRegistry().lookupByName("eventJournal"));
        String agent = projectId("Agent 327");
        Map<String, Object> poison = kitsu.recordEvent("shot:update", Map.of("project_id", agent), agent);
        await("the poison event parked", WAIT, () -> journal().countDocuments(Filters.eq("status", "parked")) == 1);
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + h.statusPort() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<?, ?> events = (Map<?, ?>) ((Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(response.body(), Map.class).get("checks")).get("kitsu-events");
        assertNotNull(events, response.body());
        assertEquals("1", events.get("parked"), response.body());
        String info = (String) events.get("info");
        assertNotNull(info, response.body());
        // the count, the event and why, each said once, with its spaces
        String reason = "has no shot_id in its data {\"project_id\": \"" + agent + "\"}";
        assertEquals("1 parked; newest: event " + poison.get("id") + " shot:update: " + reason, info);
        assertEquals(poison.get("id") + " shot:update", events.get("newest_parked_event"), response.body());
        assertEquals(reason, events.get("newest_parked_reason"), response.body());
    }
}
