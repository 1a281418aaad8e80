package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pass of site sync, step by step as {@code routes/sitesync.camel.yaml} runs it: {@link #start} makes the pass's
 * state ({@link PassWork}), {@link #select} and {@link #claim} feed the transfer workers round by round, each
 * worker reports back with {@link #transferred}, and {@link #finish} waits for them and returns the summary.
 */
public final class SitePasses {

    /** Claim rounds of batch-size files one selection reads. */
    static final int READ_AHEAD_ROUNDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SitePasses.class);

    private final SiteQueue queue;
    private final SiteClaims claims;
    private final SiteOutcomes outcomes;
    private final RootPaths remoteRoots;
    private final String node;
    private final Duration lease;
    private final int batchSize;
    private final AtomicBoolean recovered = new AtomicBoolean();

    public SitePasses(SiteQueue queue, SiteClaims claims, SiteOutcomes outcomes, RootPaths remoteRoots, String node,
                      Duration lease, int batchSize) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.remoteRoots = Objects.requireNonNull(remoteRoots, "remoteRoots");
        this.node = Objects.requireNonNull(node, "node");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.batchSize = batchSize;
    }

    /**
     * A new pass: its batches are every project, uploads then downloads; none while the service stops (a request
     * queued behind the last pass is answered at once, nothing claimed). The first pass of this process gives back
     * the claims a killed earlier run of this node left behind, so their files are picked up at once.
     */
    public PassWork start(CamelContext context) {
        SiteSyncPass summary = new SiteSyncPass(Instant.now());
        if (context.isStopping()) {
            LOG.info("site sync: pass not started, the service is stopping");
            return new PassWork(outcomes, summary, List.of());
        }
        List<String> projects = queue.projects();
        if (recovered.compareAndSet(false, true)) {
            for (String project : projects) {
                long released = claims.releaseClaims(project, node);
                if (released > 0) {
                    LOG.info("site sync: released {} claim(s) of {} left by an earlier run of {}", released, project, node);
                }
            }
        }
        List<PassBatch> batches = new ArrayList<>();
        for (String project : projects) {
            batches.add(new PassBatch(project, Direction.UPLOAD));
            batches.add(new PassBatch(project, Direction.DOWNLOAD));
        }
        return new PassWork(outcomes, summary, batches);
    }

    /**
     * Up to batch-size due files of the batch that this pass has not taken yet, claimed together next. When nothing
     * new is due the batch has no more. A file is taken once per pass, so a failure whose backoff ends within the
     * pass waits for the next one. Each selection reads {@value #READ_AHEAD_ROUNDS} rounds ahead: it scans the
     * project's representations, which costs the same for 50 files as for 500.
     */
    public List<FileTask> select(@ExchangeProperty("passBatch") PassBatch batch,
                                 @ExchangeProperty(PassWork.PROPERTY) PassWork work) {
        List<FileTask> due = List.of();
        try {
            due = work.nextRound(batch, batchSize, () -> queue.due(batch.getCollection(), batch.getDirection(),
                    batchSize * READ_AHEAD_ROUNDS, Instant.now()));
        } catch (RuntimeException e) {
            // one project's trouble must not stop the others
            batch.done();
            LOG.error("site sync: cannot select {}: {}", batch, DriveFaults.describe(e));
        }
        work.summary().selected(due.size());
        return due;
    }

    /**
     * Claims the selected files for this node, one write per representation: the transfers of the files this node
     * got (another run or node may hold some, or have finished them), handed to the workers next. The uploads'
     * names are noted per remote folder, so that each folder is asked once for what it already holds.
     */
    public List<SiteTransfer> claim(@Body List<FileTask> due, @ExchangeProperty(PassWork.PROPERTY) PassWork work) {
        if (due.isEmpty()) {
            return List.of();
        }
        List<FileTask> claimed;
        try {
            claimed = claims.claim(due, node, lease, Instant.now());
        } catch (RuntimeException e) {
            // not ours: nothing to record on the files (that would touch another node's claim); a later pass tries
            LOG.error("site sync: cannot claim {} file(s) of {}: {}", due.size(), due.get(0).collection(),
                    DriveFaults.describe(e));
            return List.of();
        }
        work.summary().claimed(claimed.size());
        work.handedOver(claimed.size());
        Map<String, Set<String>> names = new HashMap<>();
        List<SiteTransfer> transfers = new ArrayList<>(claimed.size());
        for (FileTask task : claimed) {
            transfers.add(new SiteTransfer(task));
            if (task.direction() == Direction.UPLOAD && task.path() != null && !task.path().isBlank()) {
                try {
                    RootPaths.RemoteFile remote = remoteRoots.remoteFile(task.path());
                    names.computeIfAbsent(remote.folder(), k -> new HashSet<>()).add(remote.name());
                } catch (RuntimeException e) {
                    // a root that is not configured: the transfer fails in prepare and records why
                }
            }
        }
        work.expect(names);
        return transfers;
    }

    /** A transfer handed over by {@link #claim} is back from the workers, done or failed. */
    public void transferred(@ExchangeProperty(PassWork.PROPERTY) PassWork work) {
        work.transferred();
    }

    /**
     * Ends the pass once every file it handed over is back from the workers and recorded; returns and logs the
     * summary. Gives up waiting when the service stops (the files still queued keep their claims until
     * SiteSyncShutdown gives back what this node holds once the routes are down).
     */
    public SiteSyncPass finish(@ExchangeProperty(PassWork.PROPERTY) PassWork work, CamelContext context)
            throws InterruptedException {
        if (!work.awaitTransfers(() -> context.isStopping() || context.isStopped())) {
            LOG.warn("site sync: the service stops; {} transfer(s) of this pass not waited for", work.inFlight());
        }
        work.close();
        SiteSyncPass summary = work.summary();
        summary.finish(Instant.now());
        if (summary.isIdle()) {
            LOG.debug("{}", summary);
        } else {
            LOG.info("{}", summary);
        }
        return summary;
    }
}
