package io.avalonsync.cluster;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.result.UpdateResult;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running nodes, as each one records itself in {@code sync.state-db} (collection {@code nodes}, {@code _id} = node
 * id): host, pid, cluster kind, the singleton groups it leads, and a heartbeat. It elects nothing (the cluster service
 * does); it makes a node id unique among running nodes, so that two processes started with one id are refused, and lets
 * every node show which node leads what.
 */
public final class NodeRegistry extends ServiceSupport implements CamelContextAware {

    public static final String COLLECTION = "nodes";
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    private final MongoCollection<Document> nodes;
    private final String nodeId;
    private final String kind;
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final String instance = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private final long heartbeatMillis;
    private final long staleMillis;
    private CamelContext context;
    private AutoCloseable client;
    private ScheduledExecutorService timer;
    private volatile boolean claimed;
    private volatile String conflict;

    /**
     * @param leaseMillis a record older than this is a node that is gone; the heartbeat comes three times as often
     */
    public NodeRegistry(MongoCollection<Document> nodes, String nodeId, String kind, long leaseMillis) {
        this.nodes = nodes;
        this.nodeId = nodeId;
        this.kind = kind;
        this.staleMillis = leaseMillis;
        this.heartbeatMillis = Math.max(200, leaseMillis / 3);
    }

