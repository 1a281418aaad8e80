package io.avalonsync.shotgrid;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.avalonsync.ServiceProcess;
import io.avalonsync.ShotGridHarness;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sandbox.ShotGridSimulator;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service runs as its own process (the daemon command) and is killed with SIGKILL in the middle of a burst
 * of ShotGrid changes. After a restart every event is journaled exactly once and Avalon says what ShotGrid says.
 */
class ShotGridEventsKillTest {

    @Test
    void killNineInTheMiddleOfABurstLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                ShotGridSimulator shotgrid = ShotGridSimulator.start(0, data);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> journal = client.getDatabase("avalon_sync").getCollection("event_journal");
            MongoCollection<Document> cursors = client.getDatabase("avalon_sync").getCollection("cursors");
            MongoCollection<Document> show = client.getDatabase("avalon").getCollection("demo_show");
            int projectId = (Integer) data.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
            List<Integer> shots = data.ids(ShotGridData.SHOT).stream()
                    .filter(id -> projectId == ((Number) ((Map<?, ?>) data.get(ShotGridData.SHOT, id).get("project")).get("id")).intValue())
                    .toList();
            Map<String, Object> artist = ShotGridHarness.artist(data);

            ServiceProcess service = startService(mongo, shotgrid, dir.resolve("run1.log"));
            int rounds = 12;
            try {
                await("the start-up sync and the leecher", 60_000,
                        () -> show.countDocuments(Filters.eq("data.shotgridType", "Shot")) == shots.size() && cursors.countDocuments() > 0);
                for (int round = 1; round <= rounds; round++) {
                    for (int shot : shots) {
                        data.update(ShotGridData.SHOT, shot, Map.of("sg_cut_out", 1100 + round), artist);
                    }
                    if (round == rounds / 2) {
                        await("part of the burst applied", 30_000, () -> journal.countDocuments(Filters.eq("status", "done")) > 10);
                        service.kill();
                    }
                    Thread.sleep(20);
                }
            } finally {
                service.kill();
            }

            ServiceProcess restarted = startService(mongo, shotgrid, dir.resolve("run2.log"));
            try {
                for (int shot : shots) {
                    await("shot " + shot + " at the burst's last value", 60_000, () -> {
                        Document doc = show.find(Filters.eq("data.shotgridKey", "Shot:" + shot)).first();
                        return doc != null && Integer.valueOf(1100 + rounds).equals(TrackerIdentity.read(doc, "data.clipOut"));
                    });
                    assertEquals(1, show.countDocuments(Filters.eq("data.shotgridKey", "Shot:" + shot)), "no duplicate document");
                }
                await("the journal to drain", 60_000, () -> journal.countDocuments(Filters.in("status", "pending", "failed")) == 0);
            } finally {
                restarted.kill();
            }
            // every sg_cut_out change of the burst is in the journal exactly once (the _id is source + event id)
            long burstEvents = data.events().stream().filter(e -> "Shotgun_Shot_Change".equals(e.get("event_type"))
                    && "sg_cut_out".equals(e.get("attribute_name"))).count();
            assertEquals((long) rounds * shots.size(), burstEvents);
            long journaled = journal.countDocuments(Filters.and(Filters.eq("name", "Shotgun_Shot_Change"),
                    Filters.eq("data.attribute_name", "sg_cut_out")));
            assertEquals(burstEvents, journaled, "each event journaled once, none lost");
            assertEquals(0, journal.countDocuments(Filters.eq("status", "parked")));
        }
    }

    private static ServiceProcess startService(EmbeddedMongo mongo, ShotGridSimulator shotgrid, Path log) throws Exception {
        return ServiceProcess.start(Map.of(
                "avalon.mongo-uri", mongo.uri(),
                "shotgrid.url", shotgrid.baseUrl(),
                "shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME,
                "shotgrid.api-key", ShotGridSimulator.API_KEY,
                "shotgrid.poll-delay", "200",
                "shotgrid.retry-delay", "100"), log);
    }
}
