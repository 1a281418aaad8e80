package io.avalonsync.config;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One configuration: every placeholder of the route files is a key an operator finds in application.properties, and
 * the keys that are Camel Main's own (route reload, shutdown timeout) do what Camel's documentation says they do.
 */
class TypedSettingsTest {

    /** {{...}} in a route file: the key, optionally with Camel's ? (optional) prefix, a function or a :default. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    /** Camel's own property functions, resolved by Camel from the environment or the JVM, not from the file. */
    private static final Set<String> CAMEL_FUNCTIONS = Set.of("env", "sys", "service", "service.host", "service.port");

    @Test
    void everyPlaceholderOfTheRoutesIsAKeyOfApplicationProperties() throws Exception {
        Set<String> defined = new TreeSet<>();
        for (PropertiesFile.Entry entry : PropertiesFile.read(Path.of("application.properties"))) {
            defined.add(entry.key());
        }
        List<String> undefined = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                // read as validate reads it: inside a route template, {{name}} of one of its parameters is the template's
                RouteYaml yaml = RouteYaml.parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
                for (RouteYaml.Located value : yaml.placeholders) {
                    Matcher placeholder = PLACEHOLDER.matcher(value.value());
                    while (placeholder.find()) {
                        String key = keyOf(placeholder.group(1));
                        if (key != null && !defined.contains(key)) {
                            undefined.add("routes/" + file.getFileName() + ":" + value.line() + ": {{" + placeholder.group(1) + "}}");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), undefined, "placeholders whose key application.properties does not hold");
    }

    /**
     * validate knows the keys from the typed settings of each area; application.properties documents each of them
     * (set, or shown commented out for a family such as sitesync.roots.work) and holds no key of the service's
     * namespaces that the code does not read.
     */
    @Test
    void theCodesKeysAndApplicationPropertiesAgree() throws Exception {
        String text = Files.readString(Path.of("application.properties"));
        List<String> undocumented = new ArrayList<>();
        for (Key key : Keys.ALL) {
            // a family is shown by an example, commented out (# sitesync.roots.work = ..., #kitsu.fields.shot.difficulty = ...)
            String written = key.kind() == Key.Kind.FAMILY ? Pattern.quote(key.name()) + "[\\w.]+" : Pattern.quote(key.name());
            if (!Pattern.compile("(?m)^(# ?)?" + written + " =").matcher(text).find()) {
                undocumented.add(key.name());
            }
        }
        assertEquals(List.of(), undocumented, "keys the code reads that application.properties does not show");
        List<String> unknown = new ArrayList<>();
        for (PropertiesFile.Entry entry : PropertiesFile.read(Path.of("application.properties"))) {
            if (Keys.namespaces().stream().anyMatch(entry.key()::startsWith) && Keys.find(entry.key()) == null) {
                unknown.add(entry.key());
            }
        }
        assertEquals(List.of(), unknown, "keys of application.properties that no typed settings class declares");
        assertEquals(Set.of("avalon.", "gdrive.", "kitsu.", "shotgrid.", "sitesync.", "status.", "sync."), Keys.namespaces());
    }

    /** A value may hold Camel's placeholders, e.g. a secret kept in the environment; the beans get it resolved. */
    @Test
    void aValueMayReadTheEnvironmentAsCamelDoes() {
        java.util.Properties file = new java.util.Properties();
        file.setProperty("shotgrid.api-key", "{{env:SG_API_KEY}}");
        file.setProperty("kitsu.url", "{{env:KITSU_HOST:https://kitsu.studio}}");
        Settings settings = new Settings(Path.of("application.properties"), file,
                java.util.Map.of("SG_API_KEY", "k3y"), new java.util.Properties());
        assertEquals("k3y", settings.shotgrid().apiKey());
        assertEquals("https://kitsu.studio/api", settings.kitsu().api());
        assertEquals("k3y", settings.camelProperties().get("shotgrid.api-key"));
    }

    /**
     * Camel lets the environment variable of a key's name (capitals, dots and dashes as _) override the file, and
     * docker/compose.yaml sets status.user that way (STATUS_USER): the beans must see what the routes see, or the
     * status server would run without the basic auth the operator set.
     */
    @Test
    void aKeysOwnEnvironmentVariableReachesTheBeansAsCamelReadsIt() {
        java.util.Properties file = new java.util.Properties();
        file.setProperty("status.user", "");
        file.setProperty("kitsu.timeout", "60000");
        java.util.Properties system = new java.util.Properties();
        Settings settings = new Settings(Path.of("application.properties"), file,
                java.util.Map.of("STATUS_USER", "prometheus", "STATUS_PASSWORD", "pw ", "KITSU_TIMEOUT", "5000",
                        "GAZU_URL", "https://kitsu.studio"), system);
        assertEquals("prometheus", settings.status().user());
        assertEquals("pw ", settings.status().password(), "as written");
        assertEquals(5000, settings.kitsu().timeoutMillis(), "over the file, as Camel's environment override does");
        assertEquals("prometheus", settings.camelProperties().get("status.user"));
        assertEquals("STATUS_USER", settings.environmentVariable("status.user"));
        assertEquals("GAZU_URL", settings.environmentVariable("kitsu.url"), "the original tool's variable");
        system.setProperty("kitsu.timeout", "7000");
        assertEquals(7000, settings.kitsu().timeoutMillis(), "-D first");
    }

    /**
     * The key a placeholder reads from application.properties, or null for a form Camel resolves elsewhere
     * ({@code env:NAME}, {@code sys:NAME}). {@code ?key} and {@code key:default} still name a key of the file; the
     * service's own function {@code ms:key} (seconds in milliseconds) reads one too.
     */
    private static String keyOf(String expression) {
        String text = expression.startsWith("?") ? expression.substring(1) : expression;
        int colon = text.indexOf(':');
        if (colon < 0) {
            return text;
        }
        String prefix = text.substring(0, colon);
        if (CAMEL_FUNCTIONS.contains(prefix)) {
            return null;
        }
        return prefix.equals("ms") ? text.substring(colon + 1) : prefix;
    }

    /**
     * camel.main.routes-reload-enabled is the switch (application.properties sets it): the daemon watches the route
     * files with its validating reload only, never with Camel's own watcher beside it (which would reload unchecked).
     */
    @Test
    void routeReloadIsCamelsKeyAndOnlyTheValidatingWatcherRuns(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            try (AvalonSyncApp app = daemon(dir, mongo, "true").start()) {
                Set<RouteWatcherReloadStrategy> watchers = app.context().hasServices(RouteWatcherReloadStrategy.class);
                assertEquals(1, watchers.size(), watchers.toString());
                assertTrue(watchers.iterator().next() instanceof ValidatingRouteReload, watchers.toString());
                assertNotNull(app.routeReload());
            }
            try (AvalonSyncApp app = daemon(dir, mongo, "false").start()) {
                assertEquals(Set.of(), app.context().hasServices(RouteWatcherReloadStrategy.class));
                assertNull(app.routeReload());
            }
        }
    }