    /** The registry of the node {@code settings} describe, on its own connection to {@code sync.state-db}. */
    public static NodeRegistry open(io.avalonsync.config.Settings settings) {
        int timeout = Integer.parseInt(settings.get("avalon.mongo-timeout", "5000"));
        com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(settings.get("avalon.mongo-uri")))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                .applicationName("avalon-sync").build());
        NodeRegistry registry = new NodeRegistry(client.getDatabase(settings.get("sync.state-db", "avalon_sync"))
                .getCollection(COLLECTION), ClusterServices.nodeId(settings), ClusterServices.kind(settings),
                ClusterServices.leaseMillis(settings));
        registry.client = client;
        return registry;
    }

    /** Closes the registry's own connection (after a refused claim; a started registry closes it when stopped). */
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.debug("closing the node registry's connection: {}", e.toString());
            }
            client = null;
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public String kind() {
        return kind;
    }

    /** Set when another process has taken this node's id over (this one looked dead to it), else null. */
    public String conflict() {
        return conflict;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /**
     * Records this process under the node id. A record of another process that is still alive refuses the id: at once
     * when it is on this host (its pid is alive), else after waiting up to the lease for its heartbeat to stop (a node
     * killed on another host and restarted here).
     *
     * @return null when the id is this node's now, else why not, naming the other process
     */
    public String claim() throws InterruptedException {
        if (claimed) {
            return null;
        }
        long deadline = System.currentTimeMillis() + staleMillis + heartbeatMillis;
        boolean told = false;
        while (true) {
            Document existing = nodes.find(Filters.eq("_id", nodeId)).first();
            if (existing == null || free(existing)) {
                Document record = record(Map.of());
                try {
                    if (existing == null) {
                        nodes.insertOne(record);
                    } else {
                        // only the record we judged gone is replaced; a racing process makes this match nothing
                        UpdateResult replaced = nodes.replaceOne(Filters.and(Filters.eq("_id", nodeId),
                                Filters.eq("instance", existing.get("instance"))), record);
                        if (replaced.getMatchedCount() == 0) {
                            continue;
                        }
                    }
                    claimed = true;
                    return null;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                        continue; // another process with this id inserted first: look at its record
                    }
                    throw e;
                }
            }
            if (host.equals(existing.getString("host")) || System.currentTimeMillis() >= deadline) {
                return "node id '" + nodeId + "' is already used by a running node (" + describe(existing)
                        + "): give each node its own sync.node-id (empty = the host name)";
            }
            if (!told) {
                LOG.warn("node id '{}' is used by {}: waiting up to {} s for it to stop", nodeId, describe(existing),
                        (deadline - System.currentTimeMillis()) / 1000);
                told = true;
            }
            Thread.sleep(Math.min(heartbeatMillis, 500));
        }
    }

    /** Gone: stopped, silent for longer than the lease, or a process of this host that no longer runs. */
    private boolean free(Document record) {
        if (Boolean.TRUE.equals(record.getBoolean("stopped")) || instance.equals(record.getString("instance"))) {
            return true;
        }
        Date seen = record.getDate("seen");
        if (seen == null || System.currentTimeMillis() - seen.getTime() > staleMillis) {
            return true;
        }
        if (host.equals(record.getString("host")) && record.get("pid") instanceof Number other) {
            // a container restarted with the same hostname runs as the same pid (1) again
            return other.longValue() == pid || ProcessHandle.of(other.longValue()).map(p -> !p.isAlive()).orElse(true);
        }
        return false;
    }

    private static String describe(Document record) {
        Date seen = record.getDate("seen");
        return "host " + record.getString("host") + ", pid " + record.get("pid")
                + (seen == null ? "" : ", last seen " + Duration.between(seen.toInstant(), Instant.now()).toMillis() / 100 / 10.0 + " s ago");
    }

    private Document record(Map<String, Boolean> groups) {
        List<String> leads = groups.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        return new Document("_id", nodeId).append("instance", instance).append("host", host).append("pid", pid)
                .append("cluster", kind).append("started", Date.from(started)).append("seen", new Date())
                .append("groups", new ArrayList<>(groups.keySet())).append("leads", leads).append("stopped", false);
    }

    @Override
    protected void doStart() throws Exception {
        String refused;
        try {
            refused = claim();
        } catch (com.mongodb.MongoException e) {
            refused = null; // MongoDB away: the heartbeat claims the id once it answers
            LOG.debug("node record not claimed yet: {}", e.toString());
        }
        if (refused != null) {
            throw new IllegalStateException(refused);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "avalon-sync-node-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** Seen now, leading what it leads now; a record taken over by another process is left to it. */
    void heartbeat() {
        if (!claimed) {
            try {
                String refused = claim();
                if (refused != null && conflict == null) {
                    conflict = refused;
                    LOG.error(refused);
                }
            } catch (RuntimeException e) {
                LOG.debug("node record not claimed yet: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            Document record = record(context == null ? Map.of() : Leadership.of(context));
            record.remove("_id");
            record.remove("started");
            UpdateResult r = nodes.updateOne(Filters.and(Filters.eq("_id", nodeId), Filters.eq("instance", instance)),
                    new Document("$set", record));
            if (r.getMatchedCount() == 0 && conflict == null) {
                Document other = nodes.find(Filters.eq("_id", nodeId)).first();
                conflict = "node id '" + nodeId + "' was taken by another process"
                        + (other == null ? "" : " (" + describe(other) + ")") + " while this one looked stopped";
                LOG.error("{}: give each node its own sync.node-id", conflict);
            }
        } catch (RuntimeException e) {
            LOG.debug("node heartbeat not written: {}", e.toString());
        }
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (claimed) {
            try {
                // a stopped node frees its id at once and leads nothing
                nodes.updateOne(Filters.and(Filters.eq("_id", nodeId), Filters.eq("instance", instance)),
                        new Document("$set", new Document("stopped", true).append("leads", List.of()).append("seen", new Date())));
            } catch (RuntimeException e) {
                LOG.debug("node record not marked stopped: {}", e.toString());
            }
            claimed = false;
        }
        close();
    }

    /** The recorded nodes, running ones first, each with {@code alive}. */
    public List<Document> nodes() {
        List<Document> all = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Document d : nodes.find().sort(Sorts.ascending("_id"))) {
            Date seen = d.getDate("seen");
            boolean alive = !Boolean.TRUE.equals(d.getBoolean("stopped")) && seen != null && now - seen.getTime() <= staleMillis;
            all.add(d.append("alive", alive));
        }
        all.sort((a, b) -> Boolean.compare(b.getBoolean("alive"), a.getBoolean("alive")));
        return all;
    }

    /** The running node whose record says it leads {@code group}, or null. */
    public String leaderOf(String group, List<Document> nodes) {
        return nodes.stream().filter(d -> d.getBoolean("alive") && d.getList("leads", String.class, List.of()).contains(group))
                .map(d -> d.getString("_id")).findFirst().orElse(null);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
