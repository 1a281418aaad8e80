package io.avalonsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.avalonsync.avalon.SyncPlan;

/** The report of one full sync of one source: per project what was written, rejected or failed. */
public final class SyncRun {

    /** One project's outcome; plan is null when the project failed before planning. */
    public record ProjectResult(String project, SyncPlan plan, String failure, Duration duration) {
    }

    private final String source;
    private final boolean dryRun;
    private final Instant started = Instant.now();
    private final List<ProjectResult> projects = new ArrayList<>();
    private String failure;
    private Instant finished;

    public SyncRun(String source) {
        this(source, false);
    }

    /** @param dryRun planned only: the summary says what would be written, and nothing was */
    public SyncRun(String source, boolean dryRun) {
        this.source = source;
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public String source() {
        return source;
    }

    public Instant started() {
        return started;
    }

    /** When the run ended, or null while it runs. */
    public Instant finished() {
        return finished;
    }

    synchronized void project(ProjectResult result) {
        projects.add(result);
    }

    synchronized void fail(String why) {
        failure = why;
    }

    void finish() {
        finished = Instant.now();
    }

    public synchronized List<ProjectResult> projects() {
        return List.copyOf(projects);
    }

    /** Why the whole run failed (login, project list), or null. */
    public String failure() {
        return failure;
    }

    public boolean failed() {
        return failure != null || projects().stream().anyMatch(p -> p.failure() != null);
    }

    public int rejected() {
        return projects().stream().filter(p -> p.plan() != null).mapToInt(p -> p.plan().rejections().size()).sum();
    }

    public int writes() {
        return projects().stream().filter(p -> p.plan() != null && p.failure() == null)
                .mapToInt(p -> p.plan().writeCount()).sum();
    }

    /** 0 everything synced, 1 something failed, 2 synced but some entities were rejected. */
    public int exitCode() {
        return failed() ? 1 : rejected() > 0 ? 2 : 0;
    }

    public String summary() {
        StringBuilder text = new StringBuilder();
        Duration took = Duration.between(started, finished == null ? Instant.now() : finished);
        text.append(String.format("%s %s %s in %.1f s: %d projects, %d %s, %d rejected%s%n", source,
                dryRun ? "dry run" : "full sync", failed() ? "FAILED" : "done", took.toMillis() / 1000.0,
                projects().size(), writes(), dryRun ? "writes planned" : "writes", rejected(),
                dryRun ? "; nothing was written" : ""));
        if (failure != null) {
            text.append("  failed: ").append(failure).append(System.lineSeparator());
        }
        for (ProjectResult result : projects()) {
            if (result.failure() != null) {
                text.append(String.format("  project '%s' FAILED: %s%n", result.project(), result.failure()));
            } else {
                SyncPlan plan = result.plan();
                if (plan.preview() != null && plan.preview().isEmpty()) {
                    text.append(String.format("  project '%s' -> %s: nothing to do%n", result.project(), plan.collection()));
                    continue;
                }
                text.append(String.format("  project '%s' -> %s: %d entities, %d created, %d updated, %d unchanged,"
                        + " %d archived, %d rejected (%.1f s)%n", result.project(), plan.collection(), plan.entityCount(),
                        plan.createdCount(), plan.updatedCount(), plan.unchangedCount(), plan.archivedCount(),
                        plan.rejections().size(), result.duration().toMillis() / 1000.0));
                if (plan.preview() != null) {
                    plan.preview().forEach(line -> text.append("    ").append(line).append(System.lineSeparator()));
                } else {
                    plan.rejections().forEach(r -> text.append("    rejected: ").append(r).append(System.lineSeparator()));
                }
            }
        }
        return text.toString().stripTrailing();
    }
}
