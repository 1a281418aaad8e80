package io.avalonsync.journal;

import java.util.List;
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

    public void done(Exchange exchange) {
        journal.done(exchange.getProperty(BATCH, JournalBatch.class).getEntries());
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
