package io.avalonsync.cluster;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * service is built here from the {@code sync.cluster.*} keys; one knob, {@code sync.cluster.lease}, sets how long a
 * killed leader keeps its groups on every kind.
 */
public final class ClusterServices {

    public static final List<String> KINDS = List.of("none", "file", "zookeeper", "kubernetes");
    public static final String DEFAULT_LEASE = "15";

    private ClusterServices() {
    }

    /** {@code sync.cluster}, lower case; {@code none} when empty. */
    public static String kind(Settings settings) {
        return settings.get("sync.cluster", "none").toLowerCase(Locale.ROOT);
    }

    /** {@code sync.node-id}, else the host name (a container's or pod's own name). */
    public static String nodeId(Settings settings) {
        String id = settings.get("sync.node-id");
        if (id != null) {
            return id;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** {@code sync.cluster.lease} in ms (seconds in the file; decimals allowed, so tests can make it short). */
    public static long leaseMillis(Settings settings) {
        return Math.max(500, Math.round(Double.parseDouble(settings.get("sync.cluster.lease", DEFAULT_LEASE)) * 1000));
    }

    /** What is missing or wrong for the chosen kind, as one line naming the key, or null. */
    public static String problem(Settings settings) {
        String kind = kind(settings);
        if (!KINDS.contains(kind)) {
            return "sync.cluster must be one of " + String.join(", ", KINDS) + " (was '" + kind + "')";
        }
        try {
            if (Double.parseDouble(settings.get("sync.cluster.lease", DEFAULT_LEASE)) <= 0) {
                return "sync.cluster.lease must be a positive number of seconds";
            }
        } catch (NumberFormatException e) {
            return "sync.cluster.lease must be a number of seconds (was '" + settings.get("sync.cluster.lease") + "')";
        }
        if (kind.equals("file") && !settings.has("sync.cluster.file.root")) {
            return "sync.cluster is file but sync.cluster.file.root is empty: set a folder every node shares";
        }
        if (kind.equals("zookeeper") && !settings.has("sync.cluster.zookeeper.nodes")) {
            return "sync.cluster is zookeeper but sync.cluster.zookeeper.nodes is empty: set host:port[,host:port...]";
        }
        return null;
    }

    /** A new, unstarted service of the chosen kind, its member id the node id. */
    public static CamelClusterService create(Settings settings) {
        String problem = problem(settings);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String id = nodeId(settings);
        long lease = leaseMillis(settings);
        // File and ZooKeeper elect only once the Camel context has started (the start of the service is put off to
        // then): a master: route started its delegate as soon as it led, and a timer started while the context was
        // still starting could miss Camel's started signal and never fire (see SingleNodeClusterService)
        switch (kind(settings)) {
            case "file": {
                // the leader rewrites its heartbeat every interval; followers take over after 5 intervals without one
                FileLockClusterService file = new FileLockClusterService() {
                    @Override
                    protected void doStart() throws Exception {
                        whenStarted(getCamelContext(), super::doStart);
                    }
                };
                file.setId(id);
                file.setRoot(settings.get("sync.cluster.file.root"));
                long interval = Math.max(100, lease / 5);
                file.setAcquireLockInterval(interval, TimeUnit.MILLISECONDS);
                file.setAcquireLockDelay(interval, TimeUnit.MILLISECONDS);
                file.setHeartbeatTimeoutMultiplier(5);
                return file;
            }
            case "zookeeper": {
                // a killed leader's ephemeral node goes when its session expires (the server bounds the timeout to
                // 2 to 20 ticks of its own tickTime)
                ZooKeeperClusterService zookeeper = new ZooKeeperClusterService() {
                    @Override
                    protected void doStart() throws Exception {
                        whenStarted(getCamelContext(), super::doStart);
                    }
                };
                zookeeper.setId(id);
                zookeeper.setNodes(settings.get("sync.cluster.zookeeper.nodes"));
                zookeeper.setBasePath(settings.get("sync.cluster.zookeeper.base-path", "/avalon-sync"));
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
                kubernetes.setKubernetesResourceName(settings.get("sync.cluster.kubernetes.lease-name", "avalon-sync"));
                String namespace = settings.get("sync.cluster.kubernetes.namespace");
                if (namespace != null) {
                    kubernetes.setNamespace(namespace);
                    kubernetes.setKubernetesResourcesNamespace(namespace);
                }
                String master = settings.get("sync.cluster.kubernetes.master-url");
                if (master != null) {
                    kubernetes.setMasterUrl(master);
                }
                kubernetes.setClusterLabels(Map.of("app", settings.get("sync.cluster.kubernetes.app-label", "avalon-sync")));
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
                while (!context.getStatus().isStarted()) {
                    if (context.getStatus().isStopping() || context.getStatus().isStopped()) {
                        return;
                    }
                    Thread.sleep(20);
                }
                step.run();
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
}
