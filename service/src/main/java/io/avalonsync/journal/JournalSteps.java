package io.avalonsync.journal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.sync.Failures;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * Route steps around the {@link EventJournal}: take the due entries as per-project batches, skip a batch
 * whose project already failed earlier in this round (order per project), mark a batch done or failed.
 */
public final class JournalSteps {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalSteps.class);

    private static final String BLOCKED = "journalBlockedProjects";
    /** The batch being applied: the error handler records failures on its entries. */
    public static final String BATCH = "journalBatch";
    /** Entries of the batch that can never be applied, with the reason: parked by {@link #parkRejected}. */
    public static final String REJECTED = "journalRejected";

    private final EventJournal journal;
    private final int batchSize;

    public JournalSteps(EventJournal journal, int batchSize) {
        this.journal = journal;
        this.batchSize = batchSize;
    }

    /** Body out: the due entries of a source grouped into batches, in the order they must be applied. */
    public List<JournalBatch> due(Exchange exchange, String source) {
        exchange.setProperty(BLOCKED, java.util.concurrent.ConcurrentHashMap.newKeySet());
        return JournalBatch.group(journal.due(source, batchSize));
    }

    /** False when an earlier batch of the same project failed in this round: this one waits its turn. */
    @SuppressWarnings("unchecked")
    public boolean inTurn(Exchange exchange) {
        JournalBatch batch = exchange.getMessage().getBody(JournalBatch.class);
        Set<Object> blocked = exchange.getProperty(BLOCKED, Set.class);
        return blocked == null || !blocked.contains(batch.getProject());
    }

    /** Body in: the batch to apply; kept on the exchange for {@link #done} and {@link #failed}. */
    public void take(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        exchange.setProperty(BATCH, exchange.getMessage().getMandatoryBody(JournalBatch.class));
    }

    /**
     * Parks at once the entries of the batch that can never be applied (property {@link #REJECTED}: entry →
     * reason, set by the tracker's check) and takes them out of the batch, which goes on with the others.
     */
    @SuppressWarnings("unchecked")
    public void parkRejected(Exchange exchange) {
        Map<Document, String> rejected = exchange.getProperty(REJECTED, Map.class);
        if (rejected == null || rejected.isEmpty()) {
            return;
        }
        JournalBatch batch = exchange.getProperty(BATCH, JournalBatch.class);
        rejected.forEach((entry, reason) -> {
            journal.park(entry, reason);
            batch.getEntries().remove(entry);
        });
        exchange.removeProperty(REJECTED);
    }

    public void done(Exchange exchange) {
        journal.done(exchange.getProperty(BATCH, JournalBatch.class).getEntries());
    }

    /**
     * The error handler's step for a failure that asking again cannot fix (the tracker refused the request): an
     * entry applied alone is parked at once; a batch of several is failed once, so that each entry is retried
     * alone and only the one that causes it is parked.
     */
    public void refused(Exchange exchange) {
        JournalBatch batch = exchange.getProperty(BATCH, JournalBatch.class);
        if (batch == null || batch.size() != 1) {
            failed(exchange);
            return;
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        journal.park(batch.getEntries().get(0), Failures.describe(cause));
    }

    /** The error handler's step: the failure is recorded on every entry of the batch, each retried later or parked. */
    @SuppressWarnings("unchecked")
    public void failed(Exchange exchange) {
        JournalBatch batch = exchange.getProperty(BATCH, JournalBatch.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (batch == null) {
            LOG.warn("catch-up from the tracker's event log failed: {}; it runs again at the next event or poll",
                    Failures.describe(cause));
            return;
        }
        boolean parkedAll = true;
        for (Document entry : batch.getEntries()) {
            String status = journal.failed(entry, Failures.describe(cause), batch.size());
            parkedAll &= EventJournal.PARKED.equals(status);
        }
        Set<Object> blocked = exchange.getProperty(BLOCKED, Set.class);
        if (blocked != null && !parkedAll) {
            blocked.add(batch.getProject());
        }
    }
}
