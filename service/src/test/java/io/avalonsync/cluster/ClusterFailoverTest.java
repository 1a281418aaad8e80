package io.avalonsync.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.avalonsync.avalon.NameSanitizer;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sandbox.ShotGridSimulator;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two service JVMs against one store and the tracker simulators, elected by a real cluster service (a shared lock
 * folder, or a ZooKeeper server from Debian's package): one node runs the tracker work, the other none of it; killed
 * with SIGKILL in the middle of a burst of Kitsu changes, the other takes over within the lease + 10 s and every change
 * lands once; stopped gracefully, it hands over without waiting for the lease; a second node with the same id is refused.
 */
class ClusterFailoverTest {

    /** Short, so a killed leader's groups move quickly; the service's default is 15 s. */
    private static final String LEASE_SECONDS = "2";

    @Test
    void fileLockOneLeaderKilledMidBurstLosesAndDoublesNothing(@TempDir Path dir) throws Exception {
        disruptLeaderMidBurst(dir, Map.of("sync.cluster", "file", "sync.cluster.file.root", dir.resolve("cluster").toString(),
                "sync.cluster.lease", LEASE_SECONDS), Disruption.KILL);
    }

    @Test
    void zooKeeperOneLeaderKilledMidBurstLosesAndDoublesNothing(@TempDir Path dir) throws Exception {
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(dir)) {
            disruptLeaderMidBurst(dir, Map.of("sync.cluster", "zookeeper", "sync.cluster.zookeeper.nodes", zk.connectString(),
                    "sync.cluster.lease", LEASE_SECONDS), Disruption.KILL);
        }
    }

    /**
     * The leader stands still longer than its lease (a paused VM or container, a long GC pause): the follower takes
     * over, and when the old leader wakes it finds its session gone and steps down, so no change is applied twice
     * and one Kitsu listener remains.
     */
    @Test
    void zooKeeperLeaderFrozenLongerThanItsLeaseStepsDownWhenItWakes(@TempDir Path dir) throws Exception {
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(dir)) {
            disruptLeaderMidBurst(dir, Map.of("sync.cluster", "zookeeper", "sync.cluster.zookeeper.nodes",
                    zk.connectString(), "sync.cluster.lease", LEASE_SECONDS), Disruption.FREEZE);
        }
    }

    /**
     * Rolling restart under continuous Kitsu changes: a new node starts beside the leader, then the leader gets SIGTERM.
     * The lease is long here (20 s), so a hand-over quicker than it shows the leader let go instead of expiring.
     */
    @Test
    void zooKeeperRollingRestartHandsOverPromptlyUnderContinuousChanges(@TempDir Path dir) throws Exception {
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(dir)) {
            Map<String, String> cluster = Map.of("sync.cluster", "zookeeper", "sync.cluster.zookeeper.nodes", zk.connectString(),
                    "sync.cluster.lease", "20");
            KitsuData data = new KitsuData();
            SampleProduction.generate(data, SampleProduction.Spec.demo());
            try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data);
                    MongoClient client = MongoClients.create(mongo.uri())) {
                Kitsu k = new Kitsu(data, client);
                Map<String, String> settings = settings(mongo, kitsu, cluster);
                try (ClusterNode old = ClusterNode.start("node-old", settings, dir)) {
                    await("the old node to lead and sync", 120_000, () -> old.leads("kitsu") && k.synced());
                    AtomicBoolean changing = new AtomicBoolean(true);
                    AtomicInteger rounds = new AtomicInteger();
                    Thread changes = new Thread(() -> {
                        while (changing.get()) {
                            k.rename(rounds.incrementAndGet());
                            try {
                                Thread.sleep(100); // the pace of the changes, not a wait for anything
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    changes.setDaemon(true);
                    changes.start();
                    try (ClusterNode fresh = ClusterNode.start("node-new", settings, dir)) {
                        await("the new node to answer as a follower", 120_000,
                                () -> fresh.answers() && fresh.leads().isEmpty() && !fresh.leads("kitsu"));
                        assertEquals(0.0, fresh.exchanges("kitsu-journal-processor"), "the follower applies nothing");
                        long stop = System.nanoTime();
                        assertEquals(0, old.process.terminate(60), "the old node stops cleanly");
                        long exited = System.nanoTime();
                        await("the new node to lead", 60_000, () -> fresh.leads("kitsu"));
                        double handover = (System.nanoTime() - exited) / 1e9;
                        System.out.printf("rolling restart: stop took %.1f s, hand-over %.1f s after the exit%n",
                                (exited - stop) / 1e9, handover);
                        assertTrue(handover < 10, "hand-over in " + handover + " s, not after the 20 s lease");
                        await("changes applied by the new leader", 60_000, () -> k.countDone() > 0 && exchangesQuietly(fresh, "kitsu-journal-processor") > 0);
                        changing.set(false);
                        changes.join();
                        k.awaitConverged(rounds.get());
                    }
                }
                k.assertOnceEach();
            }
        }
    }

    /** Two nodes started at the same instant on an empty database, Kitsu and ShotGrid, twice over (the other tests race too). */
    @Test
    void zooKeeperNodesStartedTogetherOnAnEmptyStoreWriteOneDocumentPerEntity(@TempDir Path dir) throws Exception {
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(dir)) {
            for (int round = 1; round <= 2; round++) {
                KitsuData kitsuData = new KitsuData();
                SampleProduction.generate(kitsuData, SampleProduction.Spec.demo());
                ShotGridData shotgridData = new ShotGridData();
                SampleShotGridProduction.generate(shotgridData, SampleShotGridProduction.Spec.demo());
                try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, kitsuData);
                        ShotGridSimulator shotgrid = ShotGridSimulator.start(0, shotgridData);
                        MongoClient client = MongoClients.create(mongo.uri())) {
                    Map<String, String> settings = new HashMap<>(settings(mongo, kitsu, Map.of("sync.cluster", "zookeeper",
                            "sync.cluster.zookeeper.nodes", zk.connectString(), "sync.cluster.lease", LEASE_SECONDS,
                            "sync.cluster.zookeeper.base-path", "/race-" + round)));
                    settings.put("shotgrid.url", shotgrid.baseUrl());
                    settings.put("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
                    settings.put("shotgrid.api-key", ShotGridSimulator.API_KEY);
                    settings.put("shotgrid.poll-delay", "300");
                    Kitsu k = new Kitsu(kitsuData, client);
                    MongoCollection<Document> show = client.getDatabase("avalon").getCollection("demo_show");
                    try (ClusterNode a = ClusterNode.start("node-a", settings, dir); ClusterNode b = ClusterNode.start("node-b", settings, dir)) {
                        await("synced and answering", 180_000, () -> k.synced()
                                && show.countDocuments(Filters.eq("data.shotgridType", "Shot")) > 0 && a.answers() && b.answers());
                        // the work itself: exactly one node ran each tracker's full sync
                        for (String route : List.of("kitsu-full-sync", "shotgrid-full-sync")) {
                            await(route + " counted", 60_000, () -> exchangesQuietly(a, route) + exchangesQuietly(b, route) > 0);
                            assertTrue(a.exchanges(route) == 0 ^ b.exchanges(route) == 0, "round " + round + ": " + route
                                    + " ran on one node only (a: " + a.exchanges(route) + ", b: " + b.exchanges(route) + ")");
                        }
                        assertEquals(1, kitsu.eventClients(), "one Kitsu listener");
                        // and what the nodes say
                        for (String group : List.of("kitsu", "shotgrid", "journal")) {
                            await("a leader of " + group, 60_000, () -> a.leads(group) || b.leads(group));
                            assertTrue(a.leads(group) ^ b.leads(group), "round " + round + ": one leader of " + group
                                    + " (a: " + a.leads() + ", b: " + b.leads() + ")");
                        }
                        assertEquals(0.0, (a.leads("kitsu") ? b : a).exchanges("kitsu-full-sync"), "the kitsu follower ran no full sync");
                        assertEquals(0.0, (a.leads("shotgrid") ? b : a).exchanges("shotgrid-full-sync"),
                                "the shotgrid follower ran no full sync");
                    }
                    k.assertOnceEach();
                    assertOnePerKey(show, "data.shotgridKey");
                }
            }
        }
    }

    /** A second process started with a running node's id is refused with a message naming it; the first keeps leading. */
    @Test
    void aSecondNodeWithTheSameIdIsRefused(@TempDir Path dir) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data)) {
            Map<String, String> settings = settings(mongo, kitsu, Map.of("sync.cluster", "file",
                    "sync.cluster.file.root", dir.resolve("cluster").toString(), "sync.cluster.lease", LEASE_SECONDS));
            try (ClusterNode first = ClusterNode.start("node-a", settings, dir)) {
                // each group is a lock of its own, taken one after the other
                await("the first node to lead", 120_000, () -> first.leads("kitsu") && first.leads("journal"));
                // visible: a gauge per singleton group on /metrics, the Nodes section of the status page
                await("the node record to show the lead", 30_000, () -> {
                    try {
                        return first.get("/").contains("<td>kitsu</td><td>node-a</td><td>leads</td>");
                    } catch (Exception e) {
                        return false;
                    }
                });
                String metrics = first.get("/metrics");
                for (String group : List.of("kitsu", "journal")) {
                    assertTrue(java.util.regex.Pattern.compile("(?m)^avalon_sync_leader\\{group=\"" + group
                            + "\",node=\"node-a\",?} 1\\.0$").matcher(metrics).find(), group + " gauge: " + metrics.lines()
                            .filter(l -> l.startsWith("avalon_sync_leader")).toList());
                }
                try (ClusterNode twin = ClusterNode.start("node-a", settings, dir)) {
                    assertTrue(twin.process.process().waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the twin exits");
                    assertEquals(1, twin.process.process().exitValue());
                    String log = twin.process.log();
                    assertTrue(log.contains("node id 'node-a' is already used by a running node"), log);
                    assertTrue(log.contains("give each node its own sync.node-id"), log);
                }
                assertTrue(first.leads("kitsu"), "the first node still leads");
            }
        }
    }

    // ---- the leader killed or frozen mid-burst, for each cluster service ------------------------------------------

    /** What happens to the leader halfway through the burst. */
    private enum Disruption {
        /** kill -9 */
        KILL("kill -9"),
        /** SIGSTOP until the follower leads and applies changes, then SIGCONT */
        FREEZE("SIGSTOP");

        final String signal;

        Disruption(String signal) {
            this.signal = signal;
        }
    }

    private void disruptLeaderMidBurst(Path dir, Map<String, String> cluster, Disruption disruption) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data);
                MongoClient client = MongoClients.create(mongo.uri())) {
            Kitsu k = new Kitsu(data, client);
            Map<String, String> settings = settings(mongo, kitsu, cluster);
            try (ClusterNode a = ClusterNode.start("node-a", settings, dir); ClusterNode b = ClusterNode.start("node-b", settings, dir)) {
                await("one node to lead and sync", 180_000, () -> (a.leads("kitsu") || b.leads("kitsu")) && k.synced());
                ClusterNode leader = a.leads("kitsu") ? a : b;
                ClusterNode follower = leader == a ? b : a;
                assertTrue(!follower.leads("kitsu"), "one leader: " + a.leads() + " / " + b.leads());
                await("the follower to answer", 60_000, follower::answers);
                for (String route : List.of("kitsu-full-sync", "kitsu-events-catch-up", "kitsu-journal-processor")) {
                    assertEquals(0.0, follower.exchanges(route), "the follower ran no " + route);
                }
                await("one Kitsu listener", 60_000, () -> kitsu.eventClients() == 1);

                int rounds = 10;
                double failover = -1;
                for (int round = 1; round <= rounds; round++) {
                    k.rename(round);
                    if (round == rounds / 2) {
                        await("part of the burst applied", 60_000, () -> k.countDone() > 10);
                        if (disruption == Disruption.KILL) {
                            leader.process.kill();
                        } else {
                            leader.process.freeze();
                        }
                        long disrupted = System.nanoTime();
                        await("the follower to lead", (long) (Double.parseDouble(cluster.get("sync.cluster.lease")) * 1000) + 30_000,
                                () -> follower.leads("kitsu"));
                        failover = (System.nanoTime() - disrupted) / 1e9;
                        if (disruption == Disruption.FREEZE) {
                            double applied = exchangesQuietly(follower, "kitsu-journal-processor");
                            k.rename(round); // again: changes the new leader applies while the old one stands still
                            await("the new leader to apply changes", 60_000,
                                    () -> exchangesQuietly(follower, "kitsu-journal-processor") > applied);
                            leader.process.resume();
                            await("the woken leader to answer as a follower", 60_000,
                                    () -> leader.answers() && !leader.leads("kitsu") && follower.leads("kitsu"));
                        }
                    }
                }
                System.out.printf("%s: failover %.1f s after %s (lease %s s)%n", cluster.get("sync.cluster"), failover,
                        disruption.signal, cluster.get("sync.cluster.lease"));
                assertTrue(failover <= Double.parseDouble(cluster.get("sync.cluster.lease")) + 10,
                        "failover in " + failover + " s, more than the lease + 10 s");
                k.awaitConverged(rounds);
                await("one Kitsu listener again", 60_000, () -> kitsu.eventClients() == 1);
            }
            k.assertOnceEach();
        }
    }

    private static Map<String, String> settings(EmbeddedMongo mongo, KitsuSimulator kitsu, Map<String, String> cluster) {
        Map<String, String> settings = new HashMap<>(cluster);
        settings.put("avalon.mongo-uri", mongo.uri());
        settings.put("kitsu.url", kitsu.baseUrl());
        settings.put("kitsu.events-url", kitsu.eventsUrl());
        settings.put("kitsu.user", KitsuSimulator.EMAIL);
        settings.put("kitsu.password", KitsuSimulator.PASSWORD);
        settings.put("kitsu.events.poll-interval", "1000");
        settings.put("kitsu.retry-delay", "100");
        return settings;
    }

    private static double exchangesQuietly(ClusterNode node, String route) {
        try {
            return node.exchanges(route);
        } catch (Exception e) {
            return 0;
        }
    }

    static void assertOnePerKey(MongoCollection<Document> collection, String key) {
        List<Object> keys = new ArrayList<>();
        collection.find(Filters.exists(key)).forEach(d -> keys.add(value(d, key)));
        assertTrue(!keys.isEmpty(), "documents with " + key + " in " + collection.getNamespace());
        assertEquals(keys.size(), new java.util.HashSet<>(keys).size(), "one document per " + key + " in " + collection.getNamespace());
    }

    private static Object value(Document d, String dotted) {
        Object v = d;
        for (String part : dotted.split("\\.")) {
            v = ((Document) v).get(part);
        }
        return v;
    }

    /** The Kitsu side of a test: the sample's assets, renamed in rounds, and what the store and the journal hold. */
    static final class Kitsu {
        final KitsuData data;
        final MongoCollection<Document> journal;
        final MongoDatabase avalon;
        final MongoCollection<Document> agent;
        final List<Map<String, Object>> assets;

        Kitsu(KitsuData data, MongoClient client) {
            this.data = data;
            journal = client.getDatabase("avalon_sync").getCollection("event_journal");
            avalon = client.getDatabase("avalon");
            agent = avalon.getCollection("Agent_327");
            String projectId = (String) data.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow().get("id");
            assets = data.entities(projectId, "Asset");
        }

        boolean synced() {
            return agent.countDocuments(Filters.eq("data.zou.type", "Asset")) == assets.size();
        }

        void rename(int round) {
            for (Map<String, Object> asset : assets) {
                data.update((String) asset.get("id"), Map.of("name", asset.get("name") + " r" + round));
            }
        }

        long countDone() {
            return journal.countDocuments(Filters.eq("status", "done"));
        }

        void awaitConverged(int lastRound) throws InterruptedException {
            for (Map<String, Object> asset : assets) {
                String expected = NameSanitizer.sanitize(asset.get("name") + " r" + lastRound);
                await("asset " + asset.get("name") + " at round " + lastRound, 120_000, () -> {
                    Document doc = agent.find(Filters.eq("data.zou.id", asset.get("id"))).first();
                    return doc != null && expected.equals(doc.getString("name"));
                });
            }
            await("the journal to drain", 120_000, () -> journal.countDocuments(Filters.in("status", "pending", "failed")) == 0);
        }

        /** Every change journaled once, applied once, none parked; one document per Kitsu entity. */
        void assertOnceEach() {
            long changes = data.events().stream().filter(e -> "asset:update".equals(e.get("name"))).count();
            assertEquals(changes, journal.countDocuments(Filters.eq("name", "asset:update")), "each change journaled once, none lost");
            assertEquals(0, journal.countDocuments(Filters.eq("status", "parked")), "none parked");
            assertEquals(0, journal.countDocuments(Filters.gt("applied", 1)), "none applied twice");
            int kitsuProjects = 0;
            for (String name : avalon.listCollectionNames()) {
                if (avalon.getCollection(name).countDocuments(Filters.exists("data.zou.id")) > 0) {
                    assertOnePerKey(avalon.getCollection(name), "data.zou.id");
                    kitsuProjects++;
                }
            }
            assertTrue(kitsuProjects >= 2, "the sample's Kitsu projects were synced");
        }
    }
}
