package io.avalonsync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.avalonsync.avalon.IdentityGuard;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.kitsu.KitsuEventCursor;
import io.avalonsync.sync.SyncRun;
import org.apache.camel.builder.AdviceWith;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the service against one store and one tracker, as two nodes (or both sides of a rolling restart)
 * run them: whatever they do at the same moment, one tracker entity has one Avalon document.
 */
class TwoNodesTest {

    /** Rounds of each race: a round that happens not to interleave proves nothing, ten in a row do. */
    private static final int ROUNDS = Integer.getInteger("twoNodes.rounds", 10);
    private static final long WAIT = 60_000;
    private static int expectedKitsu;
    private static int expectedShotGrid;
    /** ms per tracker request while the nodes race (a studio's tracker answers in tens of ms). */
    private static final long LATENCY = 80;

    @Test
    void kitsuFullSyncsStartedTogetherOnAnEmptyStoreWriteOneDocumentPerEntity() throws Exception {
        long raced = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            KitsuData data = new KitsuData();
            try (SyncHarness h = new SyncHarness(data, Map.of())) {
                AvalonSyncApp first = h.app();
                AvalonSyncApp second = h.anotherNode(false, Map.of());
                // both nodes warmed up by a full sync of a Kitsu without projects, then the production appears and
                // requests get as slow as a studio's Kitsu: the two syncs overlap, as when two daemons start together
                for (AvalonSyncApp node : List.of(first, second)) {
                    assertEquals(0, fullSync(node, "direct:kitsu-full-sync").call().writes());
                }
                SampleProduction.generate(data, SampleProduction.Spec.demo());
                h.kitsu.setLatencyMillis(LATENCY);
                List<SyncRun> runs = together(
                        fullSync(first, "direct:kitsu-full-sync"), fullSync(second, "direct:kitsu-full-sync"));
                for (SyncRun run : runs) {
                    assertEquals(0, run.exitCode(), "round " + round + ": " + run.summary());
                }
                Map<String, Integer> perEntity = identities(h.client.getDatabase("avalon"),
                        doc -> (String) TrackerIdentity.read(doc, "data.zou.id"));
                assertOnePerEntity(perEntity, round);
                // every Kitsu entity of the sample production is there: the projects, asset types, assets,
                // episodes, sequences and shots
                assertEquals(h.kitsu.data().projects().size(), projectDocuments(h.client.getDatabase("avalon")),
                        "round " + round + ": project documents");
                assertEquals(expectedKitsuDocuments(h), perEntity.size(), "round " + round + ": documents with a Kitsu id");
                raced += converged(first) + converged(second);
            }
        }
        // the rounds did race: a node's write met the other's document and converged, rather than never overlapping
        assertTrue(raced > 0, "no write met the other node's document in " + ROUNDS + " rounds");
    }

    @Test
    void shotgridFullSyncsStartedTogetherOnAnEmptyStoreWriteOneDocumentPerEntity() throws Exception {
        long raced = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
                AvalonSyncApp first = h.app();
                AvalonSyncApp second = h.anotherNode(false, Map.of());
                // both nodes warmed up by a full sync that finds nothing to sync (the project's checkbox off), then
                // requests as slow as ShotGrid's: the two syncs overlap, as they do when two daemons start together
                int project = (Integer) h.data.findOne("Project", "name", "demo_show").get("id");
                h.data.update("Project", project, Map.of("sg_avalon_auto_sync", false), null);
                for (AvalonSyncApp node : List.of(first, second)) {
                    assertEquals(0, fullSync(node, "direct:shotgrid-full-sync").call().writes());
                }
                h.data.update("Project", project, Map.of("sg_avalon_auto_sync", true), null);
                h.shotgrid.setLatencyMillis(LATENCY);
                List<SyncRun> runs = together(fullSync(first, "direct:shotgrid-full-sync"),
                        fullSync(second, "direct:shotgrid-full-sync"));
                for (SyncRun run : runs) {
                    assertEquals(0, run.exitCode(), "round " + round + ": " + run.summary());
                }
                Map<String, Integer> perEntity = identities(h.client.getDatabase("avalon"), TwoNodesTest::shotgridIdentity);
                assertOnePerEntity(perEntity, round);
                assertEquals(1, projectDocuments(h.client.getDatabase("avalon")), "round " + round + ": project documents");
                assertEquals(expectedShotGridDocuments(h), perEntity.size(), "round " + round + ": documents with a ShotGrid id");
                raced += converged(first) + converged(second);
            }
        }
        assertTrue(raced > 0, "no write met the other node's document in " + ROUNDS + " rounds");
    }


    /**
     * Both nodes apply the same new-shot event (the journal is shared, nothing keeps two processors apart): the first
     * node plans its insert and is held before writing until the second node's document is in the store, so its
     * insert meets the unique index. It must converge: read again, update the document that won, no second document,
     * no failed or parked event.
     */
    @Test
    void aNewShotEventAppliedByBothNodesAtOnceConverges() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            AvalonSyncApp first = h.appWithEvents(Map.of());
            assertEquals(0, h.fullSync().exitCode());
            AvalonSyncApp second = h.anotherNode(true, Map.of());
            SyncHarness.await("both nodes listening", WAIT, () -> h.kitsu.eventClients() >= 2);
            SyncHarness.await("the event cursor", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                    .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);

            KitsuData kitsu = h.kitsu.data();
            Map<String, Object> project = kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow();
            Map<String, Object> sequence = kitsu.entities((String) project.get("id"), "Sequence").get(0);
            AtomicReference<String> shotId = new AtomicReference<>();
            CountDownLatch firstPlanned = new CountDownLatch(1);
            holdBeforeEventWrite(first, () -> {
                firstPlanned.countDown();
                SyncHarness.await("the other node's document", WAIT, () -> h.byZouId("Agent_327", shotId.get()) != null);
            });
            holdBeforeEventWrite(second, () -> assertTrue(firstPlanned.await(WAIT, TimeUnit.MILLISECONDS)));

            shotId.set((String) kitsu.addShot((String) project.get("id"), (String) sequence.get("id"), "SH990", 1001, 1048,
                    null).get("id"));
            MongoCollection<Document> journal = h.client.getDatabase("avalon_sync").getCollection("event_journal");
            SyncHarness.await("the event applied on the first node too", WAIT, () -> converged(first) > 0
                    && journal.countDocuments(Filters.in("status", EventJournal.PENDING, EventJournal.FAILED)) == 0);

            assertEquals(1, h.collection("Agent_327").countDocuments(Filters.eq("data.zou.id", shotId.get())));
            assertEquals(1048, h.byZouId("Agent_327", shotId.get()).get("data", Document.class).get("frameEnd"));
            assertEquals(0, journal.countDocuments(Filters.eq("status", EventJournal.PARKED)));
            assertEquals(0, journal.countDocuments(Filters.gt("attempts", 0)), "the event was never failed: the write converged");
        }
    }

    /**
     * A store written by the old tool, or by two nodes before this guard: one collection already holds two documents
     * for one shot. Its unique index cannot be made: the pair is reported with both _ids (log, /health, status page),
     * nothing is deleted, and the rest keeps syncing. Once merged by hand, the next full sync makes the index.
     */
    @Test
    void aCollectionAlreadyHoldingDuplicatesIsReportedAndTheRestKeepsSyncing() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            assertEquals(0, h.fullSync().exitCode());
            MongoCollection<Document> agent = h.collection("Agent_327");
            assertTrue(indexNames(agent).contains("kitsu_identity"), String.valueOf(indexNames(agent)));
            // what such a store looks like: the index never made, a second document for one shot
            h.restartApp();
            agent.dropIndex("kitsu_identity");
            List<Document> shots = agent.find(Filters.eq("data.entityType", "Shot")).into(new ArrayList<>());
            Document doubled = shots.get(0);
            Document copy = new Document(doubled);
            copy.put("_id", new ObjectId());
            agent.insertOne(copy);
            String doubledId = (String) TrackerIdentity.read(doubled, "data.zou.id");
            String changedId = (String) TrackerIdentity.read(shots.get(1), "data.zou.id");
            h.kitsu.data().update(changedId, Map.of("data", Map.of("frame_in", 1001, "frame_out", 1234)));

            SyncRun run = h.fullSync();
            // the doubled shot itself is rejected (its copy holds its name), with a line naming it; the rest synced
            assertEquals(2, run.exitCode(), run.summary());
            assertEquals(1, run.rejected(), run.summary());
            assertTrue(run.summary().contains(doubledId), run.summary());
            // the rest synced, nothing deleted, the index not forced
            assertEquals(1234, h.byZouId("Agent_327", changedId).get("data", Document.class).get("frameEnd"));
            assertEquals(2, agent.countDocuments(Filters.eq("data.zou.id", doubledId)));
            assertFalse(indexNames(agent).contains("kitsu_identity"), String.valueOf(indexNames(agent)));
            assertTrue(indexNames(agent).contains("kitsu_id"), "lookups stay indexed: " + indexNames(agent));
            assertTrue(indexNames(h.collection("Sprite_Fright")).contains("kitsu_identity"));
            // reported with both _ids
            HttpClient http = HttpClient.newHttpClient();
            String health = get(http, h.statusPort(), "/health");
            assertTrue(health.contains("avalon-identity") && health.contains(doubled.getObjectId("_id").toHexString())
                    && health.contains(copy.getObjectId("_id").toHexString()) && health.contains(doubledId), health);
            String page = get(http, h.statusPort(), "/");
            assertTrue(page.contains("Duplicate documents") && page.contains(doubled.getObjectId("_id").toHexString())
                    && page.contains(copy.getObjectId("_id").toHexString()), page);

            // merged by hand (README): the next full sync makes the index and the report goes
            agent.deleteOne(Filters.eq("_id", copy.getObjectId("_id")));
            assertEquals(0, h.fullSync().exitCode());
            assertTrue(indexNames(agent).contains("kitsu_identity"), String.valueOf(indexNames(agent)));
            assertFalse(get(http, h.statusPort(), "/").contains("Duplicate documents"));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Once, the first time that node is about to write an event batch into Avalon, runs {@code hold} first. */
    private static void holdBeforeEventWrite(AvalonSyncApp node, ThrowingRunnable hold) throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        AdviceWith.adviceWith(node.context(), "kitsu-write-events", route -> route.weaveById("avalon-event-write").before()
                .process(exchange -> {
                    if (armed.getAndSet(false)) {
                        hold.run();
                    }
                }));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<String> indexNames(MongoCollection<Document> coll) {
        List<String> names = new ArrayList<>();
        coll.listIndexes().forEach(index -> names.add(index.getString("name")));
        return names;
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Writes of that node that met another node's document (E11000) and were planned again. */
    private static long converged(AvalonSyncApp node) {
        return node.context().getRegistry().lookupByNameAndType("identityGuard", IdentityGuard.class).converged();
    }

    /** A full sync on that node, its producer made now so that only the sync itself runs once released. */
    private static Callable<SyncRun> fullSync(AvalonSyncApp app, String uri) {
        org.apache.camel.ProducerTemplate template = app.context().createProducerTemplate();
        return () -> template.requestBody(uri, null, SyncRun.class);
    }

    /** Runs both at the same instant (released together by a barrier) and returns their results. */
    @SafeVarargs
    private static <T> List<T> together(Callable<T>... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.length);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(WAIT, TimeUnit.MILLISECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Collection and tracker identity -> how many documents carry it (Kitsu's asset types are in every project). */
    private static Map<String, Integer> identities(MongoDatabase db, Function<Document, String> identity) {
        Map<String, Integer> counts = new HashMap<>();
        for (String name : db.listCollectionNames()) {
            for (Document doc : db.getCollection(name).find()) {
                String id = identity.apply(doc);
                if (id != null) {
                    counts.merge(name + "/" + id, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static void assertOnePerEntity(Map<String, Integer> perEntity, int round) {
        List<String> doubled = perEntity.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        assertTrue(doubled.isEmpty(), "round " + round + ": " + doubled.size() + " tracker entities have more than one"
                + " document, e.g. " + doubled.subList(0, Math.min(5, doubled.size())));
    }

    private static long projectDocuments(MongoDatabase db) {
        long count = 0;
        for (String name : db.listCollectionNames()) {
            count += db.getCollection(name).countDocuments(new Document("type", "project"));
        }
        return count;
    }

    /** What a single node's full sync writes on a store of its own: the reference. */
    private static int expectedShotGridDocuments(ShotGridHarness h) throws Exception {
        if (expectedShotGrid == 0) {
            try (ShotGridHarness reference = new ShotGridHarness(h.data, Map.of())) {
                assertEquals(0, reference.fullSync().exitCode());
                expectedShotGrid = identities(reference.client.getDatabase("avalon"), TwoNodesTest::shotgridIdentity).size();
            }
        }
        return expectedShotGrid;
    }

    private static String shotgridIdentity(Document doc) {
        Object type = TrackerIdentity.read(doc, "data.shotgridType");
        return type == null ? null : type + ":" + TrackerIdentity.read(doc, "data.shotgridId");
    }

    /** Kitsu entities that become documents: projects, asset types in use, assets, episodes, sequences, shots. */
    private static int expectedKitsuDocuments(SyncHarness h) throws Exception {
        if (expectedKitsu > 0) {
            return expectedKitsu;
        }
        // a single node's full sync on a store of its own is the reference
        try (SyncHarness reference = new SyncHarness(h.kitsu.data(), Map.of())) {
            assertEquals(0, reference.fullSync().exitCode());
            expectedKitsu = identities(reference.client.getDatabase("avalon"),
                    doc -> (String) TrackerIdentity.read(doc, "data.zou.id")).size();
            return expectedKitsu;
        }
    }
}
