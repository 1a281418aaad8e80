package io.avalonsync.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * One project of a sync pass (a full sync, or a project re-synced for events): the state its route steps share,
 * kept in the exchange property {@value #PROPERTY}. It names the project, counts its progress, holds the tracker's
 * reads of it until they are mapped, and records a failure.
 *
 * @param <R> the tracker's reads of the project (a Kitsu snapshot), or {@link Void}
 */
public final class ProjectPass<R> {

    public static final String PROPERTY = "syncProject";

    private final SyncRun run;
    private final String source;
    private final String id;
    private final String name;
    private final Instant started = Instant.now();
    private final Progress progress;
    private volatile R reads;
    private volatile String failure;

    private ProjectPass(SyncRun run, String source, String id, String name, R reads) {
        this.run = run;
        this.source = source;
        this.id = id;
        this.name = name;
        this.reads = reads;
        // the readers and the writer count into it; lines only when the project takes longer than the interval
        this.progress = Progress.start(source + " project '" + name + "'");
    }

    /**
     * A project starting now.
     *
     * @param run   the full sync it belongs to, or null for a project re-synced for events
     * @param reads what the tracker's steps will read into (null when they keep nothing here)
     */
    public static <R> ProjectPass<R> start(SyncRun run, String source, String id, String name, R reads) {
        return new ProjectPass<>(run, source, id, name, reads);
    }

    /** The full sync this project belongs to, or null when it is re-synced for events. */
    public SyncRun getRun() {
        return run;
    }

    public String getSource() {
        return source;
    }

    /** The tracker's project id (the routes' request paths use it). */
    public String getId() {
        return id;
    }

    /** The tracker's project name. */
    public String getName() {
        return name;
    }

    public Progress progress() {
        return progress;
    }

    /** The tracker's reads of the project; null once they were mapped and dropped. */
    public R reads() {
        return reads;
    }

    /** Drops the reads once mapped: a large project's tasks alone are tens of MB. */
    public void dropReads() {
        reads = null;
    }

    /** Why the project failed, or null. */
    public String failure() {
        return failure;
    }

    void fail(String why) {
        failure = why;
    }

    Duration took() {
        return Duration.between(started, Instant.now());
    }
}
