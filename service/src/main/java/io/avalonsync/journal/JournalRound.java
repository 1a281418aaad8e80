package io.avalonsync.journal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One round of the journal processor (exchange property {@value #PROPERTY}): the due entries grouped into batches in
 * the order they must be applied, and the projects whose batch failed in this round, whose later batches wait for
 * the next round so that a project's events stay in order.
 */
public final class JournalRound {

    public static final String PROPERTY = "journalRound";

    private final List<JournalBatch> batches;
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();

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
}
