package io.avalonsync.kitsu;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.socketio.LogCapture;
import io.avalonsync.sync.Progress;
import io.avalonsync.sync.SyncRun;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full sync that lasts longer than sync.progress-interval (the simulator waits before every answer) logs progress
 * lines naming the project; with the default interval the same sync logs none.
 */
class KitsuProgressTest {

    private SyncHarness h;
    private final Duration before = Progress.interval();

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        Progress.interval(before);
    }

    private SyncRun slowSync(String interval) throws Exception {
        KitsuData data = new KitsuData();
        // 300 assets, 500 shots, about 3,000 tasks in "Big Show"
        SampleProduction.generate(data, new SampleProduction.Spec(1, 3, 300, 2, 5, 50, 4));
        h = new SyncHarness(data, Map.of("sync.progress-interval", interval));
        h.app();
        h.kitsu.setLatencyMillis(300);
        return h.fullSync();
    }

    @Test
    void aLongFullSyncLogsProgressWithTheProjectName() throws Exception {
        try (LogCapture log = new LogCapture(Progress.class)) {
            SyncRun run = slowSync("0.2");
            assertEquals(0, run.exitCode(), run.summary());
            List<String> lines = log.messages(Level.INFO);
            assertTrue(lines.size() >= 3, "a line per slow list at least: " + lines);
            assertTrue(lines.stream().allMatch(l -> l.startsWith("kitsu project 'Big Show': ")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.matches(
                            "kitsu project 'Big Show': read [\\d,]+ shots \\(total not known\\), [\\d.,]+ entities/s")),
                    "the shots list, counted, with a rate and no ETA: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains(": read 500 shots ")), "the whole list: " + lines);
            assertFalse(lines.stream().anyMatch(l -> l.contains("ETA")), "Kitsu gives no totals: " + lines);
        }
    }

    @Test
    void theDefaultIntervalKeepsAShortSyncToItsSummary() throws Exception {
        try (LogCapture log = new LogCapture(Progress.class)) {
            SyncRun run = slowSync("10");
            assertEquals(0, run.exitCode(), run.summary());
            assertEquals(List.of(), log.messages(Level.INFO));
        }
    }
}
