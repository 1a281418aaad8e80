package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequest;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.spi.ShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Site sync's part of a graceful stop (bean {@code SiteSyncShutdown}). When the service starts stopping, Camel
 * stops the loop and waits for the running pass; from then on:
 * <ul>
 * <li>a claimed transfer that has not begun is not started ({@link #admit}): its claim is given back;</li>
 * <li>running transfers go on until shortly before the shutdown timeout (its last 5 s, at most half of it, are
 * kept for recording), then their next Drive request is refused ({@link #intercept}): between two chunks of an
 * upload or download. A cut download leaves only its temp file, which is deleted; a cut upload leaves an
 * unfinished resumable session, which Drive discards;</li>
 * <li>both end in {@link TransferStoppedException}, which routes/sitesync.camel.yaml hands to {@link #release}:
 * the claim is given back, no attempt counted;</li>
 * <li>once the routes are stopped, any claim this node still holds is given back ({@link SiteClaims#releaseClaims}),
 * so another node or the next start takes the files at once.</li>
 * </ul>
 */
public final class SiteSyncShutdown implements HttpExecuteInterceptor {

    /** Time kept at the end of the shutdown timeout for recording what finished and giving claims back. */
    static final Duration RECORDING_MARGIN = Duration.ofSeconds(5);
    private static final String TRANSFER_ROUTE = "sitesync-transfer";
    private static final Logger LOG = LoggerFactory.getLogger(SiteSyncShutdown.class);

    private final SiteQueue queue;
    private final SiteClaims claims;
    private final String node;
    private final boolean enabled;
    private volatile boolean stopping;
    private volatile Instant stopTransfersAt;
    private volatile int runningAtStop;
    private volatile long leftOver = -1;
    private final AtomicInteger notStarted = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();

    public SiteSyncShutdown(SiteQueue queue, SiteClaims claims, String node, boolean enabled) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.node = Objects.requireNonNull(node, "node");
        this.enabled = enabled;
    }

    /** The service starts stopping (ShutdownLog calls it first thing): Camel's shutdown timeout is the budget. */
    public void begin(CamelContext context) {
        ShutdownStrategy strategy = context.getShutdownStrategy();
        begin(Duration.ofMillis(strategy.getTimeUnit().toMillis(strategy.getTimeout())),
                context.getInflightRepository().size(TRANSFER_ROUTE));
    }

    /** Every route has stopped (ShutdownLog calls it): give back what this node still holds. */
    public void routesStopped() {
        if (enabled) {
            releaseLeftOvers();
        }
    }

    /** The service is stopping: no new transfer starts, running ones may go on until shortly before the timeout. */
    public void begin(Duration shutdownTimeout, int running) {
        Duration margin = RECORDING_MARGIN.compareTo(shutdownTimeout.dividedBy(2)) < 0 ? RECORDING_MARGIN
                : shutdownTimeout.dividedBy(2);
        stopTransfersAt = Instant.now().plus(shutdownTimeout.minus(margin));
        runningAtStop = running;
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** First step of a transfer: once the service is stopping, a transfer not yet begun is given back instead. */
    public void admit() throws TransferStoppedException {
        if (stopping) {
            notStarted.incrementAndGet();
            throw new TransferStoppedException("not started: the service is stopping");
        }
    }

    /** Every Drive request of this service passes here (DriveClients): refused once transfers must stop. */
    @Override
    public void intercept(HttpRequest request) throws TransferStoppedException {
        Instant at = stopTransfersAt;
        if (at != null && !Instant.now().isBefore(at)) {
            throw new TransferStoppedException("stopped: the service is stopping and its shutdown timeout is near");
        }
    }

    /** The onException step for {@link TransferStoppedException}: the file's claim is given back, no attempt counted. */
    public void release(@Body SiteTransfer t, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        FileTask task = t.getTask();
        try {
            claims.release(task);
            released.incrementAndGet();
            LOG.info("site sync: {} given back for the next start, no attempt counted ({})", task.describe(),
                    cause == null ? "the service is stopping" : cause.getMessage());
        } catch (RuntimeException e) {
            // the claim stays: the next start of this node gives it back
            LOG.warn("site sync: the claim of {} could not be given back now: {}", task.describe(), DriveFaults.describe(e));
        }
    }

    /** After the routes stopped: whatever this node still holds (a transfer cut by a forced stop, say) is given back. */
    private void releaseLeftOvers() {
        try {
            long changed = 0;
            for (String project : queue.projects()) {
                changed += claims.releaseClaims(project, node);
            }
            leftOver = changed;
        } catch (RuntimeException e) {
            LOG.warn("site sync: the claims of {} could not be given back at shutdown (the next start does it): {}",
                    node, DriveFaults.describe(e));
        }
    }

    /** One clause for the shutdown's closing log line. */
    public String summary() {
        if (!enabled) {
            return "site sync off";
        }
        int cut = Math.max(0, released.get() - notStarted.get());
        StringBuilder s = new StringBuilder("site sync: ");
        if (leftOver > 0) {
            // a transfer outlived the timeout: its claim was given back after the routes stopped
            s.append(runningAtStop).append(" transfer(s) running at the stop, ").append(cut).append(" stopped and ")
                    .append(notStarted.get()).append(" not started given back, the claims of ").append(node)
                    .append(" in ").append(leftOver).append(" more representation(s) released");
        } else {
            s.append(Math.max(0, runningAtStop - cut)).append(" running transfer(s) finished, ").append(cut)
                    .append(" stopped and ").append(notStarted.get()).append(" not started, given back");
        }
        return s.toString();
    }
}
