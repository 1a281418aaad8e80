package io.avalonsync.karaf;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.socketio.LogCapture;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Karaf starter's route folder outside Karaf: a plain CamelContext gets the repository's routes and beans from a
 * home folder laid out like ${karaf.etc}/avalon-sync, reloads an edited file and rejects a broken one with file:line.
 */
class RouteFolderServiceTest {

    private static final String PROBE = """

            - route:
                id: karaf-probe
                from:
                  uri: timer:karaf-probe
                  parameters:
                    period: 60000
                  steps:
                    - log: "karaf probe"
            """;

    @Test
    void theRouteFolderRunsOnAPlainContextReloadsEditsAndRejectsABrokenOne(@TempDir Path home) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Path routes = homeWithTheRepositoryRoutes(home, mongo);
            try (RouteFolderService service = RouteFolderService.start(new DefaultCamelContext(), home)) {
                var camel = service.context();
                assertEquals("avalon-sync", camel.getName(), "camel.main.name of application.properties");
                for (String id : new String[] {"journal-prune", "status-health", "status-page"}) {
                    assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus(id), id);
                }
                assertNotNull(camel.getRegistry().lookupByName("kitsuAvalonWriter"), "AppConfiguration's beans are bound");
                assertEquals(10000, camel.getComponent("http", org.apache.camel.component.http.HttpComponent.class)
                        .getConnectTimeout(), "camel.component.http.connect-timeout of application.properties");

                Path journal = routes.resolve("journal.camel.yaml");
                String original = Files.readString(journal);
                Files.writeString(journal, PROBE, StandardOpenOption.APPEND);
                await("the added route to run", 20_000, () -> camel.getRoute("karaf-probe") != null
                        && camel.getRouteController().getRouteStatus("karaf-probe") == ServiceStatus.Started);

                int accepted = service.routeReload().reloads();
                Files.writeString(journal, original.replace("ref: eventJournal", "ref: eventJournall") + PROBE);
                await("the broken edit rejected", 20_000, () -> !service.routeReload().lastRejection().isEmpty());
                String rejection = String.join("\n", service.routeReload().lastRejection());
                assertTrue(rejection.matches("(?s).*routes/journal\\.camel\\.yaml:\\d+: unknown bean 'eventJournall'.*"), rejection);
                assertEquals(accepted, service.routeReload().reloads(), "nothing reloaded");
                assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("journal-prune"));
                assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("karaf-probe"));
            }
        }
    }

    /**
     * A route file saved after the checks read it and before the routes load: the folder runs the text that passed,
     * the watcher warns of the save, and the next save is checked and applied.
     */
    @Test
    void aSaveLandingDuringTheStartIsNotLoadedUnchecked(@TempDir Path home) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
             LogCapture checks = new LogCapture("io.avalonsync.config.RouteFilesCheck");
             LogCapture reload = new LogCapture("io.avalonsync.config.ValidatingRouteReload")) {
            Path journal = homeWithTheRepositoryRoutes(home, mongo).resolve("journal.camel.yaml");
            String original = Files.readString(journal);
            String description = "Deletes journal entries applied more than sync.journal.keep-days ago; parked entries stay";
            assertTrue(original.contains(description));
            String edited = original.replace(description, "edited while the folder started");
            checks.onceLogged("routes/journal.camel.yaml: loads", () -> {
                try {
                    Files.writeString(journal, edited);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (RouteFolderService service = RouteFolderService.start(new DefaultCamelContext(), home)) {
                assertEquals(edited, Files.readString(journal), "the save landed during the start");
                assertEquals(description, service.context().getRoute("journal-prune").getDescription(),
                        "the running route is the text the checks passed");
                assertTrue(reload.messages(Level.WARN).stream().anyMatch(m -> m.contains("routes/journal.camel.yaml")),
                        reload.messages(Level.WARN).toString());
                Files.writeString(journal, edited + PROBE);
                await("the next save applied", 20_000, () -> service.routeReload().reloads() > 0);
                assertEquals("edited while the folder started", service.context().getRoute("journal-prune").getDescription());
            }
        }
    }

    @Test
    void aBrokenRouteFileKeepsTheServiceFromStartingAndSaysWhere(@TempDir Path home) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Path routes = homeWithTheRepositoryRoutes(home, mongo);
            Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    id: broken\n    from:\n      uri: [unclosed\n");
            DefaultCamelContext camel = new DefaultCamelContext();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RouteFolderService.start(camel, home));
            assertTrue(refused.getMessage().matches("(?s).*routes/broken\\.camel\\.yaml:\\d+: .*"), refused.getMessage());
            assertFalse(camel.isStarted());
        }
    }

    /** home/application.properties (the repository's, pointed at the store and a free port) and home/routes/. */
    private static Path homeWithTheRepositoryRoutes(Path home, EmbeddedMongo mongo) throws Exception {
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(home.resolve("application.properties"), Files.readString(Path.of("application.properties"))
                + "\navalon.mongo-uri = " + mongo.uri() + "\nstatus.port = " + port + "\n");
        return routes;
    }
}
