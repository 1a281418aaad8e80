package io.avalonsync.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.avalonsync.sitesync.SiteQueueCounts;
import io.avalonsync.sitesync.SiteSyncPass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;

/**
 * {@code GET /metrics} (bean {@code serviceMetrics}): the service's own figures next to Camel's route and exchange
 * metrics, in the Prometheus registry camel-micrometer writes to. Gauges are read from their sources at each
 * scrape ({@link #refresh}), so they never go stale; the transfer counters are fed by the site sync route. A full
 * sync's figures are per project ({@code project} label) and, for the run as a whole (its start, length and a
 * failure before any project, such as a refused login), per source only.
 */
public final class ServiceMetrics {

    /** Prometheus text exposition format 0.0.4, what every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final CamelContext context;
    private final StatusFigures figures;
    private final StatusHistory history;
    private final MultiGauge checks;
    private final MultiGauge journal;
    private final MultiGauge lag;
    private final MultiGauge lastApplied;
    private final MultiGauge cursor;
    private final MultiGauge syncAt;
    private final MultiGauge syncDuration;
    private final MultiGauge syncWritten;
    private final MultiGauge syncFailed;
    private final MultiGauge runAt;
    private final MultiGauge runDuration;
    private final MultiGauge runFailed;
    private final MultiGauge lastPass;
    private final MultiGauge siteFiles;
    private final MultiGauge leader;
    private final io.avalonsync.cluster.NodeRegistry nodes;
    private final Counter uploadedFiles;
    private final Counter downloadedFiles;
    private final Counter transferredBytes;

    /** @param nodes the daemon's node record, for the leader gauge; null in one-shot runs */
    public ServiceMetrics(PrometheusMeterRegistry registry, CamelContext context, StatusFigures figures, StatusHistory history,
            io.avalonsync.cluster.NodeRegistry nodes) {
        this.registry = registry;
        this.context = context;
        this.nodes = nodes;
        this.figures = figures;
        this.history = history;
        checks = gauge("avalon.sync.check.up", null, "1 when the health check is UP, else 0");
        journal = gauge("avalon.sync.journal.events", null, "Event journal entries not applied, by status");
        lag = gauge("avalon.sync.event.lag", "seconds", "Age of the oldest journaled event not applied yet; 0 when none waits");
        lastApplied = gauge("avalon.sync.event.last.applied.timestamp", "seconds", "When the newest journaled event was applied");
        cursor = gauge("avalon.sync.event.cursor.timestamp", "seconds", "When the tracker's event cursor last moved");
        syncAt = gauge("avalon.sync.full.sync.last.timestamp", "seconds", "Start of the last full sync of the project");
        syncDuration = gauge("avalon.sync.full.sync.last.duration", "seconds", "How long the project took in the last full sync");
        syncWritten = gauge("avalon.sync.full.sync.last.documents.written", null, "Documents written for the project by the last full sync");
        syncFailed = gauge("avalon.sync.full.sync.last.failed", null, "1 when the project failed in the last full sync");
        runAt = gauge("avalon.sync.full.sync.last.run.timestamp", "seconds", "Start of the last full sync of the source");
        runDuration = gauge("avalon.sync.full.sync.last.run.duration", "seconds", "How long the last full sync of the source took");
        runFailed = gauge("avalon.sync.full.sync.last.run.failed", null,
                "1 when the last full sync of the source failed as a whole (login, project list) before its projects");
        lastPass = gauge("avalon.sync.sitesync.last.pass.timestamp", "seconds", "When the last site sync pass of this node ended");
        siteFiles = gauge("avalon.sync.sitesync.files", null, "Site sync files per project, site and state");
        leader = gauge("avalon.sync.leader", null,
                "1 when this node leads the singleton route group (master: routes), 0 when it follows");
        uploadedFiles = Counter.builder("avalon.sync.sitesync.uploaded.files").description("Files uploaded by site sync")
                .register(registry);
        downloadedFiles = Counter.builder("avalon.sync.sitesync.downloaded.files").description("Files downloaded by site sync")
                .register(registry);
        transferredBytes = Counter.builder("avalon.sync.sitesync.transferred").baseUnit("bytes")
                .description("Bytes uploaded and downloaded by site sync").register(registry);
    }

    private MultiGauge gauge(String name, String unit, String description) {
        return MultiGauge.builder(name).baseUnit(unit).description(description).register(registry);
    }

    /**
     * Counts what a site sync pass transferred (and keeps it for the status page's chart; the queue it changed is read
     * again); the pass goes on as the body.
     */
    public SiteSyncPass sitePass(SiteSyncPass pass) {
        if (pass != null) {
            uploadedFiles.increment(pass.getUploaded());
            downloadedFiles.increment(pass.getDownloaded());
            transferredBytes.increment(pass.getBytes());
            history.passed(pass);
            figures.siteSyncChanged();
        }
        return pass;
    }

