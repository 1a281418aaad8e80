package io.avalonsync.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the demo's Kitsu simulator look like a studio at work: every few seconds a shot's frame range
 * changes, so the live event path (socket, journal, Avalon) can be watched in the log and the store.
 */
final class DemoActivity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoActivity.class);

    private final KitsuData data;
    private final Random random = new Random(327);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-activity");
        thread.setDaemon(true);
        return thread;
    });

    DemoActivity(KitsuData data, long periodMillis) {
        this.data = data;
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
            LOG.info("demo: Kitsu change in '{}': shot {}/{} frame_out -> {}", project.get("name"),
                    sequence == null ? "?" : sequence.get("name"), shot.get("name"), frameOut);
        } catch (RuntimeException e) {
            LOG.warn("demo: simulated change failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
