package io.avalonsync.sitesync;

import static io.avalonsync.sitesync.SiteDocs.body;
import static io.avalonsync.sitesync.SiteDocs.date;
import static io.avalonsync.sitesync.SiteDocs.dictFile;
import static io.avalonsync.sitesync.SiteDocs.file;
import static io.avalonsync.sitesync.SiteDocs.on;
import static io.avalonsync.sitesync.SiteDocs.representation;
import static io.avalonsync.sitesync.SiteDocs.wanted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The site records' queue, claims, outcomes and operations against a Mongo wire-protocol server over TCP, driven by
 * the real MongoDB driver.
 */
class SiteRecordsTest {

    static final String DB = "avalon";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration LOOP = Duration.ofSeconds(60);
    static final Duration LEASE = Duration.ofMinutes(10);

    static EmbeddedMongo mongo;
    static MongoClient client;

    SiteQueue queue;
    SiteClaims claims;
    SiteOutcomes outcomes;
    SiteAdmin admin;
    MongoCollection<Document> test;

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void fresh() {
        client.getDatabase(DB).drop();
        SiteRecords records = new SiteRecords(client, DB, "studio", "gdrive", 3);
        queue = new SiteQueue(records);
        claims = new SiteClaims(records);
        outcomes = new SiteOutcomes(records);
        admin = new SiteAdmin(records);
        test = client.getDatabase(DB).getCollection("Test");
        test.insertOne(new Document("type", "project").append("name", "Test"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** One file claimed alone: true when this claimer got it. */
    private static boolean claimOne(SiteClaims claims, FileTask t, String node, Duration lease, Instant now) {
        return !claims.claim(List.of(t), node, lease, now).isEmpty();
    }

    private static List<Object> ids(List<FileTask> tasks) {
        return tasks.stream().map(FileTask::fileId).toList();
    }

    private Document repre(ObjectId id) {
        return test.find(Filters.eq("_id", id)).first();
    }

    private static Document fileOf(Document repre, Object fileId) {
        for (Document f : repre.getList("files", Document.class)) {
            if (f.get("_id").equals(fileId)) {
                return f;
            }
        }
        throw new AssertionError("no file " + fileId);
    }

    /** The record of a site in a list-shaped file. */
    private Document record(ObjectId repreId, Object fileId, String site) {
        Object sites = fileOf(repre(repreId), fileId).get("sites");
        if (sites instanceof Document dict) {
            return (Document) dict.get(site);
        }
        for (Document s : fileOf(repre(repreId), fileId).getList("sites", Document.class)) {
            if (site.equals(s.getString("name"))) {
                return s;
            }
        }
        return null;
    }

    private FileTask only(Direction d, Instant at) {
        List<FileTask> due = queue.due("Test", d, 10, at);
        assertEquals(1, due.size(), "due: " + due);
        return due.get(0);
    }

    // ------------------------------------------------------------------------------------------ projects

    @Test
    void projectsAreCollectionsWithAProjectDocument() {
        client.getDatabase(DB).getCollection("Other").insertOne(new Document("type", "project").append("name", "Other"));
        client.getDatabase(DB).getCollection("notes").insertOne(new Document("type", "note"));
        assertEquals(List.of("Other", "Test"), queue.projects());
    }

    // ------------------------------------------------------------------------------------------ selection

    @Test
    void uploadSelectionHonoursEveryCondition() {
        ObjectId r = new ObjectId();
        ObjectId eligible = new ObjectId(), done = new ObjectId(), paused = new ObjectId(), exhausted = new ObjectId(),
                later = new ObjectId(), localMissing = new ObjectId(), notWanted = new ObjectId(),
                retryDue = new ObjectId(), claimed = new ObjectId(), claimExpired = new ObjectId(),
                noLocalRecord = new ObjectId();
        test.insertOne(representation(r, "ma",
                file(eligible, "a.ma", on("studio"), wanted("gdrive")),
                file(done, "b.ma", on("studio"), on("gdrive").append("id", "1Abc")),
                file(paused, "c.ma", on("studio"), wanted("gdrive").append("paused", true)),
                file(exhausted, "d.ma", on("studio"), wanted("gdrive").append("tries", 3).append("error", "x")),
                file(later, "e.ma", on("studio"), wanted("gdrive").append("tries", 1)
                        .append("next_attempt_dt", date(NOW.plusSeconds(30)))),
                file(localMissing, "f.ma", wanted("studio"), wanted("gdrive")),
                file(notWanted, "g.ma", on("studio")),
                file(retryDue, "h.ma", on("studio"), wanted("gdrive").append("tries", 2)
                        .append("next_attempt_dt", date(NOW.minusSeconds(1)))),
                file(claimed, "i.ma", on("studio"), wanted("gdrive").append("claimed_by", "node-b")
                        .append("claimed_until", date(NOW.plusSeconds(60)))),
                file(claimExpired, "j.ma", on("studio"), wanted("gdrive").append("claimed_by", "node-b")
                        .append("claimed_until", date(NOW.minusSeconds(60)))),
                file(noLocalRecord, "k.ma", wanted("gdrive"))));

        List<FileTask> due = queue.due("Test", Direction.UPLOAD, 50, NOW);

        assertEquals(List.of(eligible, retryDue, claimExpired).stream().sorted().toList(), ids(due));
        // the backoff gate opens once its time has come
        assertTrue(ids(queue.due("Test", Direction.UPLOAD, 50, NOW.plusSeconds(30))).contains(later));
    }

    @Test
    void theServerNarrowsToRepresentationsWithACandidate() {
        Map<String, Document> cases = new java.util.LinkedHashMap<>();
        cases.put("done", file(new ObjectId(), "a", on("studio"), on("gdrive")));
        cases.put("paused", file(new ObjectId(), "a", on("studio"), wanted("gdrive").append("paused", true)));
        cases.put("exhausted", file(new ObjectId(), "a", on("studio"), wanted("gdrive").append("tries", 3)));
        cases.put("later", file(new ObjectId(), "a", on("studio"), wanted("gdrive")
                .append("next_attempt_dt", date(NOW.plusSeconds(1)))));
        cases.put("claimed", file(new ObjectId(), "a", on("studio"), wanted("gdrive")
                .append("claimed_until", date(NOW.plusSeconds(1)))));
        cases.put("local missing", file(new ObjectId(), "a", wanted("studio"), wanted("gdrive")));
        cases.put("not wanted", file(new ObjectId(), "a", on("studio")));
        cases.put("dict done", dictFile(new ObjectId(), "a", new Document("studio", body(on("studio")))
                .append("gdrive", body(on("gdrive")))));
        cases.put("dict local missing", dictFile(new ObjectId(), "a", new Document("studio", new Document())
                .append("gdrive", new Document())));
        cases.put("dict paused", dictFile(new ObjectId(), "a", new Document("studio", body(on("studio")))
                .append("gdrive", new Document("paused", true))));
        cases.forEach((name, file) -> test.insertOne(representation(new ObjectId(), name, file)));
        test.insertOne(representation(new ObjectId(), "list wanted", file(new ObjectId(), "a", on("studio"),
                wanted("gdrive").append("tries", 2).append("next_attempt_dt", date(NOW)))));
        test.insertOne(representation(new ObjectId(), "dict wanted", dictFile(new ObjectId(), "a",
                new Document("studio", body(on("studio"))).append("gdrive", new Document("tries", 1)))));

        List<String> matched = test.find(queue.dueQuery(Direction.UPLOAD, NOW)).map(d -> d.getString("name"))
                .into(new ArrayList<>());
        assertEquals(List.of("list wanted", "dict wanted"), matched);
    }

    @Test
    void taskCarriesTheFileFields() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "test_Cylinder_lookMain_v010.ma", on("studio"),
                wanted("gdrive").append("tries", 1).append("id", "1Old"))));