    /** Reads every gauge from its source (health checks, journal, last full syncs, site sync queue). */
    public void refresh() {
        List<MultiGauge.Row<?>> up = new ArrayList<>();
        for (HealthCheck.Result r : HealthReport.serviceChecks(context)) {
            up.add(MultiGauge.Row.of(Tags.of("check", r.getCheck().getId()), r.getState() == HealthCheck.State.UP ? 1 : 0));
        }
        checks.register(up, true);

        if (nodes != null) {
            List<MultiGauge.Row<?>> groups = new ArrayList<>();
            io.avalonsync.cluster.Leadership.of(context).forEach((group, mine) ->
                    groups.add(MultiGauge.Row.of(Tags.of("group", group, "node", nodes.nodeId()), mine ? 1 : 0)));
            leader.register(groups, true);
        }

        List<MultiGauge.Row<?>> entries = new ArrayList<>();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> applied = new ArrayList<>();
        List<MultiGauge.Row<?>> moved = new ArrayList<>();
        for (String source : figures.sources()) {
            StatusFigures.Events e = figures.events(source);
            entries.add(MultiGauge.Row.of(Tags.of("source", source, "status", "pending"), e.pending()));
            entries.add(MultiGauge.Row.of(Tags.of("source", source, "status", "failed"), e.failed()));
            entries.add(MultiGauge.Row.of(Tags.of("source", source, "status", "parked"), e.parked()));
            lags.add(MultiGauge.Row.of(Tags.of("source", source), e.lag().toMillis() / 1000.0));
            if (e.lastApplied() != null) {
                applied.add(MultiGauge.Row.of(Tags.of("source", source), seconds(e.lastApplied())));
            }
            if (e.cursorMoved() != null) {
                moved.add(MultiGauge.Row.of(Tags.of("source", source), seconds(e.cursorMoved())));
            }
        }
        journal.register(entries, true);
        lag.register(lags, true);
        lastApplied.register(applied, true);
        cursor.register(moved, true);

        List<MultiGauge.Row<?>> at = new ArrayList<>();
        List<MultiGauge.Row<?>> took = new ArrayList<>();
        List<MultiGauge.Row<?>> written = new ArrayList<>();
        List<MultiGauge.Row<?>> failed = new ArrayList<>();
        for (StatusFigures.LastSync s : figures.lastSyncs()) {
            Tags tags = Tags.of("source", s.source(), "project", s.project());
            at.add(MultiGauge.Row.of(tags, seconds(s.at())));
            took.add(MultiGauge.Row.of(tags, s.duration().toMillis() / 1000.0));
            written.add(MultiGauge.Row.of(tags, s.written()));
            failed.add(MultiGauge.Row.of(tags, s.failure() == null ? 0 : 1));
        }
        syncAt.register(at, true);
        syncDuration.register(took, true);
        syncWritten.register(written, true);
        syncFailed.register(failed, true);

        List<MultiGauge.Row<?>> runStarted = new ArrayList<>();
        List<MultiGauge.Row<?>> runTook = new ArrayList<>();
        List<MultiGauge.Row<?>> runFailures = new ArrayList<>();
        for (String source : figures.sources()) {
            StatusFigures.LastRun run = figures.lastRun(source);
            if (run != null) {
                Tags tags = Tags.of("source", source);
                runStarted.add(MultiGauge.Row.of(tags, seconds(run.started())));
                Instant end = run.finished() == null ? Instant.now() : run.finished();
                runTook.add(MultiGauge.Row.of(tags, (end.toEpochMilli() - run.started().toEpochMilli()) / 1000.0));
                runFailures.add(MultiGauge.Row.of(tags, run.failure() == null ? 0 : 1));
            }
        }
        runAt.register(runStarted, true);
        runDuration.register(runTook, true);
        runFailed.register(runFailures, true);
        StatusHistory.LastPass pass = history.lastPass();
        lastPass.register(pass == null ? List.of() : List.of(MultiGauge.Row.of(Tags.empty(), seconds(pass.finished()))), true);

        List<MultiGauge.Row<?>> files = new ArrayList<>();
        for (SiteQueueCounts c : figures.siteSync().projects().stream().flatMap(p -> p.queue().stream()).toList()) {
            Map<String, Long> states = Map.of("done", c.done(), "in_progress", c.inProgress(), "paused", c.paused(),
                    "failed", c.failed(), "waiting", c.waiting(), "queued", c.queued(), "blocked", c.blocked());
            states.forEach((state, count) -> files.add(MultiGauge.Row.of(Tags.of("project", c.collection(), "site", c.site(),
                    "direction", c.direction().name().toLowerCase(java.util.Locale.ROOT), "state", state), count)));
        }
        siteFiles.register(files, true);
    }

    /** The registry in Prometheus text format; the route sets its content type ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }
}
