package io.avalonsync.journal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One round of the journal processor (exchange property {@value #PROPERTY}): the due entries grouped into batches in
 * the order they must be applied, and the projects whose batch failed in this round, whose later batches wait for
 * the next round so that a project's events stay in order (as do the batches of a project a full sync holds, see
 * ProjectHolds), and how many batches were taken.
 */
public final class JournalRound {

    public static final String PROPERTY = "journalRound";

    private final List<JournalBatch> batches;
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger taken = new AtomicInteger();

    JournalRound(List<JournalBatch> batches) {
        this.batches = List.copyOf(batches);
    }

    public List<JournalBatch> getBatches() {
        return batches;
    }

    /** False when an earlier batch of the same project failed in this round. */
    boolean inTurn(JournalBatch batch) {
        return !blocked.contains(batch.getProject());
    }

    void block(String project) {
        blocked.add(project);
    }

    void taken() {
        taken.incrementAndGet();
    }

    /**
     * Whether a batch was taken this round: then more may be due at once. A round whose batches all wait for a full
     * sync's pass took none, and the next round comes with the retries' timer instead of at once (no busy loop).
     */
    public boolean isAnyTaken() {
        return taken.get() > 0;
    }
}
