package io.avalonsync.sync;

import java.time.Duration;
import java.util.List;

import io.avalonsync.socketio.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress reporter on a clock the test moves: no sleeping, nothing timed. */
class ProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private final long[] now = {1_000 * SECOND};
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = new LogCapture(ProgressTest.class);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private Progress progress(String subject) {
        return new Progress(subject, LoggerFactory.getLogger(ProgressTest.class), Duration.ofSeconds(10), () -> now[0]);
    }

    private void tick(double seconds) {
        now[0] += Math.round(seconds * SECOND);
    }

    private List<String> lines() {
        return log.messages(Level.INFO);
    }

    @Test
    void workShorterThanTheIntervalWritesNoLine() {
        Progress p = progress("kitsu project 'Small'").phase("read", "shots", Progress.UNKNOWN, "entities");
        for (int i = 0; i < 90; i++) {
            tick(0.1);
            p.advance(10);
        }
        p.phase("written", "documents", 900, "documents");
        tick(0.5);
        p.advance(900);
        assertEquals(List.of(), lines());
    }

    @Test
    void atMostOneLineEveryInterval() {
        Progress p = progress("kitsu project 'Big'").phase("read", "shots", Progress.UNKNOWN, "entities");
        for (int i = 0; i < 350; i++) { // 35 s of records, one every 0.1 s
            tick(0.1);
            p.advance(100);
        }
        assertEquals(3, lines().size(), "lines at 10, 20 and 30 s: " + lines());
        assertEquals("kitsu project 'Big': read 10,000 shots (total not known), 1,000 entities/s", lines().get(0));
        assertEquals("kitsu project 'Big': read 30,000 shots (total not known), 1,000 entities/s", lines().get(2));
    }

    @Test
    void rateAndEtaWhenTheTotalIsKnown() {
        Progress p = progress("shotgrid project 'demo_show'").phase("read", "Shot rows", 12_000, "entities");
        tick(10);
        p.advance(6_000);
        assertEquals(List.of("shotgrid project 'demo_show': read 6,000/12,000 Shot rows, 600 entities/s, ETA 10 s"), lines());
        assertEquals("shotgrid project 'demo_show': read 6,000/12,000 Shot rows, 600 entities/s, ETA 10 s", p.line());
    }

    @Test
    void unknownTotalGivesNoEta() {
        Progress p = progress("kitsu project 'X'").phase("read", "tasks", Progress.UNKNOWN, "entities");
        tick(12);
        p.advance(3);
        assertEquals(List.of("kitsu project 'X': read 3 tasks (total not known), 0.3 entities/s"), lines());
    }

    @Test
    void rateCoversEveryListOfTheStageAndTheWaitsBetween() {
        Progress p = progress("kitsu project 'Agent 327'").phase("read", "assets", Progress.UNKNOWN, "entities");
        tick(4);
        p.advance(2_000);
        tick(4); // waiting for the next answer
        p.phase("read", "shots", Progress.UNKNOWN, "entities");
        tick(4);
        p.advance(10_000);
        assertEquals(List.of(), lines(), "the shots list has not run for an interval yet");
        tick(8);
        p.advance(2_000);
        // 14,000 entities in 20 s
        assertEquals(List.of("kitsu project 'Agent 327': read 12,000 shots (total not known), 700 entities/s"), lines());
    }

    @Test
    void aPhaseEndingWithALineOwedIsReportedWhenTheNextOneStarts() {
        Progress p = progress("kitsu project 'P'").phase("read", "assets", Progress.UNKNOWN, "entities");
        tick(1);
        p.advance(500);
        tick(11); // the server is slow with the next list
        p.phase("read", "shots", Progress.UNKNOWN, "entities");
        assertEquals(List.of("kitsu project 'P': read 500 assets (total not known), 500 entities/s"), lines(),
                "the finished list's figures, at its own rate");
        tick(1);
        p.advance(10);
        assertEquals(1, lines().size(), "the interval starts again after a line");
    }

    @Test
    void aPhaseAlreadyReportedIsNotRepeatedWhenTheNextOneStarts() {
        Progress p = progress("shotgrid project 'P'").phase("read", "Task rows", Progress.UNKNOWN, "entities");
        tick(11);
        p.advance(500);
        tick(11);
        p.phase("written", "documents", 10, "documents");
        assertEquals(List.of("shotgrid project 'P': read 500 Task rows (total not known), 45 entities/s"), lines());
    }

    @Test
    void theFirstStageCountsTheWaitForTheFirstAnswer() {
        Progress p = progress("kitsu project 'P'");
        tick(9);
        p.phase("read", "task types", Progress.UNKNOWN, "entities");
        tick(1);
        p.advance(10);
        p.phase("read", "assets", Progress.UNKNOWN, "entities");
        assertEquals(List.of("kitsu project 'P': read 10 task types (total not known), 1.0 entities/s"), lines());
    }

    @Test
    void aNewStageHasItsOwnRate() {
        Progress p = progress("kitsu project 'P'").phase("read", "tasks", Progress.UNKNOWN, "entities");
        tick(2);
        p.advance(70_000);
        p.phase("written", "documents", 12_000, "documents");
        tick(12);
        p.advance(12_000);
        assertEquals(List.of("kitsu project 'P': written 12,000/12,000 documents, 1,000 documents/s"), lines(),
                "done: no ETA");
    }

    @Test
    void bytesSentWithRateAndEta() {
        Progress p = progress("site sync: uploading /mnt/a.exr").bytes("sent", 4L << 30);
        long chunk = 8L << 20;
        long sent = 0;
        for (int i = 0; i < 128; i++) { // 8 MiB every 0.1 s: 80 MiB/s
            tick(0.1);
            sent += chunk;
            p.moveTo(sent);
        }
        assertEquals(1, lines().size(), lines().toString());
        assertEquals("site sync: uploading /mnt/a.exr: sent 800.0 MiB/4.00 GiB, 80.0 MiB/s, ETA 41 s", lines().get(0));
        p.moveTo(sent); // the same figure again: nothing more done
        tick(40);
        p.moveTo(sent);
        assertEquals("site sync: uploading /mnt/a.exr: sent 1.00 GiB/4.00 GiB, 19.4 MiB/s, ETA 2 min 38 s", lines().get(1));
    }

    @Test
    void passCountsFilesWithBytesAndGrowsItsTotal() {
        Progress p = progress("site sync pass").phase("done", "files", 0, "files");
        p.expect(50);
        p.expect(50);
        for (int i = 0; i < 25; i++) {
            tick(0.5);
            p.advance(1, 4L << 20);
        }
        // 25 files, 100 MiB in 12.5 s: 2 files/s, 75 files left
        assertEquals(List.of("site sync pass: done 20/100 files, 80.0 MiB, 8.0 MiB/s, ETA 40 s"), lines());
        assertEquals("site sync pass: done 25/100 files, 100.0 MiB, 8.0 MiB/s, ETA 38 s", p.line());
    }

    @Test
    void formats() {
        assertEquals("512 B", Progress.bytesText(512));
        assertEquals("1.5 KiB", Progress.bytesText(1536));
        assertEquals("12.3 MiB", Progress.bytesText(Math.round(12.3 * (1 << 20))));
        assertEquals("4.00 GiB", Progress.bytesText(4L << 30));
        assertEquals("12.0 GiB", Progress.bytesText(12L << 30));
        assertEquals("5 s", Progress.duration(5));
        assertEquals("4 min 10 s", Progress.duration(250));
        assertEquals("2 min", Progress.duration(120));
        assertEquals("2 h 5 min", Progress.duration(7_500));
        assertEquals("1 h", Progress.duration(3_600));
    }

    @Test
    void zeroIntervalTurnsLinesOffAndAMissingReporterIgnoresEverything() {
        Duration before = Progress.interval();
        try {
            Progress.interval(Duration.ZERO);
            Progress off = Progress.start("kitsu project 'P'");
            assertSame(off, Progress.start("another"), "the shared reporter that writes nothing");
            off.phase("read", "shots", 10, "entities").advance(5);
            off.moveTo(7);
            off.expect(3);
            assertEquals(List.of(), lines());
        } finally {
            Progress.interval(before);
        }
        assertTrue(Progress.start("P") != Progress.start("P"), "with an interval, each piece of work has its own");
    }
}
