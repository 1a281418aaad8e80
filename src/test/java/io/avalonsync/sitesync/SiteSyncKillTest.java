package io.avalonsync.sitesync;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.avalonsync.sandbox.DriveSimulator;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service runs as its own process (the daemon command, site sync on) and is killed with SIGKILL in the middle
 * of a slow upload. After a restart the file is uploaded at once (the dead run's claim is given back), exactly once.
 */
class SiteSyncKillTest {

    @Test
    void killedMidUploadResumesAfterRestartWithoutDuplicate(@TempDir Path dir) throws Exception {
        try (SiteSyncHarness h = new SiteSyncHarness(dir)) {
            ObjectId id = h.publish(3_000_000L).get(0);
            h.drive.setUploadBytesPerSecond(600_000);

            Process service = start(h, dir.resolve("run1.log"));
            try {
                await("the upload under way with progress written", 30_000, () -> {
                    Document remote = h.record(id, "gdrive");
                    return remote != null && remote.get("claimed_by") != null && remote.get("progress") != null;
                });
                service.destroyForcibly().waitFor();
            } finally {
                service.destroyForcibly().waitFor();
            }
            Document left = h.record(id, "gdrive");
            assertTrue(left.getString("claimed_by").startsWith("local_0@"), left.toJson());
            assertTrue(left.get("created_dt") == null, "not done when killed");
            assertTrue(h.liveFiles().isEmpty(), "nothing complete on Drive yet");

            h.drive.setUploadBytesPerSecond(0);
            Process restarted = start(h, dir.resolve("run2.log"));
            try {
                // the claim's lease is hours: only giving back the dead run's claim makes this quick
                await("the file uploaded after the restart", 30_000, () -> h.record(id, "gdrive").get("created_dt") != null);
            } catch (AssertionError e) {
                System.out.println("RECORD " + h.file(id).toJson());
                System.out.println("RUN2 " + Files.readString(dir.resolve("run2.log")).lines()
                        .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("site sync")).limit(30).toList());
                throw e;
            } finally {
                restarted.destroyForcibly().waitFor();
            }
            List<DriveSimulator.Entry> copies = h.drive.findAll(h.remotePath(id));
            assertEquals(1, copies.size(), "one file on Drive");
            assertEquals(1, h.liveFiles().size());
            Document remote = h.record(id, "gdrive");
            assertEquals(copies.get(0).id(), remote.getString("id"));
            assertEquals(3_000_000, copies.get(0).size());
            assertEquals(SiteSyncSteps.md5(h.localFile(id)), copies.get(0).md5());
            assertTrue(remote.get("claimed_by") == null && remote.get("tries") == null, remote.toJson());
            String log = Files.readString(dir.resolve("run2.log"));
            assertTrue(log.contains("released 1 claim(s) of Test"), "restart gave the claim back");
            assertNotNull(remote.getDate("created_dt"));
        }
    }

    private static Process start(SiteSyncHarness h, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        h.settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dsitesync.loop-delay=1");
        command.add("-Dstatus.port=0");
        command.add("io.avalonsync.AvalonSync");
        return new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
