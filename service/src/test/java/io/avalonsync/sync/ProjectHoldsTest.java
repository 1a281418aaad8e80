package io.avalonsync.sync;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The holds full sync passes and event batches take on a project. End to end (a change made while a full sync reads
 * its project): KitsuEventsTest and ShotGridEventsTest.
 */
class ProjectHoldsTest {

    private final ProjectHolds holds = new ProjectHolds();

    @Test
    void aBatchWaitsForAPassAndAPassForABatch() throws Exception {
        ProjectHold pass = holds.holdForSync("kitsu", "p1", null);
        assertNull(holds.tryHoldForBatch("kitsu", "p1"), "taken while the pass holds the project");
        ProjectHold other = holds.tryHoldForBatch("kitsu", "p2");
        assertNotNull(other, "another project");
        assertNotNull(holds.tryHoldForBatch("shotgrid", "p1"), "another tracker's project");
        holds.releaseSync(pass);
        holds.release(other);

        ProjectHold batch = holds.tryHoldForBatch("kitsu", "p1");
        assertNotNull(batch);
        CompletableFuture<ProjectHold> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return holds.holdForSync("kitsu", "p1", null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS), "the pass waits for the batch");
        holds.release(batch);
        ProjectHold second = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(holds.held("kitsu", "p1"), "the pass holds it now");
        holds.releaseSync(second);
        assertFalse(holds.held("kitsu", "p1"));
    }

    @Test
    void aBatchThatReSyncsItsProjectAndARedeliveredPassDoNotWaitForThemselves() throws Exception {
        ProjectHold batch = holds.tryHoldForBatch("kitsu", "p1");
        assertSame(batch, holds.holdForSync("kitsu", "p1", batch), "a project event re-syncs its project");
        holds.releaseSync(batch);
        assertTrue(holds.held("kitsu", "p1"), "the pass inside the batch leaves the batch's hold");
        holds.release(batch);

        ProjectHold pass = holds.holdForSync("kitsu", "p1", null);
        assertSame(pass, holds.holdForSync("kitsu", "p1", pass), "redelivered");
        holds.releaseSync(pass);
        assertFalse(holds.held("kitsu", "p1"));
    }

    @Test
    void theEndOfAFullSyncReleasesWhatAFailedPassStillHolds() throws Exception {
        ProjectHold failedPass = holds.holdForSync("kitsu", "p1", null);
        holds.tryHoldForBatch("kitsu", "p2");
        ProjectHold otherTracker = holds.holdForSync("shotgrid", "p1", null);
        holds.releaseSyncs("kitsu");
        assertFalse(holds.held("kitsu", "p1"));
        assertTrue(holds.held("kitsu", "p2"), "a batch's hold is the journal's to release");
        assertTrue(holds.held("shotgrid", "p1"), "another tracker's full sync");
        holds.releaseSync(failedPass); // released already: nothing changes
        ProjectHold next = holds.tryHoldForBatch("kitsu", "p1");
        assertNotNull(next);
        holds.releaseSync(failedPass);
        assertTrue(holds.held("kitsu", "p1"), "a stale release does not take the next holder's hold");
        holds.release(next);
        holds.releaseSync(otherTracker);
    }

    @Test
    void theNextJournalRoundReleasesWhatAFailedBatchStillHolds() throws Exception {
        ProjectHold failedBatch = holds.tryHoldForBatch("kitsu", "p1");
        ProjectHold pass = holds.holdForSync("kitsu", "p2", null);
        ProjectHold otherTracker = holds.tryHoldForBatch("shotgrid", "p1");
        holds.releaseBatches("kitsu");
        assertFalse(holds.held("kitsu", "p1"));
        assertTrue(holds.held("kitsu", "p2"), "a pass's hold is the full sync's to release");
        assertTrue(holds.held("shotgrid", "p1"), "another tracker's journal");
        assertNotNull(holds.tryHoldForBatch("kitsu", "p1"));
        holds.release(failedBatch);
        assertTrue(holds.held("kitsu", "p1"), "a stale release does not take the next holder's hold");
        holds.releaseSync(pass);
        holds.release(otherTracker);
    }
}
