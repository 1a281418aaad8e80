package io.avalonsync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.SyncHarness;
import io.avalonsync.sync.SyncRun;
import io.avalonsync.sync.SyncRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three edits of README's ops guide (a project filter, a retry policy, a schedule), made to the route files
 * of a running daemon exactly as shown there, each changing what the daemon does without a restart.
 */
class OpsGuideTest {

    /** README, "Skip a project in the full sync". */
    static final String SPLIT = """
                    - split:
                        simple: "${body}"
                        steps:
                          - to: direct:kitsu-sync-project
            """;
    static final String FILTERED_SPLIT = """
                    - split:
                        simple: "${body}"
                        steps:
                          - filter:
                              simple: "${body[name]} != 'Sprite Fright'"
                              steps:
                                - to: direct:kitsu-sync-project
            """;

    /** README, "Retry harder when Kitsu is overloaded". */
    static final String SERVER_ERROR_POLICY = """
                      id: kitsu-server-error
                      exception:
                        - org.apache.camel.http.base.HttpOperationFailedException
                        - java.io.IOException
                      onWhen:
                        method:
                          ref: httpFaults
                          method: transientFault
                      redeliveryPolicy:
                        maximumRedeliveries: "{{kitsu.retries}}"
            """;

    /** README, "Change a schedule". */
    static final String SCHEDULE = "cron: \"{{kitsu.full-sync.cron}}\"";

    @Test
    void theGuidesEditsChangeWhatTheRunningDaemonDoes(@TempDir Path dir) throws Exception {
        Path routes = RouteReloadTest.copyOfRoutes(dir);
        try (SyncHarness harness = SyncHarness.demo(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                "kitsu.events.enabled", "false",
                // never during the test: only the edited schedule may start a run by itself
                "kitsu.full-sync.cron", "0 0 0 1 1 ? 2099",
                "kitsu.retries", "2"))) {
            AvalonSyncApp app = harness.appWithEvents(Map.of());
            SyncRuns runs = app.context().getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
            Path fullSync = routes.resolve("kitsu-full-sync.camel.yaml");
            Path errors = routes.resolve("errors.camel.yaml");

            // 1. a project filter in the full sync's split
            edit(app, fullSync, SPLIT, FILTERED_SPLIT);
            SyncRun filtered = run(app);
            assertEquals(List.of("Agent 327"), filtered.projects().stream().map(SyncRun.ProjectResult::project).toList(),
                    filtered.summary());
            assertNotNull(harness.project("Agent_327"));
            assertNull(harness.project("Sprite_Fright"), "the filtered project is not written");

            // 2. a retry policy: three 503s in a row exhaust the default two redeliveries...
            harness.kitsu.failNext(".*/shots", 503, 3);
            SyncRun beforeEdit = run(app);
            assertTrue(beforeEdit.failed(), beforeEdit.summary());
            assertTrue(beforeEdit.summary().contains("503"), beforeEdit.summary());
            // ...five redeliveries ride out four of them
            edit(app, errors, SERVER_ERROR_POLICY, SERVER_ERROR_POLICY.replace(
                    "maximumRedeliveries: \"{{kitsu.retries}}\"", "maximumRedeliveries: 5"));
            harness.kitsu.failNext(".*/shots", 503, 4);
            long shotsBefore = shotRequests(harness);
            SyncRun afterEdit = run(app);
            assertFalse(afterEdit.failed(), afterEdit.summary());
            assertEquals(5, shotRequests(harness) - shotsBefore, "four refused requests and the one that worked");

            // 3. a schedule: every two seconds, so a run starts by itself
            Instant edited = Instant.now();
            edit(app, fullSync, SCHEDULE, "cron: \"0/2 * * * * ?\"");
            await("a scheduled run after the edit", 20_000, () -> {
                SyncRun last = runs.last("kitsu");
                return last != null && last.started().isAfter(edited);
            });
        }
    }

    /** Replaces the text in a route file of the running daemon and waits until the daemon took it. */
    private static void edit(AvalonSyncApp app, Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file.getFileName() + " holds the text the guide edits:\n" + from);
        int reloads = app.routeReload().reloads();
        Files.writeString(file, text.replace(from, to));
        // a file watcher may report an earlier edit twice: wait for a reload of this file
        await(file.getFileName() + " reloaded", 20_000, () -> app.routeReload().reloads() > reloads
                && app.routeReload().lastReloaded().stream().anyMatch(location -> location.endsWith("/" + file.getFileName())));
        assertEquals(List.of(), app.routeReload().lastRejection(), "the guide's edit passes the checks");
    }

    private static SyncRun run(AvalonSyncApp app) {
        return app.context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
    }

    private static long shotRequests(SyncHarness harness) {
        return harness.kitsu.requestCountsByRoute().entrySet().stream()
                .filter(entry -> entry.getKey().contains("shots"))
                .mapToLong(Map.Entry::getValue).sum();
    }
}

