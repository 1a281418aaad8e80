package io.avalonsync.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.avalonsync.avalon.IdentityGuard;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sitesync.SiteFailure;
import io.avalonsync.sitesync.SiteQueue;
import io.avalonsync.sitesync.SiteQueueCounts;
import io.avalonsync.sync.SyncRun;
import io.avalonsync.sync.SyncRuns;
import org.bson.Document;

/**
 * The figures an operator watches, read when asked: per enabled source the event journal's backlog and lag, the
 * last full sync, and site sync's queue and failed files per project with each project's two names. The status
 * page, /metrics and the chart sampler all read them here.
 *
 * <p>Site sync's figures read every representation of every project, so they are kept for {@value #SITE_SYNC_SECONDS}
 * seconds and shared by every page load and scrape in that time; an operation on the files (reset, pause, priority,
 * a pass) forgets them at once ({@link #siteSyncChanged}), so the page shows its effect on the next load.
 */
public final class StatusFigures {

    /** How long site sync's figures are reused: a page refreshes every 10 s, Prometheus scrapes every 15 s. */
    static final int SITE_SYNC_SECONDS = 5;
    private static final int FAILURES_SHOWN = 200;

    /** One source's event journal. Times are null when there is none yet. */
    public record Events(String source, long pending, long failed, long parked, Duration lag, Instant lastApplied,
                         Instant cursorMoved) {
    }

    /**
     * One project of the last full sync of a source; failure is null when it synced.
     *
     * @param project    the tracker's name of the project
     * @param collection its Avalon name, null when the project failed before it had one
     */
    public record LastSync(String source, String project, String collection, Instant at, Duration duration, long written,
                           long rejected, String failure) {
    }

    /** The last full sync of a source as a whole; failure is the run's own (login, project list), null otherwise. */
    public record LastRun(String source, Instant started, Instant finished, int projects, int failedProjects, long written,
                          long rejected, String failure) {
    }

    /** An Avalon project: its collection (the Avalon name) and the tracker's name of it ({@code data.label}). */
    public record Project(String collection, String label) {
    }

    /** Site sync's view of one project. */
    public record SiteProject(Project project, List<SiteQueueCounts> queue, List<SiteFailure> failures) {
    }

    /** Site sync's figures as read at {@code read}. */
    public record SiteSync(Instant read, List<SiteProject> projects) {

        /** The project of that collection, or one named by the collection alone. */
        public Project project(String collection) {
            for (SiteProject p : projects) {
                if (p.project().collection().equals(collection)) {
                    return p.project();
                }
            }
            return new Project(collection, collection);
        }

        /** The Avalon name of a project known by its tracker name, or null. */
        public String collectionOf(String label) {
            for (SiteProject p : projects) {
                if (p.project().label().equals(label)) {
                    return p.project().collection();
                }
            }
            return null;
        }
    }

    private final EventJournal journal;
    private final SyncRuns runs;
    private final List<String> sources;
    private final IdentityGuard guard;
    private final SiteQueue siteQueue;
    private final MongoDatabase avalon;
    private final AtomicLong generation = new AtomicLong();
    private volatile SiteSync siteSync;
    private volatile long siteSyncGeneration = -1;

    /**
     * @param siteQueue site sync's queue, null when figures are read without it (then no site sync section)
     * @param avalon    the Avalon database, for the projects' names
     */
    public StatusFigures(EventJournal journal, SyncRuns runs, List<String> sources, IdentityGuard guard, SiteQueue siteQueue,
            MongoDatabase avalon) {
        this.journal = journal;
        this.runs = runs;
        this.sources = List.copyOf(sources);
        this.guard = guard;
        this.siteQueue = siteQueue;
        this.avalon = avalon;
    }

    /** Tracker entities with more than one document, in collections that therefore run without the unique index. */
    public List<IdentityGuard.Duplicate> duplicates() {
        return guard == null ? List.of() : guard.duplicates();
    }

    /** The enabled trackers (kitsu, shotgrid). */
    public List<String> sources() {
        return sources;
    }

