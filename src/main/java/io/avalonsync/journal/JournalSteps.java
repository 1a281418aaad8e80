package io.avalonsync.journal;

import java.util.List;
import java.util.Set;

import io.avalonsync.sync.Failures;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * Route steps around the {@link EventJournal}: take a batch of due entries, skip an entry whose project
 * already failed earlier in the batch (order per project), mark done or failed.
 */
public final class JournalSteps {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalSteps.class);

    private static final String BLOCKED = "journalBlockedProjects";

    private final EventJournal journal;
    private final int batchSize;

    public JournalSteps(EventJournal journal, int batchSize) {
        this.journal = journal;
        this.batchSize = batchSize;
    }

    public List<Document> due(Exchange exchange, String source) {
        exchange.setProperty(BLOCKED, java.util.concurrent.ConcurrentHashMap.newKeySet());
        return journal.due(source, batchSize);
    }

    /** False when an earlier entry of the same project failed in this batch: this one waits its turn. */
    @SuppressWarnings("unchecked")
    public boolean inTurn(Exchange exchange) {
        Document entry = exchange.getMessage().getBody(Document.class);
        Set<Object> blocked = exchange.getProperty(BLOCKED, Set.class);
        return blocked == null || !blocked.contains(String.valueOf(entry.get("project")));
    }

    public void done(Exchange exchange) {
        journal.done(exchange.getProperty("journalEntry", Document.class));
    }

    /** The error handler's step: the failure is recorded, the entry retried later or parked. */
    @SuppressWarnings("unchecked")
    public void failed(Exchange exchange) {
        Document entry = exchange.getProperty("journalEntry", Document.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (entry == null) {
            LOG.warn("catch-up from the tracker's event log failed: {}; it runs again at the next event or poll",
                    Failures.describe(cause));
            return;
        }
        String status = journal.failed(entry, Failures.describe(cause));
        Set<Object> blocked = exchange.getProperty(BLOCKED, Set.class);
        if (blocked != null && !EventJournal.PARKED.equals(status)) {
            blocked.add(String.valueOf(entry.get("project")));
        }
    }
}
