package io.avalonsync.kitsu;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sync.SyncRun;
import io.avalonsync.sync.SyncRuns;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and faults: a clear error naming what and where, the rest goes on, nothing written is lost. */
class KitsuFaultsTest {

    private SyncHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private String projectId(String name) {
        return (String) h.kitsu.data().projects().stream().filter(p -> name.equals(p.get("name")))
                .findFirst().orElseThrow().get("id");
    }

    private Map<String, Object> health() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.statusPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new ObjectMapper().readValue(response.body(), Map.class);
        body.put("httpStatus", response.statusCode());
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(Map<String, Object> health, String name) {
        return (Map<String, Object>) ((Map<String, Object>) health.get("checks")).get(name);
    }

    @Test
    void wrongPasswordFailsTheRunWithAClearReason() throws Exception {
        h = SyncHarness.demo(Map.of("kitsu.password", "not-the-password"));
        SyncRun run = h.fullSync();
        assertEquals(1, run.exitCode());
        assertTrue(run.failure().contains("Kitsu login as admin@example.com"), run.failure());
        assertTrue(run.failure().contains("wrong e-mail or password"), run.failure());
        assertTrue(!run.summary().contains("not-the-password"), "the password is never printed");
        assertNull(h.project("Agent_327"), "nothing written");

        Map<String, Object> health = health();
        assertEquals(503, health.get("httpStatus"));
        assertEquals("DOWN", check(health, "kitsu").get("status"));
        assertTrue(String.valueOf(check(health, "kitsu").get("reason")).contains("wrong e-mail or password"));
        assertEquals("UP", check(health, "mongo").get("status"));
    }

    /**
     * The daemon started while Kitsu is down: its start-up full sync gives up after kitsu.retries (it used to retry
     * its login for ever, holding the run queue), /health says why, and the next run works once Kitsu is back.
     */
    @Test
    void kitsuDownAtStartFailsTheStartUpSyncAndTheNextRunWorksOnceKitsuIsBack() throws Exception {
        h = SyncHarness.demo();
        String url = h.kitsu.baseUrl();
        h.kitsu.close();
        h.appWithEvents(Map.of("kitsu.full-sync.at-start", "true", "kitsu.events.enabled", "false"));
        org.apache.camel.CamelContext camel = h.app().context();
        SyncRuns runs = camel.getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
        SyncHarness.await("the start-up full sync to give up", 60_000, () -> runs.last("kitsu") != null,
                () -> camel.getInflightRepository().size("kitsu-full-sync") + " run(s) still in kitsu-full-sync");
        SyncRun failed = runs.last("kitsu");
        assertEquals(1, failed.exitCode(), failed.summary());
        assertTrue(failed.failure().contains("Kitsu at " + url + "/api cannot be reached"), failed.failure());
        Map<String, Object> down = health();
        assertEquals(503, down.get("httpStatus"));
        assertEquals("DOWN", check(down, "kitsu").get("status"));
        assertTrue(String.valueOf(check(down, "kitsu").get("reason")).contains("cannot be reached"), String.valueOf(down));

        // Kitsu back at its address: the next run (the schedule's and sync-once's way in) completes
        try (KitsuSimulator back = KitsuSimulator.start(java.net.URI.create(url).getPort(), h.kitsu.data())) {
            SyncRun run = h.fullSync();
            assertEquals(0, run.exitCode(), run.summary());
            assertNotNull(h.asset("Agent_327", "Briefcase"));
            Map<String, Object> up = health();
            assertEquals("UP", check(up, "kitsu").get("status"), String.valueOf(up));
        }
    }

    @Test
    void healthIsUpAfterASync() throws Exception {
        h = SyncHarness.demo();
        h.fullSync();
        Map<String, Object> health = health();
        assertEquals(200, health.get("httpStatus"), String.valueOf(health));
        assertEquals("UP", health.get("status"));
        assertEquals("UP", check(health, "kitsu").get("status"));
        assertNotNull(check(health, "kitsu").get("last_sync"));
        assertEquals("UP", check(health, "mongo").get("status"));
    }

    @Test
    void malformedJsonFailsOnlyThatProjectAndTheNextRunCompletes() throws Exception {
        h = SyncHarness.demo();
        h.kitsu.malformedNext(".*/projects/" + projectId("Agent 327") + "/shots", 1);
        SyncRun run = h.fullSync();
        assertEquals(1, run.exitCode());
        SyncRun.ProjectResult agent = run.projects().stream().filter(p -> p.project().equals("Agent 327")).findFirst().orElseThrow();
        assertTrue(agent.failure().contains("malformed JSON for the shots of project 'Agent 327'"), agent.failure());
        assertNull(h.project("Agent_327"), "a project is written only once all its lists were read");
        assertNotNull(h.asset("Sprite_Fright", "SQ010_SH010"), "the other project goes on");

        SyncRun next = h.fullSync();
        assertEquals(0, next.exitCode(), next.summary());
        assertNotNull(h.asset("Agent_327", "E01_SQ010_SH010"));
    }

