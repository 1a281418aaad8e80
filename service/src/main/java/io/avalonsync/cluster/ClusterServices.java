package io.avalonsync.cluster;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.avalonsync.config.ClusterSettings;
import io.avalonsync.config.Settings;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;

/**
 * The Camel cluster service behind the routes' {@code master:} endpoints, as {@code sync.cluster} chooses it. Camel
 * Main (4.17) has no {@code camel.cluster.*} keys of its own (only the Spring Boot and Quarkus starters do), so the
 * service is built here from the {@code sync.cluster.*} keys (ClusterSettings); one knob, {@code sync.cluster.lease}, sets how long a
 * killed leader keeps its groups on every kind.
 */
public final class ClusterServices {

    private ClusterServices() {
    }

    /** A new, unstarted service of the chosen kind, its member id the node id. */
    public static CamelClusterService create(Settings settings) {
        ClusterSettings cluster = settings.cluster();
        String problem = cluster.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String id = cluster.nodeId();
        long lease = cluster.leaseMillis();
        // File and ZooKeeper elect only once the Camel context has started (the start of the service is put off to
        // then): a master: route started its delegate as soon as it led, and a timer started while the context was
        // still starting could miss Camel's started signal and never fire (see SingleNodeClusterService)
        switch (cluster.kind()) {
            case "file": {
                // the leader rewrites its heartbeat every interval; followers take over after 5 intervals without one
                FileLockClusterService file = new FileLockClusterService() {
                    @Override
                    protected void doStart() throws Exception {
                        whenStarted(getCamelContext(), super::doStart);
                    }
                };
                file.setId(id);
                file.setRoot(cluster.fileRoot());
                long interval = Math.max(100, lease / 5);
                file.setAcquireLockInterval(interval, TimeUnit.MILLISECONDS);
                file.setAcquireLockDelay(interval, TimeUnit.MILLISECONDS);
                file.setHeartbeatTimeoutMultiplier(5);
                return file;
            }
            case "zookeeper": {
                // a killed leader's ephemeral node goes when its session expires (the server bounds the timeout to
                // 2 to 20 ticks of its own tickTime)
                // and stops this node's singletons while its connection is down (ZooKeeperSessionGuard)
                ZooKeeperClusterService zookeeper = new GuardedZooKeeperClusterService();
                zookeeper.setId(id);
                zookeeper.setNodes(cluster.zookeeperNodes());
                zookeeper.setBasePath(cluster.zookeeperBasePath());
                zookeeper.setSessionTimeout(lease); // ms
                zookeeper.setConnectTimeout(Math.min(lease, 15_000));
                return zookeeper;
            }
            case "kubernetes": {
                // one Lease per group, named <lease-name>-<group>, held by the pod (= node id)
                KubernetesClusterService kubernetes = new KubernetesClusterService(new KubernetesConfiguration());
                kubernetes.setId(id);
                kubernetes.setPodName(id);
                kubernetes.setLeaseResourceType(LeaseResourceType.Lease);
                kubernetes.setKubernetesResourceName(cluster.kubernetesLeaseName());
                String namespace = cluster.kubernetesNamespace();
                if (namespace != null) {
                    kubernetes.setNamespace(namespace);
                    kubernetes.setKubernetesResourcesNamespace(namespace);
                }
                String master = cluster.kubernetesMasterUrl();
                if (master != null) {
                    kubernetes.setMasterUrl(master);
                }
                kubernetes.setClusterLabels(Map.of("app", cluster.kubernetesAppLabel()));
                kubernetes.setLeaseDurationMillis(lease);
                kubernetes.setRenewDeadlineMillis(lease * 2 / 3);
                kubernetes.setRetryPeriodMillis(Math.max(200, lease / 6));
                return kubernetes;
            }
            default:
                return new SingleNodeClusterService(id);
        }
    }

    /** What may not run before the context counts as started (its status, which Camel sets after its listeners). */
    public interface StartStep {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} on a thread of its own once the context's status is Started: a master: route's delegate
     * started before that can miss Camel's started signal and never fire (Camel calls its startup listeners before
     * the status changes, so a listener is too early).
     */
    public static void whenStarted(org.apache.camel.CamelContext context, StartStep step) {
        Thread waiter = new Thread(() -> {
            try {
                if (awaitStarted(context)) {
                    step.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ClusterServices.class).error("cluster service did not start: {}",
                        io.avalonsync.sync.Failures.describe(e));
            }
        }, "avalon-sync-cluster-start");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Waits until the context's status is Started; false if it is stopping or stopped instead. */
    static boolean awaitStarted(org.apache.camel.CamelContext context) throws InterruptedException {
        while (!context.getStatus().isStarted()) {
            if (context.getStatus().isStopping() || context.getStatus().isStopped()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
