package io.avalonsync.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/** Several nodes: {@code sync.cluster*} and {@code sync.node-id} of application.properties (section "Several nodes"). */
public final class ClusterSettings {

    public static final List<String> KINDS = List.of("none", "file", "zookeeper", "kubernetes");

    static final Key KIND = Key.text("sync.cluster"); // checked with the lease in problem(), one line for both
    static final Key NODE_ID = Key.text("sync.node-id");
    static final Key LEASE = Key.text("sync.cluster.lease");
    static final Key FILE_ROOT = Key.text("sync.cluster.file.root");
    static final Key ZOOKEEPER_NODES = Key.text("sync.cluster.zookeeper.nodes");
    static final Key ZOOKEEPER_BASE_PATH = Key.text("sync.cluster.zookeeper.base-path");
    static final Key KUBERNETES_NAMESPACE = Key.text("sync.cluster.kubernetes.namespace");
    static final Key KUBERNETES_LEASE_NAME = Key.text("sync.cluster.kubernetes.lease-name");
    static final Key KUBERNETES_MASTER_URL = Key.text("sync.cluster.kubernetes.master-url");
    static final Key KUBERNETES_APP_LABEL = Key.text("sync.cluster.kubernetes.app-label");

    static final List<Key> KEYS = List.of(KIND, NODE_ID, LEASE, FILE_ROOT, ZOOKEEPER_NODES, ZOOKEEPER_BASE_PATH,
            KUBERNETES_NAMESPACE, KUBERNETES_LEASE_NAME, KUBERNETES_MASTER_URL, KUBERNETES_APP_LABEL);

    private final Settings settings;

    ClusterSettings(Settings settings) {
        this.settings = settings;
    }

    /** {@code sync.cluster}, lower case. */
    public String kind() {
        return settings.get(KIND.name()).toLowerCase(Locale.ROOT);
    }

    /** {@code sync.node-id}, else the host name (a container's or pod's own name). */
    public String nodeId() {
        String id = settings.get(NODE_ID.name());
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
    public long leaseMillis() {
        return Math.max(500, Math.round(Double.parseDouble(settings.get(LEASE.name())) * 1000));
    }

    public String fileRoot() {
        return settings.get(FILE_ROOT.name());
    }

    public String zookeeperNodes() {
        return settings.get(ZOOKEEPER_NODES.name());
    }

    public String zookeeperBasePath() {
        return settings.get(ZOOKEEPER_BASE_PATH.name());
    }

    /** Null: the pod's own namespace. */
    public String kubernetesNamespace() {
        return settings.get(KUBERNETES_NAMESPACE.name());
    }

    public String kubernetesLeaseName() {
        return settings.get(KUBERNETES_LEASE_NAME.name());
    }

    /** Null: the API server the pod's service account points at. */
    public String kubernetesMasterUrl() {
        return settings.get(KUBERNETES_MASTER_URL.name());
    }

    public String kubernetesAppLabel() {
        return settings.get(KUBERNETES_APP_LABEL.name());
    }

    /** What is missing or wrong for the chosen kind, as one line naming the key, or null. */
    public String problem() {
        String kind = kind();
        if (!KINDS.contains(kind)) {
            return "sync.cluster must be one of " + String.join(", ", KINDS) + " (was '" + kind + "')";
        }
        try {
            if (Double.parseDouble(settings.get(LEASE.name())) <= 0) {
                return "sync.cluster.lease must be a positive number of seconds";
            }
        } catch (NumberFormatException e) {
            return "sync.cluster.lease must be a number of seconds (was '" + settings.get(LEASE.name()) + "')";
        }
        if (kind.equals("file") && fileRoot() == null) {
            return "sync.cluster is file but sync.cluster.file.root is empty: set a folder every node shares";
        }
        if (kind.equals("zookeeper") && zookeeperNodes() == null) {
            return "sync.cluster is zookeeper but sync.cluster.zookeeper.nodes is empty: set host:port[,host:port...]";
        }
        return null;
    }

    void check(Checks checks) {
        String problem = problem();
        if (problem != null) {
            String key = problem.contains(LEASE.name()) ? LEASE.name() : KIND.name();
            checks.problem(checks.effectiveLine(key), problem);
        }
    }
}