    @Test
    void serverErrorIsRedeliveredThenSucceeds() throws Exception {
        h = SyncHarness.demo();
        h.kitsu.failNext(".*/projects/" + projectId("Agent 327") + "/assets", 500, 2);
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        assertNotNull(h.asset("Agent_327", "Briefcase"));
    }

    @Test
    void persistentServerErrorFailsTheProjectNamingTheRequest() throws Exception {
        h = SyncHarness.demo();
        String agent = projectId("Agent 327");
        h.kitsu.failNext(".*/projects/" + agent + "/assets", 503, 10);
        SyncRun run = h.fullSync();
        assertEquals(1, run.exitCode());
        String failure = run.projects().stream().filter(p -> "Agent 327".equals(p.project())).findFirst().orElseThrow().failure();
        assertTrue(failure.contains("HTTP 503") && failure.contains("/data/projects/" + agent + "/assets"), failure);
        assertNotNull(h.project("Sprite_Fright"));
        h.kitsu.clearFaults();
        assertEquals(0, h.fullSync().exitCode());
        assertNotNull(h.asset("Agent_327", "Briefcase"));
    }

    @Test
    void hangingServerTimesOutAndIsRetried() throws Exception {
        h = SyncHarness.demo();
        h.kitsu.hangNext(".*/projects/" + projectId("Sprite Fright") + "/tasks", 20_000, 1);
        long started = System.nanoTime();
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        // far above kitsu.timeout (3 s) so that a loaded machine's slow start-up cannot pass for the hang
        assertTrue((System.nanoTime() - started) / 1_000_000 < 20_000, "the read timeout cut the hang short");
        assertNotNull(h.asset("Sprite_Fright", "SQ020_SH050"));
    }

    @Test
    void refusedTokenLogsInAgainAndRetries() throws Exception {
        h = SyncHarness.demo();
        h.fullSync();
        h.kitsu.resetCounts();
        h.kitsu.failNext(".*/projects/" + projectId("Agent 327") + "/episodes", 401, 1);
        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        assertEquals(2L, h.kitsu.requestCountsByRoute().get("POST /api/auth/login"), "one login per run plus one after the 401");
    }

    @Test
    void shotWhoseSequenceIsMissingIsRejectedAndTheRestIsSynced() throws Exception {
        h = SyncHarness.demo();
        KitsuData kitsu = h.kitsu.data();
        String agent = projectId("Agent 327");
        Map<String, Object> orphan = kitsu.entities(agent, "Shot").get(0);
        kitsu.update((String) orphan.get("id"), Map.of("parent_id", "00000000-0000-0000-0000-00000000dead"));
        SyncRun run = h.fullSync();
        assertEquals(2, run.exitCode(), "completed with a rejected entity: " + run.summary());
        assertEquals(1, run.rejected());
        String rejection = run.projects().stream().flatMap(p -> p.plan().rejections().stream()).findFirst().orElseThrow();
        assertTrue(rejection.contains("project 'Agent 327'") && rejection.contains("Shot '" + orphan.get("name") + "'")
                && rejection.contains("parent"), rejection);
        assertNull(h.byZouId("Agent_327", (String) orphan.get("id")));
        assertEquals(15, h.collection("Agent_327").countDocuments(Filters.eq("data.entityType", "Shot")));
    }

    @Test
    void namesThatSanitiseToTheSameValueAreResolvedOrRejectedDeterministically() throws Exception {
        h = SyncHarness.demo();
        KitsuData kitsu = h.kitsu.data();
        String agent = projectId("Agent 327");
        String propType = (String) kitsu.entities(agent, "Asset").stream().filter(a -> "Teacup".equals(a.get("name")))
                .findFirst().orElseThrow().get("entity_type_id");
        Map<String, Object> second = kitsu.addAsset(agent, propType, "Teacup!");
        Map<String, Object> third = kitsu.addAsset(agent, propType, "Teacup?");
        SyncRun run = h.fullSync();
        assertEquals(2, run.exitCode(), run.summary());
        // the entity named exactly "Teacup" keeps the name; the first newcomer (by Kitsu id) gets the
        // parent's name as prefix; for the last one no candidate is left, so it is rejected as a clash
        assertNotNull(h.asset("Agent_327", "Teacup"));
        String original = (String) kitsu.entities(agent, "Asset").stream().filter(x -> "Teacup".equals(x.get("name")))
                .findFirst().orElseThrow().get("id");
        assertEquals(original, h.asset("Agent_327", "Teacup").get("data", Document.class).get("zou", Document.class).getString("id"));
        Document a = h.byZouId("Agent_327", (String) second.get("id"));
        Document b = h.byZouId("Agent_327", (String) third.get("id"));
        assertTrue((a == null) != (b == null), "one newcomer written, one rejected");
        Document winner = a != null ? a : b;
        assertEquals("Prop_Teacup", winner.getString("name"));
        String expectedWinner = ((String) second.get("id")).compareTo((String) third.get("id")) < 0
                ? (String) second.get("id") : (String) third.get("id");
        assertEquals(expectedWinner, winner.get("data", Document.class).get("zou", Document.class).getString("id"));
        assertTrue(run.projects().stream().flatMap(p -> p.plan().rejections().stream())
                .anyMatch(r -> r.contains("unique") && r.contains("Teacup")));

        SyncRun again = h.fullSync();
        assertEquals(0, again.writes(), "same input, same names: " + again.summary());
        assertEquals("Prop_Teacup", h.collection("Agent_327").find(Filters.eq("_id", winner.getObjectId("_id"))).first().getString("name"));
    }

