package io.avalonsync.cluster;

import java.util.concurrent.ExecutorService;

import org.apache.camel.component.zookeeper.ZooKeeperCuratorHelper;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;

/**
 * Camel's ZooKeeper cluster service, started once the Camel context has started (ClusterServices.whenStarted), with a
 * Curator client of its own so that this node reacts to a suspended connection or an expired session
 * (ZooKeeperSessionGuard): the service keeps the client it makes for itself private.
 */
final class GuardedZooKeeperClusterService extends ZooKeeperClusterService {

    private CuratorFramework client;
    private ExecutorService reactions;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // before any route asks for a view: the views are made on the service's client, which is then this one
        reactions = getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "ZooKeeperSession");
        ZooKeeperSessionGuard guard = new ZooKeeperSessionGuard(getCamelContext(), reactions);
        client = ZooKeeperCuratorHelper.createCurator(getConfiguration());
        client.getConnectionStateListenable().addListener((curator, state) -> guard.stateChanged(state));
        client.start();
        setCuratorFramework(client);
    }

    @Override
    protected void doStart() throws Exception {
        ClusterServices.whenStarted(getCamelContext(), super::doStart);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (reactions != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(reactions);
        }
        if (client != null) {
            client.close();
        }
    }
}
