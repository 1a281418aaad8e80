package io.avalonsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.avalonsync.avalon.SyncPlan;
import io.avalonsync.status.SourceStatus;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bookkeeping of full syncs for the routes: starts a {@link SyncRun}, records each project's outcome,
 * turns failures into one clear log line, and keeps the last run per source for /health.
 */
public final class SyncRuns {

    public static final String RUN = "syncRun";
    public static final String PROJECT = "syncProject";
    public static final String PROJECT_STARTED = "syncProjectStarted";
    public static final String PLAN = "syncPlan";
    /** Exchange properties of {@code sync-once}: a dry run, and the one project to sync. */
    public static final String DRY_RUN = io.avalonsync.avalon.AvalonWriter.DRY_RUN;
    public static final String ONLY_PROJECT = "syncOnlyProject";

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);

    private final Map<String, SourceStatus> statuses;
    private final Map<String, SyncRun> last = new ConcurrentHashMap<>();
    private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();

    public SyncRuns(Map<String, SourceStatus> statuses) {
        this.statuses = statuses;
    }

    public void start(Exchange exchange, String source) {
        started.add(source);
        boolean dryRun = exchange.getProperty(DRY_RUN, false, Boolean.class);
        exchange.setProperty(RUN, new SyncRun(source, dryRun));
        LOG.info("{} {} started", source, dryRun ? "dry run (nothing is written)" : "full sync");
    }

    public void projectStarted(Exchange exchange, String project) {
        exchange.setProperty(PROJECT, project);
        exchange.setProperty(PROJECT_STARTED, Instant.now());
        // the readers and the writer count into it; lines only when the project takes longer than the interval
        exchange.setProperty(Progress.PROPERTY, Progress.start(source(exchange) + " project '" + project + "'"));
    }

    /** After the bulk write (or when there was nothing to write). */
    public void projectWritten(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        SyncPlan plan = exchange.getProperty(PLAN, SyncPlan.class);
        Duration took = took(exchange);
        exchange.removeProperty(Progress.PROPERTY);
        plan.release();
        if (run != null) {
            run.project(new SyncRun.ProjectResult(plan.projectLabel(), plan, null, took));
        }
        double seconds = Math.max(took.toMillis(), 1) / 1000.0;
        LOG.info("{} in {} s ({} entities/s)", plan, String.format("%.2f", seconds),
                Math.round(plan.entityCount() / seconds));
    }

    /** The error handler's last step: the project (or the whole run) failed; the rest goes on. */
    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        String project = exchange.getProperty(PROJECT, String.class);
        String why = Failures.describe(cause);
        // a project re-synced for an event: the event's own error handling takes it from here
        exchange.setProperty("syncFailure", why);
        exchange.removeProperty(Progress.PROPERTY);
        String source = source(exchange);
        if (run == null) {
            LOG.warn("{} project '{}' not re-synced: {}", source, project, why);
            return;
        }
        if (project != null) {
            run.project(new SyncRun.ProjectResult(project, null, why, took(exchange)));
            LOG.error("{} project '{}' not synced: {} (the other projects go on; the next run retries)", source, project, why);
        } else {
            LOG.error("{} full sync failed: {}", source, why);
            if (run != null) {
                run.fail(why);
                exchange.getMessage().setBody(finish(exchange));
            }
        }
        SourceStatus status = statuses.get(source);
        boolean trackerFault = !why.startsWith("Avalon MongoDB") && !(cause instanceof RuntimeException
                && cause.getClass().getSimpleName().startsWith("Avalon"));
        if (status != null && trackerFault) {
            status.down((project == null ? "" : "project '" + project + "': ") + why);
        }
    }

    /** Body: the finished {@link SyncRun}. */
    public SyncRun finish(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        run.finish();
        last.put(run.source(), run);
        SourceStatus status = statuses.get(run.source());
        if (status != null && !run.failed()) {
            status.synced(run.started());
        }
        for (String line : run.summary().split("\\R")) {
            if (run.failed()) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
        }
        return run;
    }

    /** Whether a full sync of the source has started since the service started (it may still run). */
    public boolean started(String source) {
        return started.contains(source);
    }

    public SyncRun last(String source) {
        return last.get(source);
    }

    /** The run's source; a project re-synced for an event has no run but says its source. */
    private static String source(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        return run != null ? run.source() : exchange.getProperty("syncSource", "kitsu", String.class);
    }

    private static Duration took(Exchange exchange) {
        Instant started = exchange.getProperty(PROJECT_STARTED, Instant.class);
        return started == null ? Duration.ZERO : Duration.between(started, Instant.now());
    }
}