    @Test
    void unreachableMongoFailsClearlyAndHealthSaysSo() throws Exception {
        h = SyncHarness.demo(Map.of("avalon.mongo-uri", "mongodb://127.0.0.1:1"));
        SyncRun run = h.fullSync();
        assertEquals(1, run.exitCode());
        assertTrue(run.summary().contains("Avalon MongoDB is unreachable"), run.summary());
        Map<String, Object> health = health();
        assertEquals("DOWN", check(health, "mongo").get("status"));
        assertTrue(String.valueOf(check(health, "mongo").get("reason")).contains("unreachable"));
        assertEquals("UP", check(health, "kitsu").get("status"), "Kitsu itself was fine");
    }

    @Test
    void mongoGoingAwayLosesNothingAndTheNextRunCompletes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("avalon.mv");
        int port;
        try (EmbeddedMongo first = EmbeddedMongo.file(file, 0)) {
            port = first.port();
        }
        EmbeddedMongo store = EmbeddedMongo.file(file, port);
        h = SyncHarness.demo(Map.of("avalon.mongo-uri", store.uri()));
        try (MongoClient client = MongoClients.create(store.uri())) {
            assertEquals(0, h.fullSync().exitCode());
        }
        store.close();
        String agent = projectId("Agent 327");
        Map<String, Object> sequence = h.kitsu.data().entities(agent, "Sequence").get(0);
        h.kitsu.data().addShot(agent, (String) sequence.get("id"), "SH990", 1001, 1010, null);
        SyncRun failed = h.fullSync();
        assertEquals(1, failed.exitCode());
        assertTrue(failed.summary().contains("Avalon MongoDB is unreachable"), failed.summary());

        store = EmbeddedMongo.file(file, port);
        try (MongoClient client = MongoClients.create(store.uri())) {
            SyncRun recovered = h.fullSync();
            assertEquals(0, recovered.exitCode(), recovered.summary());
            assertEquals(1, recovered.writes(), "only the new shot was missing: " + recovered.summary());
            long shots = client.getDatabase("avalon").getCollection("Agent_327").countDocuments(Filters.eq("data.entityType", "Shot"));
            assertEquals(17, shots);
        } finally {
            store.close();
        }
    }

    @Test
    void syncKilledMidWriteIsCompletedByTheNextRunWithoutDuplicates() throws Exception {
        h = SyncHarness.demo();
        h.fullSync();
        // an ordered bulk write stopped half way leaves the project and the first documents in plan order;
        // ObjectIds are generated in plan order, so deleting the later half recreates that state
        List<Document> written = new ArrayList<>(h.assets("Agent_327"));
        written.sort(Comparator.comparing(d -> d.getObjectId("_id")));
        List<Document> survivors = written.subList(0, written.size() / 2);
        List<ObjectId> lost = written.subList(written.size() / 2, written.size()).stream().map(d -> d.getObjectId("_id")).toList();
        h.collection("Agent_327").deleteMany(Filters.in("_id", lost));

        SyncRun run = h.fullSync();
        assertEquals(0, run.exitCode(), run.summary());
        assertEquals(written.size(), h.assets("Agent_327").size(), "every document exactly once");
        for (Document survivor : survivors) {
            Document now = h.collection("Agent_327").find(Filters.eq("_id", survivor.getObjectId("_id"))).first();
            assertEquals(survivor, now, "documents already written are untouched");
        }
        assertEquals(0, h.fullSync().writes());
        for (Document doc : h.assets("Agent_327")) {
            Object parent = doc.get("data", Document.class).get("visualParent");
            if (parent != null) {
                assertNotNull(h.collection("Agent_327").find(Filters.eq("_id", parent)).first(), "no dangling visualParent");
            }
        }
    }
}