        FileTask t = only(Direction.UPLOAD, NOW);

        assertEquals("Test", t.collection());
        assertEquals(r, t.representationId());
        assertEquals(f, t.fileId());
        assertEquals("{root[work]}/Test/Assets/Cylinder/publish/look/lookMain/v010/test_Cylinder_lookMain_v010.ma", t.path());
        assertEquals(4822L, t.size());
        assertEquals("test_Cylinder_lookMain_v010,ma|1605802163,24|4822", t.hash());
        assertEquals("gdrive", t.site());
        assertEquals("studio", t.sourceSite());
        assertEquals(Direction.UPLOAD, t.direction());
        assertEquals(1, t.tries());
        assertEquals(50, t.priority());
        assertFalse(t.dictShape());
        assertEquals("1Old", t.id());
    }

    @Test
    void missingSizeIsMinusOne() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        Document file = file(f, "a.ma", on("studio"), wanted("gdrive"));
        file.remove("size");
        file.remove("hash");
        test.insertOne(representation(r, "ma", file));
        FileTask t = only(Direction.UPLOAD, NOW);
        assertEquals(-1, t.size());
        assertNull(t.hash());
    }

    @Test
    void selectsFilesNotRepresentationsByPriorityThenFileIdAcrossRepresentations() {
        ObjectId r1 = new ObjectId(), r2 = new ObjectId(), r3 = new ObjectId();
        ObjectId a = new ObjectId(), b = new ObjectId(), c = new ObjectId(), d = new ObjectId(), e = new ObjectId(),
                f = new ObjectId();
        test.insertOne(representation(r1, "exr", file(a, "a.0001.exr", on("studio"), wanted("gdrive")),
                file(b, "a.0002.exr", on("studio"), wanted("gdrive"))));
        test.insertOne(representation(r2, "ma", file(c, "c.ma", on("studio"), wanted("gdrive").append("priority", 90)),
                file(d, "d.ma", on("studio"), wanted("gdrive").append("priority", 10))));
        test.insertOne(representation(r3, "abc", file(e, "e.abc", on("studio"), wanted("gdrive")),
                file(f, "f.abc", on("studio"), wanted("gdrive").append("priority", 70))));

        assertEquals(List.of(c, f, a, b, e, d), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
        assertEquals(List.of(c, f, a), ids(queue.due("Test", Direction.UPLOAD, 3, NOW)));
        // a 1000-frame sequence does not come in whole: the limit counts files
        assertEquals(List.of(c), ids(queue.due("Test", Direction.UPLOAD, 1, NOW)));
        assertEquals(List.of(), queue.due("Test", Direction.UPLOAD, 0, NOW));
    }

    @Test
    void downloadSelectionIsTheMirror() {
        ObjectId r = new ObjectId(), want = new ObjectId(), both = new ObjectId(), remoteMissing = new ObjectId(),
                uploadCase = new ObjectId();
        test.insertOne(representation(r, "ma",
                file(want, "a.ma", wanted("studio"), on("gdrive").append("id", "1Drive")),
                file(both, "b.ma", on("studio"), on("gdrive").append("id", "1B")),
                file(remoteMissing, "c.ma", wanted("studio"), wanted("gdrive")),
                file(uploadCase, "d.ma", on("studio"), wanted("gdrive"))));

        FileTask t = only(Direction.DOWNLOAD, NOW);
        assertEquals(want, t.fileId());
        assertEquals("studio", t.site());
        assertEquals("gdrive", t.sourceSite());
        assertEquals("1Drive", t.id());
        assertEquals(List.of(uploadCase), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));

        assertTrue(claimOne(claims, t, "node-a", LEASE, NOW));
        outcomes.succeeded(t, "a.ma", 4822, null, NOW);
        Document local = record(r, want, "studio");
        assertEquals(date(NOW), local.get("created_dt"));
        assertEquals("a.ma", local.get("id"));
        assertEquals("1Drive", record(r, want, "gdrive").get("id"));
        assertEquals(List.of(), queue.due("Test", Direction.DOWNLOAD, 10, NOW));
    }

    // ------------------------------------------------------------------------------------------ claim

    @Test
    void racingClaimsHaveExactlyOneWinner() throws Exception {
        int rounds = 15;
        int threads = 8;
        List<ObjectId> repres = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ObjectId r = new ObjectId();
            repres.add(r);
            test.insertOne(representation(r, "ma", file(new ObjectId(), "x" + i + ".ma", on("studio"), wanted("gdrive")),
                    file(new ObjectId(), "y" + i + ".ma", on("studio"), wanted("gdrive"))));
        }
        List<FileTask> due = queue.due("Test", Direction.UPLOAD, 100, NOW);
        assertEquals(rounds * 2, due.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (FileTask t : due) {
                // each racer has its own client (own connections), like separate processes
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger wins = new AtomicInteger();
                List<Future<Boolean>> results = new ArrayList<>();
                for (int n = 0; n < threads; n++) {
                    String node = "node-" + n;
                    SiteClaims mine = n % 2 == 0 ? claims : new SiteClaims(new SiteRecords(otherClient(), DB, "studio", "gdrive", 3));
                    Callable<Boolean> race = () -> {
                        go.await();
                        boolean won = claimOne(mine, t, node, LEASE, NOW);
                        if (won) {
                            wins.incrementAndGet();
                        }
                        return won;
                    };
                    results.add(pool.submit(race));
                }
                go.countDown();
                String winner = null;
                for (int n = 0; n < threads; n++) {
                    if (results.get(n).get(10, TimeUnit.SECONDS)) {
                        winner = "node-" + n;
                    }
                }
                assertEquals(1, wins.get(), "winners for " + t.fileId());
                assertEquals(winner, record(t.representationId(), t.fileId(), "gdrive").getString("claimed_by"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), queue.due("Test", Direction.UPLOAD, 100, NOW));
    }

    @Test
    void bulkClaimTakesTheStillWorkableFilesOfEachRepresentationInBothShapes() {
        ObjectId list = new ObjectId(), dict = new ObjectId();
        ObjectId a = new ObjectId(), b = new ObjectId(), paused = new ObjectId(), taken = new ObjectId(),
                done = new ObjectId(), d1 = new ObjectId(), d2 = new ObjectId();
        test.insertOne(representation(list, "exr",
                file(a, "a.exr", on("studio"), wanted("gdrive")),
                file(b, "b.exr", on("studio"), wanted("gdrive").append("tries", 1)
                        .append("claimed_by", "node-old").append("claimed_until", date(NOW.minusSeconds(1)))),
                file(paused, "c.exr", on("studio"), wanted("gdrive")),
                file(taken, "d.exr", on("studio"), wanted("gdrive")),
                file(done, "e.exr", on("studio"), wanted("gdrive"))));
        test.insertOne(representation(dict, "ma",
                dictFile(d1, "a.ma", new Document("studio", body(on("studio"))).append("gdrive", new Document())),
                dictFile(d2, "b.ma", new Document("studio", body(on("studio"))).append("gdrive", new Document()))));
        List<FileTask> due = queue.due("Test", Direction.UPLOAD, 100, NOW);
        assertEquals(7, due.size());
        // what changed between selection and claim
        admin.pause("Test", list, paused, "gdrive", true);
        FileTask takenTask = due.stream().filter(t -> t.fileId().equals(taken)).findFirst().orElseThrow();
        assertTrue(claimOne(claims, takenTask, "node-b", LEASE, NOW));
        FileTask doneTask = due.stream().filter(t -> t.fileId().equals(done)).findFirst().orElseThrow();
        outcomes.succeeded(doneTask, "1Done", 4822, null, NOW);
        FileTask d2Task = due.stream().filter(t -> t.fileId().equals(d2)).findFirst().orElseThrow();
        assertTrue(claimOne(claims, d2Task, "node-b", LEASE, NOW));

        List<FileTask> mine = claims.claim(due, "node-a", LEASE, NOW.plusMillis(1));
        assertEquals(List.of(a, b, d1).stream().sorted().toList(), mine.stream().map(t -> (ObjectId) t.fileId()).sorted().toList());
        for (ObjectId f : List.of(a, b)) {
            Document rec = record(list, f, "gdrive");
            assertEquals("node-a", rec.getString("claimed_by"));
            assertEquals(date(NOW.plusMillis(1).plus(LEASE)), rec.get("claimed_until"));
        }
        assertEquals("node-a", record(dict, d1, "gdrive").getString("claimed_by"));
        assertEquals("node-b", record(dict, d2, "gdrive").getString("claimed_by"));
        assertEquals("node-b", record(list, taken, "gdrive").getString("claimed_by"));
        assertFalse(record(list, paused, "gdrive").containsKey("claimed_by"));
        assertFalse(record(list, done, "gdrive").containsKey("claimed_by"));
        assertEquals("studio", record(list, a, "studio").getString("name"), "other sites untouched");
        assertFalse(record(list, a, "studio").containsKey("claimed_by"));
        // held now: a second claimer gets nothing
        assertEquals(List.of(), claims.claim(due, "node-c", LEASE, NOW.plusSeconds(1)));
    }

    @Test
    void racingBulkClaimsGiveEachFileToExactlyOneClaimer() throws Exception {
        int threads = 6;
        for (int i = 0; i < 8; i++) {
            List<Document> fs = new ArrayList<>();
            for (int j = 0; j < 12; j++) {
                fs.add(i % 2 == 0 ? file(new ObjectId(), "f" + i + "_" + j + ".exr", on("studio"), wanted("gdrive"))
                        : dictFile(new ObjectId(), "f" + i + "_" + j + ".exr", new Document("studio", body(on("studio")))
                                .append("gdrive", new Document())));
            }
            test.insertOne(representation(new ObjectId(), "exr" + i, fs.toArray(Document[]::new)));
        }
        List<FileTask> due = queue.due("Test", Direction.UPLOAD, 1000, NOW);
        assertEquals(96, due.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<FileTask>>> results = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                String node = "node-" + n;
                SiteClaims mine = n % 2 == 0 ? claims : new SiteClaims(new SiteRecords(otherClient(), DB, "studio", "gdrive", 3));
                // each claimer asks in its own order, so the representations' writes interleave
                List<FileTask> order = new ArrayList<>(due);
                java.util.Collections.shuffle(order, new java.util.Random(n));
                results.add(pool.submit(() -> {
                    go.await();
                    return mine.claim(order, node, LEASE, NOW);
                }));
            }
            go.countDown();
            Map<Object, String> owner = new HashMap<>();
            for (int n = 0; n < threads; n++) {
                for (FileTask t : results.get(n).get(30, TimeUnit.SECONDS)) {
                    String before = owner.put(t.fileId(), "node-" + n);
                    assertEquals(null, before, t.fileId() + " claimed by " + before + " and node-" + n);
                }
            }
            assertEquals(96, owner.size(), "every file claimed");
            for (FileTask t : due) {
                assertEquals(owner.get(t.fileId()), record(t.representationId(), t.fileId(), "gdrive").getString("claimed_by"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bulkSuccessRecordsEveryFileInBothShapesAndLeavesTheOthers() {
        ObjectId list = new ObjectId(), dict = new ObjectId();
        ObjectId a = new ObjectId(), b = new ObjectId(), c = new ObjectId(), d1 = new ObjectId();
        test.insertOne(representation(list, "exr",
                file(a, "a.exr", on("studio"), wanted("gdrive").append("tries", 2).append("error", "boom")),
                file(b, "b.exr", on("studio"), wanted("gdrive")),
                file(c, "c.exr", on("studio"), wanted("gdrive"))));
        test.insertOne(representation(dict, "ma",
                dictFile(d1, "a.ma", new Document("studio", body(on("studio"))).append("gdrive", new Document()))));
        List<FileTask> due = claims.claim(queue.due("Test", Direction.UPLOAD, 100, NOW), "node-a", LEASE, NOW);
        assertEquals(4, due.size());
        Instant later = NOW.plusSeconds(5);
        List<SiteOutcomes.Success> done = due.stream().filter(t -> !t.fileId().equals(c))
                .map(t -> new SiteOutcomes.Success(t, "1" + t.fileId(), 4822, "md5-" + t.fileId(), later)).toList();
        assertEquals(2, outcomes.succeeded(done));
        for (ObjectId[] rf : new ObjectId[][] {{list, a}, {list, b}, {dict, d1}}) {
            Document rec = record(rf[0], rf[1], "gdrive");
            assertEquals(date(later), rec.get("created_dt"), rec.toJson());
            assertEquals("1" + rf[1], rec.getString("id"));
            assertEquals("md5-" + rf[1], rec.getString("md5"));
            assertEquals(4822L, ((Number) rec.get("size")).longValue());
            for (String gone : List.of("claimed_by", "claimed_until", "tries", "error")) {
                assertFalse(rec.containsKey(gone), gone + " left in " + rec.toJson());
            }
            assertEquals(date(SiteDocs.PUBLISHED), record(rf[0], rf[1], "studio").get("created_dt"));
        }
        Document untouched = record(list, c, "gdrive");
        assertFalse(untouched.containsKey("created_dt"));
        assertEquals("node-a", untouched.getString("claimed_by"));
        assertEquals(List.of(), queue.due("Test", Direction.UPLOAD, 100, NOW.plus(LEASE).plusSeconds(1)).stream()
                .filter(t -> !t.fileId().equals(c)).toList());
    }

    @Test
    void selectedFilesKnowTheirPositionsAndARecordLandsOnTheRightFileAfterTheDocumentChanged() {
        ObjectId list = new ObjectId(), dict = new ObjectId();
        ObjectId a = new ObjectId(), b = new ObjectId(), d1 = new ObjectId(), intruder = new ObjectId();
        test.insertOne(representation(list, "exr",
                file(a, "a.exr", on("studio"), wanted("gdrive")),
                file(b, "b.exr", wanted("gdrive"), on("studio"))));
        test.insertOne(representation(dict, "ma",
                dictFile(d1, "a.ma", new Document("studio", body(on("studio"))).append("gdrive", new Document()))));
        List<FileTask> due = claims.claim(queue.due("Test", Direction.UPLOAD, 100, NOW), "node-a", LEASE, NOW);
        Map<Object, String> paths = new HashMap<>();
        due.forEach(t -> paths.put(t.fileId(), t.recordPath()));
        assertEquals(Map.of(a, "files.0.sites.1", b, "files.1.sites.0", d1, "files.0.sites.gdrive"), paths);

        // a publisher rewrites the list representation meanwhile: a new first file, and b's sites reordered
        Document current = repre(list);
        Document fileB = fileOf(current, b).append("sites", List.of(on("studio"), record(list, b, "gdrive")));
        test.updateOne(Filters.eq("_id", list), new Document("$set", new Document("files",
                List.of(file(intruder, "new.exr", on("studio"), wanted("gdrive")), fileOf(current, a), fileB))));
        Instant later = NOW.plusSeconds(5);
        assertEquals(2, outcomes.succeeded(due.stream()
                .map(t -> new SiteOutcomes.Success(t, "1" + t.fileId(), 4822, "md5-" + t.fileId(), later)).toList()));
        for (ObjectId[] rf : new ObjectId[][] {{list, a}, {list, b}, {dict, d1}}) {
            Document rec = record(rf[0], rf[1], "gdrive");
            assertEquals(date(later), rec.get("created_dt"), rec.toJson());
            assertEquals("1" + rf[1], rec.getString("id"));
            assertFalse(rec.containsKey("claimed_by"), rec.toJson());
        }
        Document untouched = record(list, intruder, "gdrive");
        assertFalse(untouched.containsKey("created_dt"), untouched.toJson());
        assertFalse(untouched.containsKey("id"), untouched.toJson());
        assertEquals(date(SiteDocs.PUBLISHED), record(list, b, "studio").get("created_dt"));
    }

    private MongoClient other;

    @AfterEach
    void closeOther() {
        if (other != null) {
            other.close();
        }
    }

    private MongoClient otherClient() {
        if (other == null) {
            other = MongoClients.create(mongo.uri());
        }
        return other;
    }

    @Test
    void expiredClaimCanBeTakenOverAndLiveOneNot() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive"))));
        FileTask t = only(Direction.UPLOAD, NOW);

        assertTrue(claimOne(claims, t, "node-a", LEASE, NOW));
        assertFalse(claimOne(claims, t, "node-b", LEASE, NOW.plusSeconds(60)));
        assertEquals(List.of(), queue.due("Test", Direction.UPLOAD, 10, NOW.plusSeconds(60)));
        assertEquals("node-a", record(r, f, "gdrive").getString("claimed_by"));

        Instant later = NOW.plus(LEASE).plusSeconds(1);
        assertEquals(List.of(f), ids(queue.due("Test", Direction.UPLOAD, 10, later)));
        assertTrue(claimOne(claims, t, "node-b", LEASE, later));
        Document rec = record(r, f, "gdrive");
        assertEquals("node-b", rec.getString("claimed_by"));
        assertEquals(date(later.plus(LEASE)), rec.get("claimed_until"));
    }

    @Test
    void claimFailsWhenDonePausedOrReleasedClaimIsFree() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive"))));
        FileTask t = only(Direction.UPLOAD, NOW);

        assertTrue(claimOne(claims, t, "node-a", LEASE, NOW));
        outcomes.progress(t, 0.42);
        assertEquals(0.42, record(r, f, "gdrive").getDouble("progress"));
        claims.release(t);
        Document rec = record(r, f, "gdrive");
        assertFalse(rec.containsKey("claimed_by"));
        assertFalse(rec.containsKey("claimed_until"));
        assertFalse(rec.containsKey("progress"));
        assertFalse(rec.containsKey("tries"), "a release is not a failed attempt");

        assertEquals(1, admin.pause("Test", r, f, "gdrive", true));
        assertFalse(claimOne(claims, t, "node-b", LEASE, NOW));
        admin.pause("Test", r, f, "gdrive", false);
        assertTrue(claimOne(claims, t, "node-b", LEASE, NOW));
        outcomes.succeeded(t, "1X", 4822, "md5", NOW);
        assertFalse(claimOne(claims, t, "node-c", LEASE, NOW.plus(LEASE).plusSeconds(1)));
    }

    // ------------------------------------------------------------------------------------------ success

    @Test
    void successWritesUtcDateAndIdAndClearsFailureState() {
        ObjectId r = new ObjectId(), first = new ObjectId(), second = new ObjectId();
        test.insertOne(representation(r, "ma",
                file(first, "a.ma", on("studio"), wanted("gdrive").append("tries", 2).append("error", "boom")
                        .append("error_kind", "TRANSIENT").append("last_failed_dt", date(NOW.minusSeconds(300)))
                        .append("next_attempt_dt", date(NOW.minusSeconds(10))).append("priority", 80)),
                file(second, "b.ma", on("studio"), wanted("gdrive").append("tries", 1).append("error", "other"))));
        Document before = repre(r);
        FileTask t = queue.due("Test", Direction.UPLOAD, 10, NOW).get(0);
        assertEquals(first, t.fileId());
        assertTrue(claimOne(claims, t, "node-a", LEASE, NOW));
        outcomes.progress(t, 0.5);

        Instant finished = Instant.parse("2026-03-01T12:03:07.123Z");
        outcomes.succeeded(t, "1AbCdEf", 4822, "9e107d9d372bb6826bd81d3542a419d6", finished);

        Document rec = record(r, first, "gdrive");
        Object created = rec.get("created_dt");
        assertInstanceOf(Date.class, created, "created_dt must be a BSON date");
        assertEquals(finished.toEpochMilli(), ((Date) created).getTime());
        assertEquals("1AbCdEf", rec.get("id"));
        assertEquals(4822L, ((Number) rec.get("size")).longValue());
        assertEquals("9e107d9d372bb6826bd81d3542a419d6", rec.get("md5"));
        for (String gone : List.of("error", "error_kind", "tries", "last_failed_dt", "next_attempt_dt", "progress",
                "claimed_by", "claimed_until")) {
            assertFalse(rec.containsKey(gone), gone + " should be unset: " + rec);
        }
        assertEquals(80, rec.getInteger("priority"));
        Document after = repre(r);
        assertEquals(fileOf(before, first).getList("sites", Document.class).get(0),
                fileOf(after, first).getList("sites", Document.class).get(0), "studio record untouched");
        assertEquals(fileOf(before, second), fileOf(after, second), "other file untouched");
        assertEquals(before.get("context"), after.get("context"));
    }

    @Test
    void successWithoutChecksumOrSizeWritesNoNulls() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive"))));
        FileTask t = only(Direction.UPLOAD, NOW);
        outcomes.succeeded(t, "1A", -1, null, NOW);
        Document rec = record(r, f, "gdrive");
        assertFalse(rec.containsKey("md5"));
        assertFalse(rec.containsKey("size"));
        assertNotNull(rec.get("created_dt"));
    }

    // ------------------------------------------------------------------------------------------ failure

    @Test
    void failureIncrementsTriesWritesErrorAndBacksOffUntilRetriesAreUsedUp() {
        ObjectId r = new ObjectId(), f = new ObjectId(), other = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive")),
                file(other, "b.ma", on("studio"), wanted("gdrive").append("priority", 1))));
        Instant at = NOW;
        List<Long> delays = new ArrayList<>();
        int attempts = 0;
        while (true) {
            List<FileTask> due = queue.due("Test", Direction.UPLOAD, 1, at);
            if (due.isEmpty() || !due.get(0).fileId().equals(f)) {
                break;
            }
            FileTask t = due.get(0);
            assertTrue(claimOne(claims, t, "node-a", LEASE, at));
            attempts++;
            int tries = outcomes.failed(t, attempts == 1 ? null : "  ", "TRANSIENT", at, LOOP);
            assertEquals(attempts, tries);
            Document rec = record(r, f, "gdrive");
            assertEquals(attempts, rec.getInteger("tries"));
            String error = rec.getString("error");
            assertNotNull(error);
            assertFalse(error.isBlank());
            assertTrue(error.contains("a.ma") && error.contains("gdrive"), error);
            assertEquals("TRANSIENT", rec.get("error_kind"));
            assertEquals(date(at), rec.get("last_failed_dt"));
            assertFalse(rec.containsKey("claimed_by"));
            assertFalse(rec.containsKey("claimed_until"));
            Instant next = ((Date) rec.get("next_attempt_dt")).toInstant();
            delays.add(Duration.between(at, next).toSeconds());
            // not selected before its backoff time
            assertFalse(ids(queue.due("Test", Direction.UPLOAD, 10, next.minusSeconds(1))).contains(f));
            at = next;
            assertTrue(attempts <= 10, "never stops");
        }
        assertEquals(3, attempts, "exactly retry-count attempts");
        assertEquals(List.of(60L, 120L, 240L), delays);
        Instant muchLater = at.plus(Duration.ofDays(30));
        assertEquals(List.of(other), ids(queue.due("Test", Direction.UPLOAD, 10, muchLater)));

        assertEquals(1, admin.reset("Test", r, f, "gdrive"));
        Document rec = record(r, f, "gdrive");
        for (String gone : List.of("tries", "error", "error_kind", "next_attempt_dt", "last_failed_dt")) {
            assertFalse(rec.containsKey(gone), gone + " should be unset: " + rec);
        }
        assertTrue(ids(queue.due("Test", Direction.UPLOAD, 10, NOW)).contains(f));
    }

    @Test
    void failureCountsWithIncEvenFromAStaleTask() throws Exception {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive").append("tries", 1))));
        FileTask stale = only(Direction.UPLOAD, NOW);
        assertEquals(2, outcomes.failed(stale, "Drive 500", "TRANSIENT", NOW, LOOP));
        // the same stale task (tries 1) again: $inc counts on, a $set from the task would write 2 again
        assertEquals(3, outcomes.failed(stale, "Drive 500", "TRANSIENT", NOW, LOOP));
        Document rec = record(r, f, "gdrive");
        assertEquals(3, rec.getInteger("tries"));
        // the backoff follows the stored count, not the stale one: 60 s × 2^2
        assertEquals(date(NOW.plusSeconds(240)), rec.get("next_attempt_dt"));
    }

    @Test
    void missingLocalFileBacksOffLongAndBackoffIsCapped() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive"))));
        FileTask t = only(Direction.UPLOAD, NOW);
        outcomes.failed(t, "Local file /mnt/projects/Test/a.ma does not exist", "LOCAL_MISSING", NOW, LOOP);
        Document rec = record(r, f, "gdrive");
        assertEquals("LOCAL_MISSING", rec.get("error_kind"));
        assertEquals(date(NOW.plus(Duration.ofHours(1))), rec.get("next_attempt_dt"));

        assertEquals(Duration.ofHours(6), SiteOutcomes.backoff(12, "TRANSIENT", LOOP));
        assertEquals(Duration.ofHours(6), SiteOutcomes.backoff(1000, "TRANSIENT", Duration.ofHours(1)));
        assertEquals(Duration.ofSeconds(60), SiteOutcomes.backoff(1, "TRANSIENT", LOOP));
    }

    @Test
    void failureOnARemovedRecordReportsMinusOne() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", on("studio"), wanted("gdrive"))));
        FileTask t = only(Direction.UPLOAD, NOW);
        test.deleteOne(Filters.eq("_id", r));
        assertEquals(-1, outcomes.failed(t, "gone", "PERMANENT", NOW, LOOP));
    }

    // ------------------------------------------------------------------------------------------ operations

    /** Three representations × three files, every gdrive record failed and used up; studio records failed too. */
    private List<ObjectId[]> exhaustedCollection() {
        List<ObjectId[]> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectId r = new ObjectId();
            ObjectId[] ids = {r, new ObjectId(), new ObjectId(), new ObjectId()};
            List<Document> fs = new ArrayList<>();
            for (int j = 1; j <= 3; j++) {
                fs.add(file(ids[j], "f" + i + j + ".ma",
                        on("studio"),
                        wanted("gdrive").append("tries", 3).append("error", "HttpError 403").append("error_kind", "PERMANENT")
                                .append("last_failed_dt", date(NOW)).append("next_attempt_dt", date(NOW)),
                        wanted("other").append("tries", 3).append("error", "x")));
            }
            test.insertOne(representation(r, "ma", fs.toArray(Document[]::new)));
            out.add(ids);
        }
        return out;
    }

    private int tries(ObjectId r, ObjectId f, String site) {
        Document rec = record(r, f, site);
        return rec.getInteger("tries", 0);
    }

    @Test
    void resetOneFileIncludingTheFirstFile() {
        List<ObjectId[]> c = exhaustedCollection();
        ObjectId r = c.get(0)[0], first = c.get(0)[1];
        assertEquals(1, admin.reset("Test", r, first, "gdrive"));
        assertEquals(0, tries(r, first, "gdrive"));
        assertEquals(3, tries(r, c.get(0)[2], "gdrive"));
        assertEquals(3, tries(c.get(1)[0], c.get(1)[1], "gdrive"));
        assertEquals(3, tries(r, first, "other"), "other sites untouched");
        assertEquals(List.of(first), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
    }

    @Test
    void resetRepresentationAndWholeSite() {
        List<ObjectId[]> c = exhaustedCollection();
        ObjectId r = c.get(1)[0];
        assertEquals(1, admin.reset("Test", r, null, "gdrive"));
        for (int j = 1; j <= 3; j++) {
            assertEquals(0, tries(r, c.get(1)[j], "gdrive"));
        }
        assertEquals(3, tries(c.get(0)[0], c.get(0)[1], "gdrive"));
        assertEquals(3, queue.due("Test", Direction.UPLOAD, 10, NOW).size());

        assertEquals(2, admin.reset("Test", null, null, "gdrive"), "the two representations still failed");
        for (ObjectId[] ids : c) {
            for (int j = 1; j <= 3; j++) {
                assertEquals(0, tries(ids[0], ids[j], "gdrive"));
                assertEquals(3, tries(ids[0], ids[j], "other"));
                assertNotNull(record(ids[0], ids[j], "studio").get("created_dt"), "created_dt kept");
            }
        }
        assertEquals(9, queue.due("Test", Direction.UPLOAD, 10, NOW).size());
    }

    @Test
    void resetWithoutSiteResetsBothSyncedSites() {
        ObjectId r = new ObjectId(), f = new ObjectId();
        test.insertOne(representation(r, "ma", file(f, "a.ma", wanted("studio").append("tries", 3).append("error", "x"),
                on("gdrive").append("id", "1A"))));
        assertEquals(List.of(), queue.due("Test", Direction.DOWNLOAD, 10, NOW));
        assertEquals(1, admin.reset("Test", r, f, null));
        assertEquals(List.of(f), ids(queue.due("Test", Direction.DOWNLOAD, 10, NOW)));
        assertEquals("1A", record(r, f, "gdrive").get("id"));
    }

    @Test
    void pauseAndPriorityPerFileRepresentationAndSite() {
        ObjectId r1 = new ObjectId(), r2 = new ObjectId();
        ObjectId a = new ObjectId(), b = new ObjectId(), c = new ObjectId(), d = new ObjectId();
        test.insertOne(representation(r1, "ma", file(a, "a.ma", on("studio"), wanted("gdrive")),
                file(b, "b.ma", on("studio"), wanted("gdrive"))));
        test.insertOne(representation(r2, "ma", file(c, "c.ma", on("studio"), wanted("gdrive")),
                file(d, "d.ma", on("studio"), wanted("gdrive"))));

        assertEquals(1, admin.pause("Test", r1, a, "gdrive", true), "first file of the representation");
        assertEquals(List.of(b, c, d), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
        assertEquals(1, admin.pause("Test", r2, null, "gdrive", true));
        assertEquals(List.of(b), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
        assertEquals(2, admin.pause("Test", null, null, "gdrive", false));
        assertEquals(4, queue.due("Test", Direction.UPLOAD, 10, NOW).size());
        assertFalse(record(r1, a, "gdrive").containsKey("paused"));

        assertEquals(1, admin.priority("Test", r2, null, "gdrive", 200));
        assertEquals(1, admin.priority("Test", r1, b, "gdrive", 300));
        assertEquals(List.of(b, c, d, a), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
        assertEquals(200, record(r2, c, "gdrive").getInteger("priority"));
        assertFalse(record(r2, c, "studio").containsKey("priority"), "only the named site");
        assertThrows(IllegalArgumentException.class, () -> admin.priority("Test", r1, a, "gdrive", 0));
    }

    // ------------------------------------------------------------------------------------------ dict shape

    private ObjectId dictRepresentation(ObjectId f0, ObjectId f1) {
        ObjectId r = new ObjectId();
        test.insertOne(representation(r, "ma",
                dictFile(f0, "a.ma", new Document("studio", body(on("studio"))).append("gdrive", new Document())),
                dictFile(f1, "b.ma", new Document("studio", new Document()).append("gdrive",
                        body(on("gdrive")).append("id", "1Dict")))));
        return r;
    }

    @Test
    void dictShapeIsReadAndWrittenInPlace() {
        ObjectId f0 = new ObjectId(), f1 = new ObjectId();
        ObjectId r = dictRepresentation(f0, f1);

        FileTask up = only(Direction.UPLOAD, NOW);
        assertEquals(f0, up.fileId());
        assertTrue(up.dictShape());
        FileTask down = only(Direction.DOWNLOAD, NOW);
        assertEquals(f1, down.fileId());
        assertEquals("1Dict", down.id());

        assertTrue(claimOne(claims, up, "node-a", LEASE, NOW));
        assertFalse(claimOne(claims, up, "node-b", LEASE, NOW));
        assertEquals("node-a", record(r, f0, "gdrive").get("claimed_by"));
        assertEquals(1, outcomes.failed(up, null, "TRANSIENT", NOW, LOOP));
        FileTask again = only(Direction.UPLOAD, NOW.plusSeconds(61));
        assertEquals(1, again.tries());
        assertEquals(2, outcomes.failed(again, "Drive 503", "TRANSIENT", NOW.plusSeconds(61), LOOP));
        assertEquals("Drive 503", record(r, f0, "gdrive").get("error"));

        assertEquals(1, admin.reset("Test", r, null, "gdrive"));
        assertFalse(record(r, f0, "gdrive").containsKey("tries"));
        FileTask fresh = only(Direction.UPLOAD, NOW);
        assertTrue(claimOne(claims, fresh, "node-a", LEASE, NOW));
        outcomes.succeeded(fresh, "1New", 4822, "abc", NOW);

        Document after = repre(r);
        Object sites = fileOf(after, f0).get("sites");
        assertInstanceOf(Document.class, sites, "still the dict shape");
        Document gdrive = (Document) ((Document) sites).get("gdrive");
        assertEquals(date(NOW), gdrive.get("created_dt"));
        assertEquals("1New", gdrive.get("id"));
        assertFalse(gdrive.containsKey("error"));
        assertFalse(gdrive.containsKey("claimed_by"));
        assertEquals(new Document(), ((Document) fileOf(after, f1).get("sites")).get("studio"), "other file untouched");
        assertEquals(List.of(), queue.due("Test", Direction.UPLOAD, 10, NOW));

        assertEquals(1, admin.pause("Test", r, f1, "studio", true));
        assertEquals(List.of(), queue.due("Test", Direction.DOWNLOAD, 10, NOW));
        assertEquals(1, admin.pause("Test", r, f1, "studio", false));
        assertEquals(1, admin.priority("Test", r, f1, "studio", 99));
        assertEquals(99, only(Direction.DOWNLOAD, NOW).priority());
    }

    @Test
    void listAndDictRepresentationsAreSelectedTogether() {
        ObjectId f0 = new ObjectId(), f1 = new ObjectId(), listFile = new ObjectId();
        dictRepresentation(f0, f1);
        test.insertOne(representation(new ObjectId(), "abc", file(listFile, "c.abc", on("studio"), wanted("gdrive"))));
        assertEquals(List.of(f0, listFile), ids(queue.due("Test", Direction.UPLOAD, 10, NOW)));
        assertEquals(0, admin.reset("Test", null, null, "gdrive"), "nothing failed, nothing changed");
    }

    // ------------------------------------------------------------------------------------------ status

    @Test
    void failuresAndCountsForTheStatusPage() {
        ObjectId r = new ObjectId();
        ObjectId queued = new ObjectId(), running = new ObjectId(), waiting = new ObjectId(), exhausted = new ObjectId(),
                done = new ObjectId(), paused = new ObjectId(), blocked = new ObjectId(), legacyNull = new ObjectId();
        test.insertOne(representation(r, "ma",
                file(queued, "q.ma", on("studio"), wanted("gdrive")),
                file(running, "r.ma", on("studio"), wanted("gdrive").append("claimed_by", "n")
                        .append("claimed_until", date(NOW.plusSeconds(60)))),
                file(waiting, "w.ma", on("studio"), wanted("gdrive").append("tries", 1).append("error", "Drive 500")
                        .append("last_failed_dt", date(NOW.minusSeconds(5))).append("next_attempt_dt", date(NOW.plusSeconds(55)))),
                file(exhausted, "e.ma", on("studio"), wanted("gdrive").append("tries", 3).append("error", "Drive 403")
                        .append("error_kind", "PERMANENT").append("last_failed_dt", date(NOW.minusSeconds(1)))),
                file(done, "d.ma", on("studio"), on("gdrive")),
                file(paused, "p.ma", on("studio"), wanted("gdrive").append("paused", true)),
                file(blocked, "b.ma", wanted("studio"), wanted("gdrive")),
                file(legacyNull, "n.ma", on("studio"), wanted("gdrive").append("tries", 1).append("error", null)
                        .append("last_failed_dt", date(NOW.minusSeconds(3600))))));

        List<SiteFailure> failures = queue.failures("Test", 10);
        assertEquals(List.of(exhausted, waiting, legacyNull), failures.stream().map(SiteFailure::fileId).toList());
        SiteFailure first = failures.get(0);
        assertEquals("gdrive", first.site());
        assertEquals(3, first.tries());
        assertEquals("Drive 403", first.error());
        assertEquals("PERMANENT", first.errorKind());
        assertTrue(first.exhausted());
        assertTrue(first.path().endsWith("/e.ma"));
        assertFalse(failures.get(1).exhausted());
        assertEquals("(no error text recorded)", failures.get(2).error());
        assertEquals(1, queue.failures("Test", 1).size());

        List<SiteQueueCounts> counts = queue.counts("Test", NOW);
        SiteQueueCounts gdrive = counts.get(0);
        assertEquals("gdrive", gdrive.site());
        assertEquals(Direction.UPLOAD, gdrive.direction());
        assertEquals(1, gdrive.done());
        assertEquals(1, gdrive.inProgress());
        assertEquals(1, gdrive.paused());
        assertEquals(1, gdrive.failed());
        assertEquals(1, gdrive.waiting());
        assertEquals(2, gdrive.queued(), "q.ma and the legacy failure without backoff time");
        assertEquals(1, gdrive.blocked());
        assertEquals(queue.due("Test", Direction.UPLOAD, 100, NOW).size(), gdrive.queued());
        SiteQueueCounts studio = counts.get(1);
        assertEquals("studio", studio.site());
        assertEquals(7, studio.done());
        assertEquals(1, studio.blocked());
    }

    @Test
    void badConfigurationIsNamed() {
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> new SiteRecords(client, DB, "studio", "studio", 3));
        assertTrue(same.getMessage().contains("'studio'"), same.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class,
                () -> new SiteRecords(client, DB, "studio", "g.drive", 3));
        assertTrue(dotted.getMessage().contains("sitesync.remote-site"), dotted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SiteRecords(client, DB, "studio", "gdrive", 0));
    }
}
