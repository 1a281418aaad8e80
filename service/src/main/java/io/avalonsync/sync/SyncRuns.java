package io.avalonsync.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.avalonsync.avalon.SyncPlan;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bookkeeping of full syncs for the routes: starts a {@link SyncRun} (exchange property {@value #RUN}), records each
 * project's outcome from its {@link ProjectPass} (property {@value ProjectPass#PROPERTY}), turns failures into one
 * clear log line, and keeps the last run per source for /health.
 */
public final class SyncRuns {

    public static final String RUN = "syncRun";
    /** The plan of the project being written (routes/avalon-write.camel.yaml). */
    public static final String PLAN = "syncPlan";
    /** Exchange properties a caller of a full sync sets ({@code sync-once}): a dry run, and the one project to sync. */
    public static final String DRY_RUN = io.avalonsync.avalon.AvalonWriter.DRY_RUN;
    public static final String ONLY_PROJECT = "syncOnlyProject";

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);

    private final Map<String, ? extends SourceHealth> health;
    private final Map<String, SyncRun> last = new ConcurrentHashMap<>();
    private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();
    private final ProjectHolds holds;

    /**
     * @param health what /health shows of each source, by source name
     * @param holds  the projects the passes hold: a failed pass's hold goes with its failure, any left at the run's end
     */
    public SyncRuns(Map<String, ? extends SourceHealth> health, ProjectHolds holds) {
        this.health = health;
        this.holds = holds;
    }

    /** A full sync of {@code source} starting now; {@code dryRun}: plan and print, write nothing. */
    public SyncRun start(String source, @ExchangeProperty(DRY_RUN) Boolean dryRun) {
        started.add(source);
        boolean dry = Boolean.TRUE.equals(dryRun);
        LOG.info("{} {} started", source, dry ? "dry run (nothing is written)" : "full sync");
        return new SyncRun(source, dry);
    }

    /** A project starting now, for a tracker whose reads are kept elsewhere. */
    public ProjectPass<Void> projectStarted(@ExchangeProperty(RUN) SyncRun run, String source, String project) {
        return ProjectPass.start(run, source, null, project, null);
    }

    /** The project's plan is known: its write phase begins (its progress line, when owed, follows the write). */
    public void planned(@ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass, @ExchangeProperty(PLAN) SyncPlan plan) {
        if (pass != null) {
            pass.progress().phase("written", "documents", plan.writes().size(), "documents");
        }
    }

    /** Body: the project's plan, written (or previewed by a dry run). */
    public void projectWritten(@Body SyncPlan plan, @ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass) {
        SyncRun run = pass.getRun();
        if (!plan.writes().isEmpty() && plan.preview() == null) {
            pass.progress().advance(plan.writes().size());
        }
        Duration took = pass.took();
        plan.release();
        if (run != null) {
            run.project(new SyncRun.ProjectResult(plan.projectLabel(), plan, null, took));
        }
        double seconds = Math.max(took.toMillis(), 1) / 1000.0;
        LOG.info("{} in {} s ({} entities/s)", plan, String.format("%.2f", seconds),
                Math.round(plan.entityCount() / seconds));
    }

    /**
     * Where a sync's failure ends, once its retries gave up (the dead letter of routes/errors.camel.yaml): the project
     * fails and the others go on, or the whole run fails. Body out: the run (its report, once the run itself failed).
     */
    public SyncRun failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
            @ExchangeProperty(RUN) SyncRun run, @ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass,
            @ExchangeProperty(ProjectHold.PROPERTY) ProjectHold hold) {
        // the failed pass skips its release step
        holds.releaseSync(hold);
        String why = Failures.describe(cause);
        String source = run != null ? run.source() : pass != null ? pass.getSource() : null;
        if (pass != null) {
            // a project re-synced for an event: the event's own error handling takes it from here
            pass.fail(why);
        }
        if (run == null) {
            LOG.warn("{}project '{}' not re-synced: {}", source == null ? "" : source + " ",
                    pass == null ? null : pass.getName(), why);
            return null;
        }
        if (pass != null) {
            run.project(new SyncRun.ProjectResult(pass.getName(), null, why, pass.took()));
            LOG.error("{} project '{}' not synced: {} (the other projects go on; the next run retries)", source,
                    pass.getName(), why);
        } else {
            LOG.error("{} full sync failed: {}", source, why);
            run.fail(why);
            finish(run);
        }
        SourceHealth status = health.get(source);
        boolean trackerFault = !why.startsWith("Avalon MongoDB") && !(cause instanceof RuntimeException
                && cause.getClass().getSimpleName().startsWith("Avalon"));
        if (status != null && trackerFault) {
            status.down((pass == null ? "" : "project '" + pass.getName() + "': ") + why);
        }
        return run;
    }

    /** Body out: the finished run. */
    public SyncRun finish(@ExchangeProperty(RUN) SyncRun run) {
        holds.releaseSyncs(run.source());
        run.finish();
        last.put(run.source(), run);
        SourceHealth status = health.get(run.source());
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
}
