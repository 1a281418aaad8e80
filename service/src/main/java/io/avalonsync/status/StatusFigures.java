package io.avalonsync.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.avalonsync.avalon.IdentityGuard;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sync.SyncRun;
import io.avalonsync.sync.SyncRuns;
import org.bson.Document;

/**
 * The figures an operator watches, read when asked: per enabled source the event journal's backlog and lag,
 * and the last full sync per project. The status page and /metrics both show these, so they are read here once.
 */
public final class StatusFigures {

    /** One source's event journal. Times are null when there is none yet. */
    public record Events(String source, long pending, long failed, long parked, Duration lag, Instant lastApplied,
                         Instant cursorMoved) {
    }

    /** One project of the last full sync of a source; failure is null when it synced. */
    public record LastSync(String source, String project, Instant at, Duration duration, long written, long rejected,
                           String failure) {
    }

    private final EventJournal journal;
    private final SyncRuns runs;
    private final List<String> sources;
    private final IdentityGuard guard;

    public StatusFigures(EventJournal journal, SyncRuns runs, List<String> sources) {
        this(journal, runs, sources, null);
    }

    public StatusFigures(EventJournal journal, SyncRuns runs, List<String> sources, IdentityGuard guard) {
        this.journal = journal;
        this.runs = runs;
        this.sources = List.copyOf(sources);
        this.guard = guard;
    }

    /** Tracker entities with more than one document, in collections that therefore run without the unique index. */
    public List<IdentityGuard.Duplicate> duplicates() {
        return guard == null ? List.of() : guard.duplicates();
    }

    /** The enabled trackers (kitsu, shotgrid). */
    public List<String> sources() {
        return sources;
    }

    public Events events(String source) {
        Instant now = Instant.now();
        Date oldest = journal.oldestOpen(source);
        Date applied = journal.lastApplied(source);
        // both trackers' cursors are named <source>:events (KitsuEventCursor, ShotGridEventCursor)
        Document cursor = journal.cursor(source + ":events");
        Date moved = cursor == null ? null : cursor.getDate("movedAt");
        return new Events(source, journal.count(source, EventJournal.PENDING), journal.count(source, EventJournal.FAILED),
                journal.count(source, EventJournal.PARKED),
                oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), now).abs(),
                applied == null ? null : applied.toInstant(), moved == null ? null : moved.toInstant());
    }

    /** The projects of each source's last full sync, or a single row with the run's failure (login, project list). */
    public List<LastSync> lastSyncs() {
        List<LastSync> rows = new ArrayList<>();
        for (String source : sources) {
            SyncRun run = runs.last(source);
            if (run == null) {
                continue;
            }
            if (run.failure() != null) {
                Instant end = run.finished() == null ? Instant.now() : run.finished();
                rows.add(new LastSync(source, "", run.started(), Duration.between(run.started(), end), 0, 0, run.failure()));
            }
            for (SyncRun.ProjectResult p : run.projects()) {
                boolean planned = p.plan() != null;
                rows.add(new LastSync(source, p.project(), run.started(), p.duration(),
                        planned && p.failure() == null ? p.plan().writeCount() : 0,
                        planned ? p.plan().rejections().size() : 0, p.failure()));
            }
        }
        return rows;
    }
}
