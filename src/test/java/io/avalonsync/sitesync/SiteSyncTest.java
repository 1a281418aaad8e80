package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.avalonsync.sandbox.DriveSimulator;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Site sync end to end: the real routes and beans against the embedded store and the Drive simulator. */
class SiteSyncTest {

    @TempDir
    Path dir;
    SiteSyncHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SiteSyncHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void uploadsPublishedFilesAndRecordsThem() throws Exception {
        List<ObjectId> ids = h.publish(4822L, 700_000L, 0L);
        Instant before = Instant.now().minusSeconds(1);

        SiteSyncPass pass = h.run();

        assertEquals(3, pass.getSelected(), pass.toString());
        assertEquals(3, pass.getClaimed());
        assertEquals(3, pass.getUploaded());
        assertEquals(4822 + 700_000, pass.getBytes());
        assertTrue(pass.getFailed().isEmpty(), pass.toString());
        for (ObjectId id : ids) {
            Document remote = h.record(id, "gdrive");
            Date created = remote.getDate("created_dt");
            assertNotNull(created, "created_dt written");
            assertFalse(created.toInstant().isBefore(before), "created_dt is now (UTC instant)");
            DriveSimulator.Entry entry = h.drive.find(h.remotePath(id));
            assertNotNull(entry, "on Drive at " + h.remotePath(id));
            assertEquals(entry.id(), remote.getString("id"));
            assertEquals(Files.size(h.localFile(id)), entry.size());
            assertEquals(entry.md5(), remote.getString("md5"));
            assertEquals(Files.size(h.localFile(id)), remote.get("size", Number.class).longValue());
            for (String gone : List.of("error", "tries", "claimed_by", "claimed_until", "progress", "next_attempt_dt")) {
                assertFalse(remote.containsKey(gone), gone + " unset");
            }
        }
        // done files are not selected again
        SiteSyncPass again = h.run();
        assertEquals(0, again.getSelected(), again.toString());
        assertEquals(3, h.liveFiles().size());
    }
}
