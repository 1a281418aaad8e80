package io.avalonsync.journal;

import java.util.Map;

import io.avalonsync.sync.Failures;
import io.avalonsync.sync.ProjectHold;
import io.avalonsync.sync.ProjectHolds;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;

/**
 * Route steps around the {@link EventJournal} of each tracker: take the due entries as a {@link JournalRound} of
 * per-project batches, skip a batch whose project already failed earlier in the round (order per project) or whose
 * project a full sync is reading and writing ({@link ProjectHolds}), park the entries that can never be applied, and
 * mark a batch done or failed.
 */
public final class JournalSteps {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalSteps.class);

    private final Map<String, EventJournal> journals;
    private final int batchSize;
    private final ProjectHolds holds;

    /**
     * @param journals  the journal of each tracker (one collection; each tracker has its own attempt limit and
     *                  retry delay)
     * @param batchSize due entries taken per round
     * @param holds     the projects a full sync's pass or an event batch is between its reads and its write
     */
    public JournalSteps(Map<String, EventJournal> journals, int batchSize, ProjectHolds holds) {
        this.journals = Map.copyOf(journals);
        this.batchSize = batchSize;
        this.holds = holds;
    }

    /**
     * The due entries of a tracker grouped into batches, in the order they must be applied. A tracker's rounds run
     * one after the other, so no batch of the last round is still being applied: their holds on their projects go
     * (a failed batch skips its release step).
     */
    public JournalRound due(String source) {
        holds.releaseBatches(source);
        return new JournalRound(JournalBatch.group(source, journal(source).due(source, batchSize)));
    }

    /**
     * The batch's turn: its hold on its project ({@link ProjectHold}, released by {@link #released}), or null when an
     * earlier batch of the same project failed in this round or a full sync's pass holds the project (the batch then
     * waits for a later round).
     */
    public ProjectHold takeTurn(@Body JournalBatch batch, @ExchangeProperty(JournalRound.PROPERTY) JournalRound round) {
        if (round != null && !round.inTurn(batch)) {
            return null;
        }
        ProjectHold hold = holds.tryHoldForBatch(batch.getSource(), batch.getProject());
        if (hold == null) {
            LOG.debug("{}: a full sync holds project {}; its events wait for a later round", batch.getSource(),
                    batch.getProject());
        }
        if (round != null) {
            if (hold == null) {
                round.block(batch.getProject());
            } else {
                round.taken();
            }
        }
        return hold;
    }

    /** The batch is written (or its failure recorded): its hold on its project goes. */
    public void released(@ExchangeProperty(ProjectHold.PROPERTY) ProjectHold hold) {
        holds.release(hold);
    }

    /**
     * Parks at once the entries of the batch that can never be applied (marked by the tracker's check, see
     * {@link JournalBatch#reject}) and takes them out of the batch, which goes on with the others.
     */
    public void parkRejected(@Body JournalBatch batch) {
        EventJournal journal = journal(batch.getSource());
        batch.rejected().forEach((entry, reason) -> {
            journal.park(entry, reason);
            batch.getEntries().remove(entry);
        });
        batch.rejected().clear();
    }

    public void done(@ExchangeProperty(JournalBatch.PROPERTY) JournalBatch batch) {
        journal(batch.getSource()).done(batch.getEntries());
    }

    /**
     * The error handler's step for a failure that asking again cannot fix (the tracker refused the request): an
     * entry applied alone is parked at once; a batch of several is failed once, so that each entry is retried
     * alone and only the one that causes it is parked.
     */
    public void refused(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
            @ExchangeProperty(JournalBatch.PROPERTY) JournalBatch batch,
            @ExchangeProperty(JournalRound.PROPERTY) JournalRound round) {
        if (batch == null || batch.size() != 1) {
            failed(cause, batch, round);
            return;
        }
        journal(batch.getSource()).park(batch.getEntries().get(0), Failures.describe(cause));
    }

    /**
     * Where an event pass's failure ends (the dead letter of routes/errors.camel.yaml): the failure is recorded on
     * every entry of the batch, each retried later or parked; a failed catch-up (no batch) is logged and runs again.
     */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
            @ExchangeProperty(JournalBatch.PROPERTY) JournalBatch batch,
            @ExchangeProperty(JournalRound.PROPERTY) JournalRound round) {
        if (batch == null) {
            LOG.warn("catch-up from the tracker's event log failed: {}; it runs again at the next event or poll",
                    Failures.describe(cause));
            return;
        }
        EventJournal journal = journal(batch.getSource());
        boolean parkedAll = true;
        for (Document entry : batch.getEntries()) {
            String status = journal.failed(entry, Failures.describe(cause), batch.size());
            parkedAll &= EventJournal.PARKED.equals(status);
        }
        if (round != null && !parkedAll) {
            round.block(batch.getProject());
        }
    }

    private EventJournal journal(String source) {
        EventJournal journal = journals.get(source);
        if (journal == null) {
            throw new IllegalArgumentException("no event journal for source '" + source + "' (known: "
                    + journals.keySet() + ")");
        }
        return journal;
    }
}
