package io.avalonsync.sitesync;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.avalonsync.ServiceProcess;
import io.avalonsync.sandbox.DriveSimulator;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published file with an accent in its name, and the daemon (a child JVM) started under a locale whose
 * file-name encoding is ASCII (LANG=C, as many systemd units and slim images have) or UTF-8.
 */
class SiteSyncLocaleTest {

    private static final String NAME = "For\u00eat_Noire_v001.ma";

    @Test
    void underLangCTheDaemonRefusesToStartSiteSyncAndNamesTheFix(@TempDir Path dir) throws Exception {
        try (SiteSyncHarness h = new SiteSyncHarness(dir)) {
            ObjectId id = publishAccented(h);
            Map<String, String> langC = new HashMap<>();
            langC.put("LANG", "C");
            langC.put("LC_ALL", null);
            langC.put("LC_CTYPE", null);
            try (ServiceProcess service = start(h, langC, dir.resolve("run.log"))) {
                assertTrue(service.process().waitFor(120, TimeUnit.SECONDS),
                        "the daemon should refuse to start; it runs: " + service.logLines("site sync", 30));
                assertEquals(1, service.process().exitValue(), service.log());
                String log = service.log();
                assertTrue(log.contains("file-name encoding is ANSI_X3.4-1968, not UTF-8")
                           && log.contains("LANG=C.UTF-8"), log);
            }
            Document remote = h.record(id, "gdrive");
            assertNull(remote.get("tries"), "no attempt made: " + remote.toJson());
            assertTrue(h.liveFiles().isEmpty());

            // validate says the same as a warning (it may run elsewhere than the daemon)
            try (ServiceProcess validate = start(h, langC, dir.resolve("validate.log"), "validate")) {
                assertTrue(validate.process().waitFor(120, TimeUnit.SECONDS));
                assertTrue(validate.log().contains("warning: site sync: the JVM's file-name encoding is ANSI_X3.4-1968"),
                        validate.log());
            }
        }
    }

    @Test
    void underAUtf8LocaleTheAccentedFileIsUploadedUnderItsName(@TempDir Path dir) throws Exception {
        try (SiteSyncHarness h = new SiteSyncHarness(dir)) {
            ObjectId id = publishAccented(h);
            Map<String, String> utf8 = new HashMap<>();
            utf8.put("LANG", "C.UTF-8");
            utf8.put("LC_ALL", "C.UTF-8");
            try (ServiceProcess service = start(h, utf8, dir.resolve("run.log"))) {
                await("the accented file uploaded", 120_000, () -> {
                    Document remote = h.record(id, "gdrive");
                    return remote != null && (remote.get("created_dt") != null || remote.get("error") != null);
                });
                Document remote = h.record(id, "gdrive");
                assertNull(remote.get("error"), remote.toJson());
                List<DriveSimulator.Entry> files = h.liveFiles();
                assertEquals(1, files.size());
                assertEquals(NAME, files.get(0).name());
                assertEquals(DriveRemote.md5(h.localFile(id)), files.get(0).md5());
                assertEquals(0, service.terminate(60));
            }
        }
    }

    /** One published file, renamed to a name with an accent (the test JVM must be able to write it). */
    private static ObjectId publishAccented(SiteSyncHarness h) throws Exception {
        assumeTrue(FileNameEncoding.problem() == null, "the test JVM itself needs a UTF-8 locale to write " + NAME);
        ObjectId id = h.publish(100_000L).get(0);
        Path original = h.localFile(id);
        String path = h.file(id).getString("path");
        String renamed = path.substring(0, path.lastIndexOf('/') + 1) + NAME;
        h.collection().updateOne(Filters.eq("_id", id), Updates.set("files.0.path", renamed));
        Files.move(original, h.localFile(id));
        return id;
    }

    private static ServiceProcess start(SiteSyncHarness h, Map<String, String> environment, Path log,
                                        String... command) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(h.settings);
        settings.put("sitesync.loop-delay", "1");
        settings.put("status.port", "0");
        return ServiceProcess.start(settings, environment, log, command);
    }
}
