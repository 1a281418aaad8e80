package io.avalonsync.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.avalonsync.sync.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.master.MasterEndpoint;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does when its ZooKeeper connection is suspended or its session expires. Curator gives up a
 * leadership then, but Camel's ZooKeeper view (4.17) ends its election listener without telling the {@code master:}
 * consumers (it asks ZooKeeper for the new leader while the connection is down) and without joining the election
 * again: a leader that lost its session kept its singleton routes running beside the new leader's, and once every
 * node's session had expired no node led. So the guard stops the node's started singleton routes (work in flight
 * finishes as at any route stop), and starts them again once the connection is back: their views join the election
 * again with the new session. README "Running more than one node"; ZooKeeperSessionLossTest.
 */
final class ZooKeeperSessionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperSessionGuard.class);

    private final CamelContext context;
    /** Route stops wait for work in flight: never on Curator's event thread. */
    private final ExecutorService reactions;
    /** The singleton routes this guard stopped, to start again; touched only on the reactions thread. */
    private final Set<String> stopped = new LinkedHashSet<>();

    ZooKeeperSessionGuard(CamelContext context, ExecutorService reactions) {
        this.context = context;
        this.reactions = reactions;
    }

    /** Curator's connection state listener. */
    void stateChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> reactions.execute(() -> stopSingletons(state));
            case RECONNECTED -> reactions.execute(this::startSingletons);
            default -> {
                // CONNECTED (the first connection) and READ_ONLY change nothing
            }
        }
    }

    private void stopSingletons(ConnectionState state) {
        List<String> now = new ArrayList<>();
        for (Route route : List.copyOf(context.getRoutes())) {
            String id = route.getRouteId();
            if (route.getEndpoint() instanceof MasterEndpoint
                    && context.getRouteController().getRouteStatus(id).isStarted()) {
                try {
                    context.getRouteController().stopRoute(id);
                    stopped.add(id);
                    now.add(id);
                } catch (Exception e) {
                    LOG.error("ZooKeeper connection {}: singleton route {} did not stop: {}", state, id,
                            Failures.describe(e));
                }
            }
        }
        if (!now.isEmpty()) {
            LOG.warn("ZooKeeper connection {}: this node no longer counts as leader; its singleton routes {} stopped"
                    + " until it is connected again", state, now);
        }
    }

    private void startSingletons() {
        if (stopped.isEmpty()) {
            return;
        }
        // a connection back while the context is still starting: the routes start once it has
        try {
            if (!ClusterServices.awaitStarted(context)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<String> started = new ArrayList<>();
        for (String id : List.copyOf(stopped)) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().startRoute(id);
                    started.add(id);
                }
                stopped.remove(id);
            } catch (Exception e) {
                LOG.error("ZooKeeper connection back: singleton route {} did not start: {}", id, Failures.describe(e));
            }
        }
        LOG.info("ZooKeeper connection back: singleton routes {} joined the election again", started);
    }
}
