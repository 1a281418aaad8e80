package io.avalonsync.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.socketio.LogCapture;
import io.avalonsync.sync.SyncRun;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.logging.log4j.Level;
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
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Settings settings = daemonSettings(dir, routes, mongo);
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

                // passes the checks but cannot start (its port is taken): the previous probe goes back in
                try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                    Files.writeString(journal, original + PROBE.replace("uri: timer:reload-probe",
                            "uri: jetty:http://127.0.0.1:" + taken.getLocalPort() + "/probe"));
                    await("the edit that cannot start rejected", 30_000, () ->
                            String.join("\n", app.routeReload().lastRejection()).contains("reload-probe"));
                }
                String unstarted = String.join("\n", app.routeReload().lastRejection());
                assertTrue(unstarted.contains("routes/journal.camel.yaml:"), unstarted);
                assertEquals(accepted, app.routeReload().reloads(), "nothing reloaded");
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("reload-probe"));
                assertTrue(app.context().getRoute("reload-probe").getEndpoint().getEndpointUri().startsWith("timer:"),
                        app.context().getRoute("reload-probe").getEndpoint().getEndpointUri());
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("journal-prune"));

                // the file saved back as it runs: the rejection is over, and there is nothing to rebuild
                Files.writeString(journal, original + PROBE);
                await("the repaired file accepted", 20_000, () -> app.routeReload().lastRejection().isEmpty());
                assertEquals(accepted, app.routeReload().reloads(), "nothing rebuilt");

                // a retry policy edited in the shared error handling: accepted, every route still running
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

    /**
     * A second save that lands while the daemon checks the first (an editor saving twice, a copy written in two
     * steps): the reload runs the text it checked, never a text read after the checks, and the second save is
     * checked on its own. Here the first save is good and the second names a bean that does not exist.
     */
    @Test
    void aSaveLandingWhileTheReloadChecksTheLastOneIsCheckedBeforeItRuns(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            Settings settings = daemonSettings(dir, routes, mongo);
            try (AvalonSyncApp app = AvalonSyncApp.create(settings, true).start();
                 LogCapture checks = new LogCapture(RouteFilesCheck.class)) {
                Path journal = routes.resolve("journal.camel.yaml");
                String original = Files.readString(journal);
                org.apache.camel.Route prune = app.context().getRoute("journal-prune");
                String broken = original.replace("ref: eventJournal", "ref: eventJournall") + PROBE;
                // the second save lands right after the checks have read and loaded the first
                checks.onceLogged("routes/journal.camel.yaml: loads", () -> {
                    try {
                        Files.writeString(journal, broken);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Files.writeString(journal, original + PROBE);
                await("the second save rejected", 30_000, () -> !app.routeReload().lastRejection().isEmpty());
                String rejection = String.join("\n", app.routeReload().lastRejection());
                assertTrue(rejection.contains("routes/journal.camel.yaml:" + lineOf(broken, "eventJournall") + ": "),
                        rejection);
                assertTrue(!rejection.contains("cannot be built or started"), "rejected by the checks, not by Camel "
                        + "after it stopped the running route: " + rejection);
                assertTrue(app.context().getRoute("journal-prune") == prune, "journal-prune never stopped");
                assertEquals(1, app.routeReload().reloads(), "the first save applied");
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("reload-probe"));
            }
        }
    }

    /**
     * A route file saved while the daemon starts, after the start-up checks read it and before Camel Main loads the
     * routes: the daemon runs the text the checks passed, never the one saved after them, says so, and the next save
     * of the file is checked and applied as any edit.
     */
    @Test
    void aSaveLandingDuringTheStartIsNotLoadedUncheckedAndTheNextSaveApplies(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        Path journal = routes.resolve("journal.camel.yaml");
        String original = Files.readString(journal);
        String checkedDescription = "Deletes journal entries applied more than sync.journal.keep-days ago; parked entries stay";
        assertTrue(original.contains("description: " + checkedDescription), "the route's description as shipped");
        String edited = original.replace(checkedDescription, "edited while the daemon started");
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
             LogCapture checks = new LogCapture(RouteFilesCheck.class);
             LogCapture reload = new LogCapture(ValidatingRouteReload.class)) {
            Settings settings = daemonSettings(dir, routes, mongo);
            // the save lands right after the start-up checks have read and loaded the file
            checks.onceLogged("routes/journal.camel.yaml: loads", () -> {
                try {
                    Files.writeString(journal, edited);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            java.util.concurrent.CompletableFuture<ConfigValidator.StartChecks> checked =
                    ConfigValidator.checksAtStart(dir, settings, "avalon-sync", System.err);
            try (AvalonSyncApp app = AvalonSyncApp.create(settings, true)
                    .gatedBy(() -> checked.join().passed() ? null : "")
                    .loadingCheckedRoutes(() -> checked.join().routeTexts()).start()) {
                assertEquals(edited, Files.readString(journal), "the save landed during the start");
                assertEquals(checkedDescription, app.context().getRoute("journal-prune").getDescription(),
                        "the running route is the text the checks passed");
                assertTrue(reload.messages(Level.WARN).stream().anyMatch(m -> m.contains("route files saved during the start")
                        && m.contains("routes/journal.camel.yaml")), reload.messages(Level.WARN).toString());
                assertEquals(0, app.routeReload().reloads());

                Files.writeString(journal, edited + PROBE);
                await("the next save applied", 30_000, () -> app.routeReload().reloads() > 0);
                assertEquals(List.of(), app.routeReload().lastRejection());
                assertEquals("edited while the daemon started", app.context().getRoute("journal-prune").getDescription());
            }
        }
    }

    /**
     * The edit: an endpoint of a component that does not exist, saved into a running daemon whose full syncs
     * take longer than the schedule's period. The edit is rejected with file and line and no stack trace, the file's
     * routes go on (scheduled runs keep starting), and once the file is fixed the schedule never leaves more than one
     * run waiting.
     */
    @Test
    void anUnknownEndpointIsRejectedAndTheScheduleGoesOnWithoutABacklog(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        try (SyncHarness harness = SyncHarness.demo(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                "kitsu.events.enabled", "false",
                "kitsu.full-sync.cron", "0/2 * * * * ?"));
             LogCapture ours = new LogCapture("io.avalonsync", Level.INFO);
             LogCapture camel = new LogCapture("org.apache.camel", Level.WARN)) {
            // each run makes 22 requests: about 3 s per run against a tick every 2 s
            harness.kitsu.setLatencyMillis(150);
            AvalonSyncApp app = harness.appWithEvents(Map.of());
            SedaEndpoint runs = app.context().getEndpoint("seda:kitsu-full-sync-runs", SedaEndpoint.class);
            AtomicInteger deepest = new AtomicInteger();
            java.util.function.IntSupplier started = () -> {
                deepest.accumulateAndGet(runs.getCurrentQueueSize(), Math::max);
                return runsStarted(harness);
            };
            await("a scheduled run", 30_000, () -> started.getAsInt() >= 1);

            Path fullSync = routes.resolve("kitsu-full-sync.camel.yaml");
            String original = Files.readString(fullSync);
            String broken = original.replace("        - to: direct:kitsu-login\n", "        - to: nosuchcomponent:x\n");
            assertTrue(!broken.equals(original));
            int line = lineOf(broken, "nosuchcomponent:x");
            List<String> routeIds = List.of("kitsu-full-sync-schedule", "kitsu-full-sync-queue", "kitsu-full-sync",
                    "kitsu-login", "kitsu-sync-project");
            Files.writeString(fullSync, broken);
            await("the edit rejected", 30_000, () -> !app.routeReload().lastRejection().isEmpty());
            String rejection = String.join("\n", app.routeReload().lastRejection());
            assertTrue(rejection.contains("routes/kitsu-full-sync.camel.yaml:" + line + ": "), rejection);
            assertTrue(rejection.contains("nosuchcomponent"), rejection);
            assertEquals(0, app.routeReload().reloads(), "nothing applied");
            for (String id : routeIds) {
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus(id), id);
            }
            // the old routes still run the schedule
            int beforeTwoTicks = started.getAsInt();
            await("scheduled runs after the rejected edit", 30_000, () -> started.getAsInt() >= beforeTwoTicks + 2);
            assertTrue(ours.messages(Level.ERROR).stream().anyMatch(message ->
                    message.contains("routes/kitsu-full-sync.camel.yaml:" + line + ": ")), ours.messages(Level.ERROR).toString());
            assertEquals(List.of(), ours.withStackTraces());
            assertEquals(List.of(), camel.withStackTraces());

            // fixed: applied, and the schedule runs on as before
            Files.writeString(fullSync, original);
            await("the fixed file applied", 30_000, () -> app.routeReload().lastRejection().isEmpty());
            int afterFix = started.getAsInt();
            await("scheduled runs after the fix", 30_000, () -> started.getAsInt() >= afterFix + 3);
            for (String id : routeIds) {
                assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus(id), id);
            }
            assertTrue(deepest.get() <= 1, "runs waiting in the queue at most: " + deepest.get());
        }
    }

    /** One-shot start-up work runs once per process: reloading its file (or editing the route itself) does not run it again. */
    @Test
    void reloadingTheFullSyncFileDoesNotStartAnotherAtStartSync(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        try (SyncHarness harness = SyncHarness.demo(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                "kitsu.events.enabled", "false",
                "kitsu.full-sync.cron", "0 0 0 1 1 ? 2099"))) {
            AvalonSyncApp app = harness.appWithEvents(Map.of("kitsu.full-sync.at-start", "true"));
            io.avalonsync.sync.SyncRuns syncRuns = app.context().getRegistry()
                    .lookupByNameAndType("syncRuns", io.avalonsync.sync.SyncRuns.class);
            await("the start-up sync", 30_000, () -> syncRuns.last("kitsu") != null);
            assertEquals(1, runsStarted(harness));

            Path fullSync = routes.resolve("kitsu-full-sync.camel.yaml");
            // another route of the file (README's project filter), then the start-up route's own text
            editAndWait(app, fullSync, OpsGuideTest.SPLIT, OpsGuideTest.FILTERED_SPLIT);
            editAndWait(app, fullSync, "description: One full sync when the service starts",
                    "description: The one full sync when the service starts");
            // longer than the start-up route's delay (1 s) since the last route of the file was replaced
            List<String> fileRoutes = routeIdsOf(fullSync);
            await("the file's routes older than the start-up delay", 30_000, () -> fileRoutes.stream()
                    .allMatch(id -> app.context().getRoute(id) != null && app.context().getRoute(id).getUptimeMillis() > 3_000));
            assertEquals(1, runsStarted(harness), "full syncs started");
            assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("kitsu-full-sync-at-start"));
        }
    }

    /**
     * The Kitsu reads are routes made from one route template: an edited template replaces every route made from it
     * (and only those), a broken templated route is rejected at its line while the running ones go on.
     */
    @Test
    void anEditedRouteTemplateReplacesTheRoutesMadeFromIt(@TempDir Path dir) throws Exception {
        Path routes = copyOfRoutes(dir);
        try (SyncHarness harness = SyncHarness.demo(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                "kitsu.events.enabled", "false",
                "kitsu.full-sync.cron", "0 0 0 1 1 ? 2099"));
             LogCapture probe = new LogCapture("io.avalonsync.reload-probe", Level.INFO)) {
            AvalonSyncApp app = harness.appWithEvents(Map.of());
            Path fullSync = routes.resolve("kitsu-full-sync.camel.yaml");
            List<String> reads = routeIdsOf(fullSync).stream().filter(id -> id.startsWith("kitsu-get-")).toList();
            assertEquals(9, reads.size(), reads.toString());
            Map<String, org.apache.camel.Route> before = new java.util.HashMap<>();
            app.context().getRoutes().forEach(route -> before.put(route.getRouteId(), route));

            // a step added to the template: every read runs it, the routes beside them are the same objects
            editAndWait(app, fullSync, """
                          - bean:
                              ref: kitsuSnapshots
                              method: "collect('{{list}}', ${body}, *)"
                """, """
                          - bean:
                              ref: kitsuSnapshots
                              method: "collect('{{list}}', ${body}, *)"
                          - log:
                              logName: io.avalonsync.reload-probe
                              message: "read {{list}}"
                """);
            for (String id : reads) {
                assertTrue(app.context().getRoute(id) != before.get(id), id + " replaced");
            }
            for (String id : List.of("kitsu-full-sync", "kitsu-sync-project", "kitsu-login", "kitsu-full-sync-schedule")) {
                assertTrue(app.context().getRoute(id) == before.get(id), id + " untouched");
            }
            SyncRun run = app.context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
            assertEquals(0, run.exitCode(), run.summary());
            List<String> read = probe.messages(Level.INFO);
            for (String list : List.of("task-types", "task-statuses", "project-task-types", "asset-types", "assets",
                    "episodes", "sequences", "shots", "tasks")) {
                assertEquals(2, read.stream().filter(("read " + list)::equals).count(), list + " once per project: " + read);
            }

            // a templated route naming a template that does not exist: rejected at its line, the reads go on
            String text = Files.readString(fullSync);
            int reloads = app.routeReload().reloads();
            String broken = text.replaceFirst("routeTemplateRef: kitsu-get-list\n    routeId: kitsu-get-shots",
                    "routeTemplateRef: kitsu-get-lists\n    routeId: kitsu-get-shots");
            assertTrue(!broken.equals(text));
            Files.writeString(fullSync, broken);
            await("the broken edit rejected", 30_000, () -> !app.routeReload().lastRejection().isEmpty());
            String rejection = String.join("\n", app.routeReload().lastRejection());
            assertTrue(rejection.contains("routes/kitsu-full-sync.camel.yaml:" + lineOf(broken, "kitsu-get-lists")
                    + ": routeTemplateRef 'kitsu-get-lists' matches no routeTemplate"), rejection);
            assertEquals(reloads, app.routeReload().reloads(), "nothing reloaded");
            SyncRun again = app.context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
            assertEquals(0, again.exitCode(), again.summary());
            assertEquals(4, probe.messages(Level.INFO).stream().filter("read shots"::equals).count());
        }
    }

    /** The shipped settings in {@code dir}, with the copied routes, the store and a free status port. */
    private static Settings daemonSettings(Path dir, Path routes, EmbeddedMongo mongo) throws Exception {
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        Settings settings = Settings.load(dir);
        settings.override("avalon.mongo-uri", mongo.uri());
        settings.override("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        try (ServerSocket socket = new ServerSocket(0)) {
            settings.override("status.port", Integer.toString(socket.getLocalPort()));
        }
        return settings;
    }

    private static void editAndWait(AvalonSyncApp app, Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        int reloads = app.routeReload().reloads();
        Files.writeString(file, text.replace(from, to));
        await(file.getFileName() + " reloaded", 30_000, () -> app.routeReload().reloads() > reloads);
        assertEquals(List.of(), app.routeReload().lastRejection());
    }

    /** The ids of the routes in a file, also those made from a route template. */
    private static List<String> routeIdsOf(Path file) throws java.io.IOException {
        return RouteYaml.parse(Files.readString(file), file.getFileName().toString()).routeIds.stream()
                .map(RouteYaml.Located::value).toList();
    }

    /** Full syncs started: each one asks Kitsu for the open projects once. */
    private static int runsStarted(SyncHarness harness) {
        return harness.kitsu.requestCountsByRoute().entrySet().stream()
                .filter(entry -> entry.getKey().contains("projects/open"))
                .mapToInt(entry -> entry.getValue().intValue()).sum();
    }

    private static int lineOf(String text, String fragment) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment);
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