    /** Four indexed reads: the open entries per status, the oldest open, the newest applied, the cursor. */
    public Events events(String source) {
        Instant now = Instant.now();
        Map<String, Long> counts = journal.openCounts(source);
        Date oldest = journal.oldestOpen(source);
        Date applied = journal.lastApplied(source);
        // both trackers' cursors are named <source>:events (KitsuEventCursor, ShotGridEventCursor)
        Document cursor = journal.cursor(source + ":events");
        Date moved = cursor == null ? null : cursor.getDate("movedAt");
        return new Events(source, counts.get(EventJournal.PENDING), counts.get(EventJournal.FAILED),
                counts.get(EventJournal.PARKED),
                oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), now).abs(),
                applied == null ? null : applied.toInstant(), moved == null ? null : moved.toInstant());
    }

    /** The last full sync of a source, null when none finished since the service started. */
    public LastRun lastRun(String source) {
        SyncRun run = runs.last(source);
        if (run == null) {
            return null;
        }
        int failedProjects = 0;
        for (SyncRun.ProjectResult p : run.projects()) {
            failedProjects += p.failure() == null ? 0 : 1;
        }
        return new LastRun(source, run.started(), run.finished(), run.projects().size(), failedProjects, run.writes(),
                run.rejected(), run.failure());
    }

    /** Whether a full sync of the source started and has not finished yet. */
    public boolean running(String source) {
        SyncRun last = runs.last(source);
        return runs.started(source) && (last == null || last.finished() == null);
    }

    /** The projects of each source's last full sync (a run that failed as a whole has none). */
    public List<LastSync> lastSyncs() {
        List<LastSync> rows = new ArrayList<>();
        for (String source : sources) {
            SyncRun run = runs.last(source);
            if (run == null) {
                continue;
            }
            for (SyncRun.ProjectResult p : run.projects()) {
                boolean planned = p.plan() != null;
                rows.add(new LastSync(source, p.project(), planned ? p.plan().collection() : null, run.started(), p.duration(),
                        planned && p.failure() == null ? p.plan().writeCount() : 0,
                        planned ? p.plan().rejections().size() : 0, p.failure()));
            }
        }
        return rows;
    }

    /** Site sync's figures, read again when older than {@value #SITE_SYNC_SECONDS} s or after an operation. */
    public SiteSync siteSync() {
        SiteSync known = siteSync;
        long current = generation.get();
        Instant now = Instant.now();
        if (known != null && siteSyncGeneration == current
                && known.read().plusSeconds(SITE_SYNC_SECONDS).isAfter(now)) {
            return known;
        }
        SiteSync fresh = readSiteSync(now);
        synchronized (this) {
            // a read that started before an operation must not hide the operation's effect
            if (generation.get() == current) {
                siteSync = fresh;
                siteSyncGeneration = current;
            }
        }
        return fresh;
    }

    /** Reset, pause, priority or a pass changed the files: the next reader reads them again. */
    public void siteSyncChanged() {
        generation.incrementAndGet();
    }

    private SiteSync readSiteSync(Instant now) {
        List<SiteProject> projects = new ArrayList<>();
        for (Project project : projects()) {
            if (siteQueue == null) {
                projects.add(new SiteProject(project, List.of(), List.of()));
            } else {
                projects.add(new SiteProject(project, siteQueue.counts(project.collection(), now),
                        siteQueue.failures(project.collection(), FAILURES_SHOWN)));
            }
        }
        return new SiteSync(now, projects);
    }

    /** The Avalon projects (collections holding a project document), by name, each with its tracker name. */
    private List<Project> projects() {
        Map<String, Project> out = new java.util.TreeMap<>();
        for (String name : avalon.listCollectionNames()) {
            if (name.startsWith("system.")) {
                continue;
            }
            Document project = avalon.getCollection(name).find(Filters.eq("type", "project"))
                    .projection(Projections.include("name", "data.label")).first();
            if (project != null) {
                Object data = project.get("data");
                String label = data instanceof Document d && d.get("label") instanceof String l && !l.isBlank() ? l : name;
                out.put(name, new Project(name, label));
            }
        }
        return new ArrayList<>(out.values());
    }
}
