package io.avalonsync;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync-once} against a tracker that does not answer at login (nothing listens on its port, or it answers 503),
 * each run as its own process as an operator's cron job runs it: the run gives up after the configured retries, exits
 * 1 and says which tracker at which URL failed, without the password.
 */
class TrackerDownCommandsTest {

    private static final String PASSWORD = "s3cret-Passw0rd";
    private static final int RETRIES = 2;
    /** Far above what 2 retries of 50 ms and a JVM start take on a loaded machine; the fault ran forever. */
    private static final long BOUND_SECONDS = 90;
    private static final Pattern ATTEMPT = Pattern.compile("On delivery attempt: (\\d+)");

    /** A loopback port where nothing listens: bound, then released. */
    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code sync-once} as its own process; fails naming the log when it did not end in time. */
    private static String syncOnce(Path dir, Map<String, String> settings, String source) throws Exception {
        try (ServiceProcess run = ServiceProcess.start(settings, dir.resolve("sync-once.log"), "sync-once", source)) {
            boolean ended = run.process().waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
            assertTrue(ended, "sync-once " + source + " still running after " + BOUND_SECONDS + " s; its log: "
                    + run.logLines("attempt", 30));
            assertEquals(1, run.process().exitValue(), run.log());
            return run.log();
        }
    }

    /** The redelivery attempts Camel logged, in order: 0 (the first delivery), then one per retry. */
    private static List<Integer> attempts(String log) {
        return log.lines().filter(l -> l.contains("Failed delivery")).map(l -> {
            Matcher m = ATTEMPT.matcher(l);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }).toList();
    }

    private static void assertRetriedThenGaveUp(String log) {
        assertEquals(List.of(0, 1, 2), attempts(log), "one delivery and exactly " + RETRIES + " retries; log:\n" + log);
        assertFalse(log.contains(PASSWORD), "the password is never printed");
    }

    @Test
    void kitsuOnADeadPortFailsAfterTheRetriesNamingKitsuAndItsUrl(@TempDir Path dir) throws Exception {
        String url = "http://127.0.0.1:" + deadPort();
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            String log = syncOnce(dir, Map.of("avalon.mongo-uri", mongo.uri(), "kitsu.url", url,
                    "kitsu.user", KitsuSimulator.EMAIL, "kitsu.password", PASSWORD,
                    "kitsu.retries", Integer.toString(RETRIES), "kitsu.retry-delay", "50"), "kitsu");
            assertRetriedThenGaveUp(log);
            assertTrue(log.lines().anyMatch(l -> l.contains("Kitsu") && l.contains(url + "/api")
                    && l.contains("cannot be reached")), "one line names Kitsu and its URL:\n" + log);
        }
    }

    @Test
    void kitsuAnswering503AtLoginFailsAfterTheRetries(@TempDir Path dir) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data)) {
            kitsu.failNext(".*/auth/login", 503, 100);
            String log = syncOnce(dir, Map.of("avalon.mongo-uri", mongo.uri(), "kitsu.url", kitsu.baseUrl(),
                    "kitsu.user", KitsuSimulator.EMAIL, "kitsu.password", PASSWORD,
                    "kitsu.retries", Integer.toString(RETRIES), "kitsu.retry-delay", "50"), "kitsu");
            assertRetriedThenGaveUp(log);
            assertEquals(Long.valueOf(RETRIES + 1), kitsu.requestCountsByRoute().get("POST /api/auth/login"),
                    "one login and " + RETRIES + " retries: " + kitsu.requestCountsByRoute());
            assertTrue(log.lines().anyMatch(l -> l.contains("Kitsu login") && l.contains(kitsu.apiUrl())
                    && l.contains("HTTP 503")), "one line names Kitsu, its URL and the answer:\n" + log);
        }
    }

    @Test
    void shotgridOnADeadPortFailsAfterTheRetriesNamingShotGridAndItsUrl(@TempDir Path dir) throws Exception {
        String url = "http://127.0.0.1:" + deadPort();
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            String log = syncOnce(dir, Map.of("avalon.mongo-uri", mongo.uri(), "shotgrid.url", url,
                    "shotgrid.script-name", "avalon_sync", "shotgrid.api-key", PASSWORD,
                    "shotgrid.retries", Integer.toString(RETRIES), "shotgrid.retry-delay", "50"), "shotgrid");
            assertRetriedThenGaveUp(log);
            assertTrue(log.lines().anyMatch(l -> l.contains("shotgrid full sync failed") && l.contains(url)),
                    "one line names ShotGrid and its URL:\n" + log);
        }
    }
}
