package io.avalonsync;

import java.util.Map;
import java.util.TreeMap;

import io.avalonsync.sitesync.SiteSyncShutdown;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line when a stop begins (what is still running, and how long it may take) and one when it is over (finished
 * or cut at the timeout, and what site sync gave back); tells site sync when the stop begins and when the routes
 * are down ({@link SiteSyncShutdown}). Camel's shutdown strategy does the stopping
 * ({@code camel.main.shutdown-timeout}, from {@code sync.shutdown-timeout}): consumers first, so the schedules and
 * listeners take no new work, then it waits for the exchanges in flight.
 */
final class ShutdownLog extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownLog.class);

    private final SiteSyncShutdown siteSync;
    private volatile long startedNanos;
    private volatile String runningAtStart = "";

    ShutdownLog(SiteSyncShutdown siteSync) {
        this.siteSync = siteSync;
        // only the context's own events: no event object is made per exchange, route or step
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent
                || event instanceof CamelEvent.CamelContextRoutesStoppedEvent
                || event instanceof CamelEvent.CamelContextStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextEvent) event).getContext();
        ShutdownStrategy strategy = context.getShutdownStrategy();
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            siteSync.begin(context);
            startedNanos = System.nanoTime();
            runningAtStart = running(context);
            LOG.info("stopping: no new work is taken; waiting up to {} s for {}", strategy.getTimeUnit().toSeconds(
                    strategy.getTimeout()), runningAtStart.isEmpty() ? "nothing (idle)" : runningAtStart);
        } else if (event instanceof CamelEvent.CamelContextRoutesStoppedEvent) {
            siteSync.routesStopped();
        } else {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            String work = runningAtStart.isEmpty() ? "nothing was running"
                    : strategy.hasTimeoutOccurred() ? "cut at the timeout: " + runningAtStart + " (the next start redoes it)"
                    : "finished: " + runningAtStart;
            LOG.info("stopped in {} s: {}; {}", String.format("%.1f", seconds), work, siteSync.summary());
        }
    }

    /** Exchanges in flight per route they are in, e.g. "sitesync-run 1, sitesync-transfer 2". */
    private static String running(CamelContext context) {
        InflightRepository inflight = context.getInflightRepository();
        Map<String, Integer> byRoute = new TreeMap<>();
        context.getRoutes().forEach(r -> {
            int n = inflight.size(r.getRouteId());
            if (n > 0) {
                byRoute.put(r.getRouteId(), n);
            }
        });
        StringBuilder s = new StringBuilder();
        byRoute.forEach((route, n) -> s.append(s.length() == 0 ? "" : ", ").append(route).append(' ').append(n));
        return s.toString();
    }
}
