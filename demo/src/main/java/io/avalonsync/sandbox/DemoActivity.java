package io.avalonsync.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the demo's Kitsu simulator look like a studio at work: every few seconds a shot's frame range
 * changes, so the live event path (socket, journal, Avalon) can be watched in the log and the store. Each
 * change is then looked for in the Avalon store, and the log says how long it took to arrive.
 */
final class DemoActivity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoActivity.class);

    private final KitsuData data;
    private final MongoClient mongo;
    private final String database;
    private final Random random = new Random(327);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-activity");
        thread.setDaemon(true);
        return thread;
    });

    DemoActivity(KitsuData data, long periodMillis, String mongoUri, String database) {
        this.data = data;
        this.mongo = MongoClients.create(mongoUri);
        this.database = database;
        if (periodMillis > 0) {
            timer.scheduleAtFixedRate(this::changeSomething, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void changeSomething() {
        try {
            List<Map<String, Object>> projects = data.projects();
            Map<String, Object> project = projects.get(random.nextInt(projects.size()));
            List<Map<String, Object>> shots = data.entities((String) project.get("id"), KitsuData.SHOT);
            if (shots.isEmpty()) {
                return;
            }
            Map<String, Object> shot = shots.get(random.nextInt(shots.size()));
            int frameOut = 1001 + 24 + random.nextInt(200);
            data.update((String) shot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", frameOut)));
            Map<String, Object> sequence = data.get((String) shot.get("parent_id"));
            long changed = System.nanoTime();
            LOG.info("demo: Kitsu change in '{}': shot {}/{} frame_out -> {}", project.get("name"),
                    sequence == null ? "?" : sequence.get("name"), shot.get("name"), frameOut);
            watch((String) shot.get("id"), frameOut, changed);
        } catch (RuntimeException e) {
            LOG.warn("demo: simulated change failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the store until the shot's new frame end is there (or 10 s passed) and logs how long it took. */
    private void watch(String zouId, int frameEnd, long changed) throws InterruptedException {
        MongoDatabase db = mongo.getDatabase(database);
        while (System.nanoTime() - changed < 10_000_000_000L) {
            for (String collection : db.listCollectionNames()) {
                Document doc = db.getCollection(collection).find(Filters.and(Filters.eq("data.zou.id", zouId),
                        Filters.eq("data.frameEnd", frameEnd))).first();
                if (doc != null) {
                    LOG.info("demo: ... in the Avalon store ({}.{}) {} ms after the change in Kitsu", collection,
                            doc.getString("name"), (System.nanoTime() - changed) / 1_000_000);
                    return;
                }
            }
            Thread.sleep(10);
        }
        LOG.warn("demo: ... not in the Avalon store 10 s after the change in Kitsu (see the log above)");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        mongo.close();
    }
}
