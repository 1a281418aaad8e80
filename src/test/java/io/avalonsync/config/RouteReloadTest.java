package io.avalonsync.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon reloads an edited route file, and keeps its routes when the edit is broken. */
class RouteReloadTest {

    private static final String PROBE = """

            - route:
                id: reload-probe
                from:
                  uri: timer:reload-probe
                  parameters:
                    period: 60000
                  steps:
                    - log: "reload probe"
            """;

    @Test
    void anEditedRouteFileIsReloadedAndABrokenEditIsRejectedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Settings settings = Settings.load(dir);
            settings.override("avalon.mongo-uri", mongo.uri());
            settings.override("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
            try (ServerSocket socket = new ServerSocket(0)) {
                settings.override("status.port", Integer.toString(socket.getLocalPort()));
            }
            try (AvalonSyncApp app = AvalonSyncApp.create(settings, true).start()) {
                Path journal = routes.resolve("journal.camel.yaml");
                String original = Files.readString(journal);
                Files.writeString(journal, PROBE, StandardOpenOption.APPEND);
                // the count moves after the new routes started: wait for both, or the count below is one short
                await("the new route to run", 20_000, () -> app.context().getRoute("reload-probe") != null
                        && app.context().getRouteController().getRouteStatus("reload-probe") == ServiceStatus.Started
                        && app.routeReload().reloads() > 0);

                // a bean that does not exist: rejected, with the line, and nothing stops
                int accepted = app.routeReload().reloads();
                Files.writeString(journal, original.replace("ref: eventJournal", "ref: eventJournall") + PROBE);
                await("the broken edit rejected", 20_000, () -> !app.routeReload().lastRejection().isEmpty());
                String rejection = String.join("\n", app.routeReload().lastRejection());
                assertTrue(rejection.contains("routes/journal.camel.yaml:"), rejection);
                assertTrue(rejection.contains("eventJournall"), rejection);
                assertEquals(accepted, app.routeReload().reloads(), "nothing reloaded");
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("journal-prune"));
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("reload-probe"));

                // a retry policy edited in the shared error handling: accepted, every route still running
                Files.writeString(journal, original + PROBE);
                await("the repaired file reloaded", 20_000, () -> app.routeReload().lastRejection().isEmpty()
                        && app.routeReload().reloads() > accepted);
                java.util.Map<String, ServiceStatus> before = new java.util.TreeMap<>();
                app.context().getRoutes().forEach(r -> before.put(r.getRouteId(),
                        app.context().getRouteController().getRouteStatus(r.getRouteId())));
                Path errors = routes.resolve("errors.camel.yaml");
                String policies = Files.readString(errors);
                assertTrue(policies.contains("maximumRedeliveries: 2"), "the events' transient policy");
                Files.writeString(errors, policies.replace("maximumRedeliveries: 2", "maximumRedeliveries: 4"));
                await("the error handling reloaded", 20_000, () -> app.routeReload().lastReloaded().stream()
                        .anyMatch(location -> location.endsWith("errors.camel.yaml")));
                assertTrue(app.routeReload().lastRejection().isEmpty());
                java.util.Map<String, ServiceStatus> after = new java.util.TreeMap<>();
                app.context().getRoutes().forEach(r -> after.put(r.getRouteId(),
                        app.context().getRouteController().getRouteStatus(r.getRouteId())));
                assertEquals(before, after, "the same routes, each as it was");
                assertTrue(after.containsValue(ServiceStatus.Started));
                Files.writeString(journal, original.replace("ref: eventJournal", "ref: eventJournall") + PROBE);
                await("the broken edit rejected again", 20_000, () -> !app.routeReload().lastRejection().isEmpty());

                // validate reports the same problem before deploying
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertEquals(1, ConfigValidator.run(dir, settings, new PrintStream(out, true, StandardCharsets.UTF_8)));
                String report = out.toString(StandardCharsets.UTF_8);
                for (String problem : app.routeReload().lastRejection()) {
                    assertTrue(report.contains(problem), report);
                }
            }
        }
    }

    /** A copy of the repository's route files in {@code dir}/routes, for a daemon whose files a test edits. */
    static Path copyOfRoutes(Path dir) throws java.io.IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }
}
