package io.avalonsync.shotgrid;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.avalonsync.AvalonSyncAccess;
import io.avalonsync.ShotGridHarness;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sync-once shotgrid}: exit codes, and a clear error for refused credentials. */
class ShotGridCommandsTest {

    @Test
    void syncOnceShotGridExitsZeroAfterACleanSync() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            assertEquals(0, AvalonSyncAccess.syncOnce(h.settings(), List.of("shotgrid")));
            assertNotNull(h.project("demo_show"));
            // no source named: every configured one (only ShotGrid here)
            assertEquals(0, AvalonSyncAccess.syncOnce(h.settings(), List.of()));
        }
    }

    @Test
    void badCredentialsExitOneWithTheReasonAndNothingWritten() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of("shotgrid.api-key", "wrong-key"))) {
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true));
            int exit;
            try {
                exit = AvalonSyncAccess.syncOnce(h.settings(), List.of("shotgrid"));
            } finally {
                System.setOut(out);
            }
            assertEquals(1, exit);
            String summary = captured.toString();
            assertTrue(summary.contains("refused script 'avalon_sync'"), summary);
            assertNull(h.project("demo_show"));
        }
    }

    @Test
    void anErrorEnvelopeIsReportedWithItsTitle() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            h.shotgrid.failNext(".*/entity/shots/_search.*", 400, 1);
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true));
            int exit;
            try {
                exit = AvalonSyncAccess.syncOnce(h.settings(), List.of("shotgrid"));
            } finally {
                System.setOut(out);
            }
            assertEquals(1, exit, "a project that failed fails the run");
            assertTrue(captured.toString().contains("ShotGrid answered HTTP 400"), captured.toString());
            assertNull(h.project("demo_show"), "nothing is written from a project read in part");
        }
    }
}
