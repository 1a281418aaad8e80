package io.avalonsync.kitsu;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.avalonsync.ServiceProcess;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service runs as its own process (the daemon command) and is killed with SIGKILL, or stopped with SIGTERM, in
 * the middle of a burst of Kitsu events. After a restart every event is applied exactly once and Avalon says what Kitsu says.
 */
class KitsuEventsKillTest {

    /** How the first run is ended in the middle of the burst. */
    interface Stop {
        void stop(ServiceProcess service) throws Exception;
    }

    @Test
    void killNineInTheMiddleOfABurstLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        burstStoppedHalfWay(dir, ServiceProcess::kill);
    }

    /** SIGTERM, as systemd and docker stop send it: a clean exit (0), the running batch finished, nothing lost. */
    @Test
    void sigtermInTheMiddleOfABurstExitsCleanlyAndLosesNothing(@TempDir Path dir) throws Exception {
        burstStoppedHalfWay(dir, service -> {
            assertEquals(0, service.terminate(45), "exit code after SIGTERM");
            String log = service.log();
            assertTrue(log.contains("stopping: no new work is taken"), log);
            assertTrue(log.lines().anyMatch(l -> l.contains("stopped in") && !l.contains("cut at the timeout")),
                    "stopped within the timeout: " + service.logLines("stop", 20));
        });
    }

    private void burstStoppedHalfWay(Path dir, Stop stop) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                KitsuSimulator kitsu = KitsuSimulator.start(0, data);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> journal = client.getDatabase("avalon_sync").getCollection("event_journal");
            MongoCollection<Document> agent = client.getDatabase("avalon").getCollection("Agent_327");
            String projectId = (String) data.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow().get("id");
            List<Map<String, Object>> assets = data.entities(projectId, "Asset");

            ServiceProcess service = startService(mongo, kitsu, dir.resolve("run1.log"));
            try {
                await("the start-up sync and the listener", 60_000,
                        () -> agent.countDocuments(Filters.eq("data.zou.type", "Asset")) == assets.size() && kitsu.eventClients() > 0);
                int rounds = 12;
                for (int round = 1; round <= rounds; round++) {
                    for (Map<String, Object> asset : assets) {
                        data.update((String) asset.get("id"), Map.of("name", asset.get("name") + " r" + round));
                    }
                    if (round == rounds / 2) {
                        await("part of the burst applied", 30_000, () -> journal.countDocuments(Filters.eq("status", "done")) > 10);
                        stop.stop(service);
                    }
                    Thread.sleep(20);
                }
            } finally {
                service.kill();
            }

            ServiceProcess restarted = startService(mongo, kitsu, dir.resolve("run2.log"));
            try {
                for (Map<String, Object> asset : assets) {
                    String expected = NameSanitizerForTest.sanitize(asset.get("name") + " r12");
                    await("asset " + asset.get("name") + " renamed after the restart", 60_000, () -> {
                        Document doc = agent.find(Filters.eq("data.zou.id", asset.get("id"))).first();
                        return doc != null && expected.equals(doc.getString("name"));
                    });
                    assertEquals(1, agent.countDocuments(Filters.eq("data.zou.id", asset.get("id"))), "no duplicate document");
                }
                try {
                    await("the journal to drain", 60_000, () -> journal.countDocuments(Filters.in("status", "pending", "failed")) == 0);
                } catch (AssertionError e) {
                    journal.find(Filters.in("status", "pending", "failed")).limit(5).forEach(d -> System.out.println("UNDRAINED " + d.toJson()));
                    System.out.println("LOG " + java.nio.file.Files.readString(dir.resolve("run2.log")).lines()
                            .filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(20).toList());
                    throw e;
                }
            } finally {
                restarted.kill();
            }
            // every asset:update of the burst is in the journal exactly once (the _id is source + event id)
            long burstEvents = data.events().stream().filter(e -> "asset:update".equals(e.get("name"))).count();
            long journaled = journal.countDocuments(Filters.eq("name", "asset:update"));
            assertEquals(burstEvents, journaled, "each event journaled once, none lost");
            assertEquals(0, journal.countDocuments(Filters.eq("status", "parked")));
            assertTrue(journal.countDocuments(Filters.eq("status", "done")) >= burstEvents);
        }
    }

    /** The daemon against the simulator, polling Kitsu's event log every second. */
    static ServiceProcess startService(EmbeddedMongo mongo, KitsuSimulator kitsu, Path log) throws Exception {
        return ServiceProcess.start(Map.of(
                "avalon.mongo-uri", mongo.uri(),
                "kitsu.url", kitsu.baseUrl(),
                "kitsu.events-url", kitsu.eventsUrl(),
                "kitsu.user", KitsuSimulator.EMAIL,
                "kitsu.password", KitsuSimulator.PASSWORD,
                "kitsu.events.poll-interval", "1000",
                "kitsu.retry-delay", "100"), log);
    }

    /** The production sanitiser, named here so the expectation reads as what Avalon should hold. */
    private static final class NameSanitizerForTest {
        static String sanitize(String raw) {
            return io.avalonsync.avalon.NameSanitizer.sanitize(raw);
        }
    }
}
