package io.avalonsync.shotgrid;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.avalonsync.ShotGridHarness;
import io.avalonsync.socketio.LogCapture;
import io.avalonsync.sync.Progress;
import io.avalonsync.sync.SyncRun;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ShotGrid full sync slower than sync.progress-interval logs the rows each paged search has read. */
class ShotGridProgressTest {

    @Test
    void aSlowFullSyncLogsRowsReadPerTypeWithTheProjectName() throws Exception {
        Duration before = Progress.interval();
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of("sync.progress-interval", "0.2"));
             LogCapture log = new LogCapture(Progress.class)) {
            h.app();
            h.shotgrid.setLatencyMillis(300);
            SyncRun run = h.fullSync();
            assertFalse(run.failed(), run.summary());
            List<String> lines = log.messages(Level.INFO);
            assertTrue(lines.stream().allMatch(l -> l.startsWith("shotgrid project 'demo_show': ")), lines.toString());
            for (String type : List.of("Asset", "Shot", "Task")) {
                assertTrue(lines.stream().anyMatch(l -> l.matches("shotgrid project 'demo_show': read [\\d,]+ " + type
                        + " rows \\(total not known\\), [\\d.,]+ entities/s")), type + ": " + lines);
            }
        } finally {
            Progress.interval(before);
        }
    }
}
