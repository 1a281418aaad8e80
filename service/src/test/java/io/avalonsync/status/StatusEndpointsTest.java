package io.avalonsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.avalonsync.SyncHarness;
import io.avalonsync.socketio.LogCapture;
import io.avalonsync.sync.SyncRun;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /health, /health/live, /health/ready and /metrics over HTTP, against the Kitsu simulator and a real sync. */
class StatusEndpointsTest {

    private SyncHarness h;
    private StatusHttp http;

    @BeforeEach
    void start() throws Exception {
        h = SyncHarness.demo();
        h.app();
        http = new StatusHttp(h.statusPort());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void livenessIsTheCamelContextOnly() throws Exception {
        HttpResponse<String> live = http.get("/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> body = StatusHttp.json(live);
        assertEquals("UP", body.get("status"));
        assertEquals("UP", StatusHttp.check(body, "context").get("status"));
        assertNull(StatusHttp.check(body, "mongo"), "an outside system never decides liveness: " + body);
    }

    @Test
    void readinessFollowsMongo() throws Exception {
        HttpResponse<String> ready = http.get("/health/ready");
        Map<String, Object> body = StatusHttp.json(ready);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", StatusHttp.check(body, "mongo").get("status"));
        assertEquals("UP", StatusHttp.check(body, "kitsu").get("status"));
        assertEquals("UP", StatusHttp.check(body, "context").get("status"));

        h.mongo.close(); // the store goes away: not ready, but alive
        HttpResponse<String> down = http.get("/health/ready");
        assertEquals(503, down.statusCode(), down.body());
        Map<String, Object> downBody = StatusHttp.json(down);
        assertEquals("DOWN", downBody.get("status"));
        assertEquals("DOWN", StatusHttp.check(downBody, "mongo").get("status"));
        assertTrue(String.valueOf(StatusHttp.check(downBody, "mongo").get("reason")).contains("unreachable"), down.body());
        assertEquals(200, http.get("/health/live").statusCode());
    }

    /** A run that fails before any project (a refused login) is a series per source, with no empty project label. */
    @Test
    void aRunThatFailsAsAWholeIsLabelledBySourceOnly() throws Exception {
        try (SyncHarness refused = SyncHarness.demo(Map.of("kitsu.password", "not the password"))) {
            refused.app();
            SyncRun run = refused.fullSync();
            assertEquals(1, run.exitCode(), run.summary());
            assertNotNull(run.failure(), run.summary());
            HttpResponse<String> metrics = new StatusHttp(refused.statusPort()).get("/metrics");
            List<StatusHttp.Sample> samples = StatusHttp.samples(metrics.body());
            Map<String, String> kitsu = Map.of("source", "kitsu");
            assertEquals(1.0, StatusHttp.value(samples, "avalon_sync_full_sync_last_run_failed", kitsu));
            assertEquals(run.started().toEpochMilli() / 1000.0,
                    StatusHttp.value(samples, "avalon_sync_full_sync_last_run_timestamp_seconds", kitsu), 0.001);
            assertNotNull(StatusHttp.value(samples, "avalon_sync_full_sync_last_run_duration_seconds", kitsu));
            assertEquals(List.of(), metrics.body().lines().filter(l -> l.startsWith("avalon_sync_") && l.contains("=\"\"")).toList(),
                    "series with an empty label");
            assertEquals(List.of(), metrics.body().lines().filter(l -> l.matches("# HELP \\S+\\s*")).toList(), "HELP without text");
        }
    }

    @Test
    void metricsShowTheLastFullSyncAndCamelsRouteMetrics() throws Exception {
        HttpResponse<String> before = http.get("/metrics");
        assertEquals(200, before.statusCode(), before.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", before.headers().firstValue("Content-Type").orElse(""));
        List<StatusHttp.Sample> first = StatusHttp.samples(before.body());
        Map<String, String> agent = Map.of("source", "kitsu", "project", "Agent 327");
        assertNull(StatusHttp.value(first, "avalon_sync_full_sync_last_documents_written", agent), "no sync yet");
        assertEquals(0.0, StatusHttp.value(first, "avalon_sync_journal_events", Map.of("source", "kitsu", "status", "pending")));
        assertEquals(1.0, StatusHttp.value(first, "avalon_sync_check_up", Map.of("check", "mongo")));
        // the JVM and the process, through Micrometer's binders
        for (String series : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "system_cpu_count")) {
            assertTrue(first.stream().anyMatch(sample -> sample.name().equals(series)), series + " missing from /metrics");
        }
        // every series says what it is
        List<String> emptyHelp = before.body().lines().filter(l -> l.matches("# HELP \\S+\\s*")).toList();
        assertEquals(List.of(), emptyHelp, "HELP lines without text");

        SyncRun run;
        // a sync started from outside any route (as the commands and the Socket.IO login start theirs) is counted by
        // the exchange notifier like any other, with no warning
        try (LogCapture notifying = new LogCapture("org.apache.camel.support.EventHelper", Level.WARN)) {
            run = h.fullSync();
            assertEquals(List.of(), notifying.messages(Level.WARN));
        }
        assertEquals(0, run.exitCode(), run.summary());
        int written = run.projects().stream().filter(p -> p.project().equals("Agent 327")).findFirst().orElseThrow()
                .plan().writeCount();
        assertTrue(written > 10, run.summary());

        List<StatusHttp.Sample> after = StatusHttp.samples(http.get("/metrics").body());
        assertEquals((double) written, StatusHttp.value(after, "avalon_sync_full_sync_last_documents_written", agent));
        assertEquals(0.0, StatusHttp.value(after, "avalon_sync_full_sync_last_failed", agent));
        assertEquals(0.0, StatusHttp.value(after, "avalon_sync_full_sync_last_run_failed", Map.of("source", "kitsu")));
        // what the service asked MongoDB, per command (the driver's command listener)
        assertTrue(after.stream().anyMatch(sample -> sample.name().equals("mongodb_driver_commands_seconds_count")
                && "find".equals(sample.labels().get("command")) && sample.value() > 0), "MongoDB commands in /metrics");
        double at = StatusHttp.value(after, "avalon_sync_full_sync_last_timestamp_seconds", agent);
        assertEquals(run.started().toEpochMilli() / 1000.0, at, 0.001);
        assertNotNull(StatusHttp.value(after, "avalon_sync_full_sync_last_duration_seconds", agent));
        // camel-micrometer's route policy counted the run
        Double exchanges = StatusHttp.value(after, "camel_exchanges_total", Map.of("routeId", "kitsu-full-sync"));
        assertNotNull(exchanges, () -> "camel-micrometer route metrics are missing from /metrics: " + after.stream()
                .map(StatusHttp.Sample::name).filter(n -> n.startsWith("camel")).distinct().toList());
        assertEquals(1.0, exchanges);

        // a re-run with no change in Kitsu writes nothing, and the gauge says so
        h.fullSync();
        List<StatusHttp.Sample> again = StatusHttp.samples(http.get("/metrics").body());
        assertEquals(0.0, StatusHttp.value(again, "avalon_sync_full_sync_last_documents_written", agent));
        assertEquals(2.0, StatusHttp.value(again, "camel_exchanges_total", Map.of("routeId", "kitsu-full-sync")));
    }
}
