package io.avalonsync;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.avalonsync.config.Settings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line contract: sync-once exit codes, start-up checks, env fallbacks. */
class CommandsTest {

    @Test
    void syncOnceExitsZeroAfterACleanSync() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            assertEquals(0, AvalonSync.syncOnce(h.settings(), List.of("kitsu")));
            assertNotNull(h.project("Agent_327"));
        }
    }

    /**
     * A cron job's sync-once on the host of a running daemon: the daemon holds the status port, and the one-shot
     * command serves nothing, so it must neither need the port nor start the schedules and HTTP endpoints.
     */
    @Test
    void syncOnceNeedsNoStatusPortAndStartsNoScheduleOrEndpoint() throws Exception {
        try (SyncHarness h = SyncHarness.demo(); java.net.ServerSocket daemonsPort = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            io.avalonsync.config.Settings settings = h.settings();
            settings.override("status.port", Integer.toString(daemonsPort.getLocalPort()));
            assertEquals(0, AvalonSync.syncOnce(settings, List.of("kitsu")));
            assertNotNull(h.project("Agent_327"));
            try (AvalonSyncApp app = AvalonSyncApp.oneShot(settings).start()) {
                List<String> from = app.context().getRoutes().stream().map(r -> r.getEndpoint().getEndpointUri()).toList();
                assertTrue(from.stream().noneMatch(uri -> uri.startsWith("jetty:") || uri.startsWith("quartz:")
                        || uri.startsWith("master:") || uri.startsWith("timer:") || uri.startsWith("socketio:")), from.toString());
                assertTrue(from.contains("direct://kitsu-full-sync"), from.toString());
                assertNull(app.context().hasComponent("quartz"));
            }
        }
    }

    @Test
    void syncOnceExitsOneWhenKitsuRefusesTheLogin() throws Exception {
        try (SyncHarness h = SyncHarness.demo(Map.of("kitsu.password", "wrong"))) {
            assertEquals(1, AvalonSync.syncOnce(h.settings(), List.of()));
        }
    }

    @Test
    void syncOnceExitsTwoWhenSomeEntitiesWereRejected() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            String project = (String) h.kitsu.data().projects().get(0).get("id");
            String shot = (String) h.kitsu.data().entities(project, "Shot").get(0).get("id");
            h.kitsu.data().update(shot, Map.of("name", "???"));
            assertEquals(2, AvalonSync.syncOnce(h.settings(), List.of("kitsu")));
        }
    }

    @Test
    void syncOnceRefusesUnknownOrUnconfiguredSources() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            assertEquals(1, AvalonSync.syncOnce(h.settings(), List.of("ftrack")));
            assertEquals(1, AvalonSync.syncOnce(h.settings(), List.of("shotgrid")));
        }
    }

    @Test
    void missingMongoUriIsAClearStartupError() {
        Settings settings = new Settings(Path.of("application.properties"), new Properties(), Map.of(), new Properties());
        String problem = AvalonSync.startupProblem(settings);
        assertTrue(problem.contains("avalon.mongo-uri is not set (nor AVALON_MONGO)"), problem);
    }

    @Test
    void stateDatabaseMustDifferFromAvalonDatabase() {
        Properties file = new Properties();
        file.setProperty("avalon.mongo-uri", "mongodb://localhost");
        file.setProperty("sync.state-db", "avalon");
        Settings settings = new Settings(Path.of("application.properties"), file, Map.of(), new Properties());
        assertTrue(AvalonSync.startupProblem(settings).contains("sync.state-db must differ from avalon.db"));
    }

    @Test
    void environmentOfTheOriginalToolIsAFallback() {
        Properties file = new Properties();
        file.setProperty("avalon.mongo-uri", "");
        file.setProperty("avalon.db", "studio_avalon");
        file.setProperty("kitsu.url", "");
        Properties system = new Properties();
        system.setProperty("kitsu.user", "from-system@studio");
        Map<String, String> env = Map.of("AVALON_MONGO", "mongodb://env-host:27017", "AVALON_DB", "env_db",
                "GAZU_URL", "https://kitsu.studio/", "GAZU_USER", "env@studio", "GAZU_PASSWD", "secret");
        Settings settings = new Settings(Path.of("application.properties"), file, env, system);
        assertEquals("mongodb://env-host:27017", settings.get("avalon.mongo-uri"), "empty key falls back to env");
        // AVALON_DB is also avalon.db's own environment variable as Camel names it: it overrides the file, in the
        // routes and in the beans alike (README "Configuration")
        assertEquals("env_db", settings.get("avalon.db"), "the key's own environment variable wins over the file");
        assertEquals("from-system@studio", settings.get("kitsu.user"), "-D wins over everything");
        assertNull(AvalonSync.startupProblem(settings));
        // the routes resolve the same values: env fallbacks and what is derived from them
        Map<String, String> camel = settings.camelProperties();
        assertEquals("https://kitsu.studio/api", camel.get("kitsu.api"), "/api appended when missing");
        assertEquals("https://kitsu.studio", camel.get("kitsu.events-url"));
        assertEquals("secret", camel.get("kitsu.password"));
        assertEquals("mongodb://env-host:27017", camel.get("avalon.mongo-uri"));
        assertEquals("env_db", camel.get("avalon.db"));
        assertTrue(settings.kitsu().enabled());
        Properties withUrl = new Properties();
        withUrl.setProperty("kitsu.url", "https://file.kitsu/");
        assertEquals("https://file.kitsu/", new Settings(Path.of("application.properties"), withUrl, env, new Properties())
                .get("kitsu.url"), "a value in the file wins over the original tool's variable (GAZU_URL)");
        assertEquals("quartz:*,jetty:*,master:*,timer:*,socketio:*,seda:sitesync-*,seda:*-events-catch-up",
                io.avalonsync.config.RunMode.ONE_SHOT.routeFilterExcludePattern(settings), "sync-once runs no schedule");
    }

    @Test
    void kitsuRoutesStayOffWithoutKitsuUrl() {
        Settings settings = new Settings(Path.of("application.properties"), new Properties(), Map.of(), new Properties());
        assertTrue(!settings.kitsu().enabled());
        assertEquals("master:kitsu:*,master:shotgrid:*", io.avalonsync.config.RunMode.DAEMON.routeFilterExcludePattern(settings));
        assertEquals("https://kitsu.studio/api", io.avalonsync.config.KitsuSettings.api("https://kitsu.studio/api/"));
    }

    /** camel.main.shutdown-timeout is Camel's: it reads the file; a file without it gets the shipped 30 s, not Camel's 45. */
    @Test
    void shutdownTimeoutIsCamelsKeyWithTheShippedDefault() {
        Properties file = new Properties();
        Settings defaults = new Settings(Path.of("application.properties"), file, Map.of(), new Properties());
        assertEquals("30", defaults.camelProperties().get("camel.main.shutdown-timeout"));
        file.setProperty("camel.main.shutdown-timeout", "12");
        assertNull(defaults.camelProperties().get("camel.main.shutdown-timeout"), "Camel's own key is left to Camel");
        assertEquals("12", defaults.get("camel.main.shutdown-timeout"));
    }
}
