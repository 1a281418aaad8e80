package io.avalonsync.cluster;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.SyncHarness;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A node whose ZooKeeper session expires (a long pause, a network cut) is no longer the leader: it must stop its
 * singleton routes while the other node takes over, and join the election again, so that it can lead once the
 * other node's session goes too. Before ZooKeeperSessionGuard the old leader kept its journal processor running
 * beside the new leader's, and after the second expiry no node led. The second expiry comes a second after the
 * other node took over, while Camel's task that started its singletons still runs: that task's later attempts
 * started them again on a node that no longer led (application.properties, camel.component.master.*).
 */
class ZooKeeperSessionLossTest {

    private static final long WAIT = 60_000;
    /** How long Camel's start task lives after the leadership was taken (its budget's default duration). */
    private static final long START_TASK_LIFETIME = 6_000;
    private static final String GROUP = "kitsu";

    @Test
    void aNodeWhoseSessionExpiresStopsItsSingletonsAndLeadsAgainLater(@TempDir Path dir) throws Exception {
        try (ZooKeeperProcess zk = ZooKeeperProcess.start(dir);
             SyncHarness h = SyncHarness.demo(Map.of("sync.cluster", "zookeeper",
                     "sync.cluster.zookeeper.nodes", zk.connectString(), "sync.cluster.lease", "5"))) {
            AvalonSyncApp first = h.appWithEvents(Map.of("sync.node-id", "node-a"));
            await("node-a leads and runs the journal processor", WAIT,
                    () -> leads(first) && processors(first) == 1);
            AvalonSyncApp second = h.anotherNode(true, Map.of("sync.node-id", "node-b"));
            await("node-b joined the election", WAIT, () -> cluster(second).getNamespaces().contains(GROUP));

            // node-a's ZooKeeper session expires: node-a stops its journal processor, node-b takes over
            expireSession(first, zk);
            await("node-b leads and runs the only journal processor", WAIT,
                    () -> leads(second) && processors(second) == 1 && processors(first) == 0, () -> state(first, second));
            await("node-a back in the election", WAIT, () -> candidates(second) == 2, () -> state(first, second));
            // right after, node-b's session expires too, while Camel's task that started its processor is still alive
            expireSession(second, zk);
            await("node-a leads again and runs the journal processor", WAIT,
                    () -> leads(first) && processors(first) == 1, () -> state(first, second));

            // for as long as node-b's start task could still run, node-b never runs a processor again
            long until = System.currentTimeMillis() + START_TASK_LIFETIME;
            while (System.currentTimeMillis() < until) {
                if (processors(second) > 0) {
                    fail("node-b runs the journal processor without leading: " + state(first, second));
                }
                Thread.sleep(100); // the pace of the observation, not a wait for anything
            }
            assertTrue(leads(first) && processors(first) == 1, state(first, second));
        }
    }

    /**
     * Ends the node's ZooKeeper session from the server's side, as a long pause or a network cut does: a second
     * client joins the session with its id and password and closes it. The node sees its session expire, loses its
     * leaderships and joins the election again with a new session.
     */
    private static void expireSession(AvalonSyncApp node, ZooKeeperProcess zk) throws Exception {
        // the service's own client (the configuration's getter only returns a client given to it)
        Field client = ZooKeeperClusterService.class.getDeclaredField("curator");
        client.setAccessible(true);
        ZooKeeper session = ((CuratorFramework) client.get(cluster(node).unwrap(ZooKeeperClusterService.class)))
                .getZookeeperClient().getZooKeeper();
        CountDownLatch joined = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(zk.connectString(), 5_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                joined.countDown();
            }
        }, session.getSessionId(), session.getSessionPasswd());
        try {
            assertTrue(joined.await(WAIT, TimeUnit.MILLISECONDS), "joined the node's ZooKeeper session");
        } finally {
            twin.close();
        }
    }

    /** Nodes in the group's election, as ZooKeeper lists them (the view is released again: held, it would not stop). */
    private static int candidates(AvalonSyncApp node) {
        try {
            CamelClusterView view = cluster(node).getView(GROUP);
            try {
                return view.getMembers().size();
            } finally {
                cluster(node).releaseView(view);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CamelClusterService cluster(AvalonSyncApp node) {
        return ClusterServiceHelper.lookupService(node.context()).orElseThrow();
    }

    private static boolean leads(AvalonSyncApp node) {
        return cluster(node).isLeader(GROUP);
    }

    /** Consumers of the Kitsu journal processor's queue on this node: 1 while it runs, 0 while it does not. */
    private static int processors(AvalonSyncApp node) {
        CamelContext context = node.context();
        int consumers = 0;
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof SedaEndpoint seda && "kitsu-journal-wakeup".equals(seda.getName())) {
                consumers += seda.getConsumers().size();
            }
        }
        return consumers;
    }

    private static String state(AvalonSyncApp first, AvalonSyncApp second) {
        return "node-a leads " + leads(first) + ", processors " + processors(first) + "; node-b leads " + leads(second)
                + ", processors " + processors(second);
    }
}