    /** camel.main.shutdown-timeout from the file reaches Camel; without it, the shipped 30 s (not Camel's 45 s). */
    @Test
    void shutdownTimeoutIsCamelsKey(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            try (AvalonSyncApp app = daemon(dir, mongo, "false").start()) {
                assertEquals(30, app.context().getShutdownStrategy().getTimeout());
            }
            Files.writeString(dir.resolve("application.properties"), "camel.main.shutdown-timeout = 12\n",
                    java.nio.file.StandardOpenOption.APPEND);
            try (AvalonSyncApp app = daemon(dir, mongo, "false").start()) {
                assertEquals(12, app.context().getShutdownStrategy().getTimeout());
            }
        }
    }

    /**
     * Without kitsu.url the daemon leaves Kitsu's leader routes (schedule, start-up sync, listener, journal) out, and
     * the routes it keeps need no made-up address to be built.
     */
    @Test
    void aTrackerWithoutUrlRunsNothingOnItsOwn(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); AvalonSyncApp app = daemon(dir, mongo, "false").start()) {
            List<String> leaderRoutes = app.context().getRoutes().stream()
                    .filter(route -> route.getEndpoint().getEndpointUri().matches("master:(//)?(kitsu|shotgrid):.*"))
                    .map(route -> route.getRouteId()).toList();
            assertEquals(List.of(), leaderRoutes);
            assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("kitsu-full-sync"));
            assertEquals(ServiceStatus.Stopped, app.context().getRouteController().getRouteStatus("sitesync-loop"),
                    "sitesync.enabled = false");
        }
    }

    /** The daemon on a copy of the shipped files, with camel.main.routes-reload-enabled as given. */
    private static AvalonSyncApp daemon(Path dir, EmbeddedMongo mongo, String reload) throws Exception {
        if (!Files.exists(dir.resolve("routes"))) {
            RouteReloadTest.copyOfRoutes(dir);
            String shipped = Files.readString(Path.of("application.properties"));
            Files.writeString(dir.resolve("application.properties"), shipped.replaceAll(
                    "(?m)^(camel\\.main\\.routes-reload-enabled|sync\\.routes-reload|camel\\.main\\.shutdown-timeout"
                            + "|sync\\.shutdown-timeout) =.*$", "# $0"));
        }
        Settings settings = Settings.load(dir);
        settings.override("avalon.mongo-uri", mongo.uri());
        settings.override("camel.main.routes-include-pattern", "file:" + dir.resolve("routes") + "/*.yaml");
        settings.override("camel.main.routes-reload-enabled", reload);
        try (ServerSocket socket = new ServerSocket(0)) {
            settings.override("status.port", Integer.toString(socket.getLocalPort()));
        }
        return AvalonSyncApp.create(settings, true);
    }
}
