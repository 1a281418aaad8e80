package io.avalonsync.sync;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per project between its tracker reads and its Avalon write. A full sync's pass holds a project from
 * its first list read to its write, an event batch from its re-reads to its write. Without it a pass that read the
 * project before a change, and writes after the change's event was applied, puts the older state back, and the
 * event's entry is done by then: nothing brings the change again before the next full sync.
 * <p>
 * An event batch whose project a pass holds is not taken: its entries stay pending for a later round while the
 * processor goes on with the other projects. A pass whose project a batch holds waits for that batch, which is
 * short. A batch that re-syncs its project (a project event) already holds it, and a redelivered pass still does.
 * The holds are this process's: a source's full syncs and its journal processor run on its leader only
 * ({@code master:} in routes/). The routes hold and release ({@link ProjectHold#PROPERTY}); a step that fails skips
 * its release step, so a failed pass's hold goes with its failure or the run's end ({@link SyncRuns}), and a failed
 * batch's at the start of the next round ({@link #releaseBatches}).
 */
public final class ProjectHolds {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectHolds.class);

    private final Map<String, ProjectHold> held = new HashMap<>();

    /**
     * A full sync's pass of {@code project}: waits while an event batch holds it, then holds it until
     * {@link #releaseSync}. {@code current} is the exchange's hold: when it is on this project already (the event
     * batch that re-syncs it, or this pass redelivered) it is the hold.
     */
    public ProjectHold holdForSync(String source, Object project,
            @ExchangeProperty(ProjectHold.PROPERTY) ProjectHold current) throws InterruptedException {
        String key = key(source, project);
        if (current != null && current.key().equals(key) && !current.isReleased()) {
            return current;
        }
        synchronized (this) {
            if (held.containsKey(key)) {
                LOG.info("{} full sync: project {} waits for the {}", source, project, held.get(key));
            }
            while (held.containsKey(key)) {
                wait();
            }
            ProjectHold hold = new ProjectHold(key, source, true);
            held.put(key, hold);
            return hold;
        }
    }

    /** The end of a pass: its hold goes (an event batch's hold, when the pass ran inside one, stays the batch's). */
    public void releaseSync(@ExchangeProperty(ProjectHold.PROPERTY) ProjectHold hold) {
        if (hold != null && hold.bySync()) {
            release(hold);
        }
    }

    /** The end of a full sync of {@code source}, however it ended: what a failed pass of it still holds goes. */
    public void releaseSyncs(String source) {
        releaseAll(source, true);
    }

    /** The start of a journal round of {@code source}: the holds batches of its last round still have go. */
    public void releaseBatches(String source) {
        releaseAll(source, false);
    }

    private synchronized void releaseAll(String source, boolean bySync) {
        held.values().stream().filter(hold -> hold.bySync() == bySync && hold.source().equals(source)).toList()
                .forEach(this::release);
    }

    /** An event batch of {@code project}: its hold, or null while a full sync's pass holds the project. */
    public synchronized ProjectHold tryHoldForBatch(String source, Object project) {
        String key = key(source, project);
        if (held.containsKey(key)) {
            return null;
        }
        ProjectHold hold = new ProjectHold(key, source, false);
        held.put(key, hold);
        return hold;
    }

    /** Releases the hold; a hold released already is left as it is. */
    public synchronized void release(ProjectHold hold) {
        if (hold != null && hold.release() && held.get(hold.key()) == hold) {
            held.remove(hold.key());
            notifyAll();
        }
    }

    /** Whether a pass or a batch holds the project now. */
    public synchronized boolean held(String source, Object project) {
        return held.containsKey(key(source, project));
    }

    private static String key(String source, Object project) {
        return source + ":" + project;
    }
}
