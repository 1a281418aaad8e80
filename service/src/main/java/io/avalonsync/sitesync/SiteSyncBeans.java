package io.avalonsync.sitesync;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;

import com.mongodb.client.MongoClient;
import io.avalonsync.config.SiteSyncSettings;

/**
 * The site sync beans, wired together from the typed settings ({@link SiteSyncSettings}): {@link SitePasses},
 * {@link SiteTransfers}, {@link SiteSyncShutdown}, {@link SiteSyncOps}, and {@link SiteQueue} for the status page
 * and {@code /metrics}. AppConfiguration binds each under its class name (routes/sitesync.camel.yaml names them so),
 * whether or not site sync is enabled (the status page and the operations API read the queue either way), but
 * nothing touches Drive before the first transfer: the service starts without Drive credentials.
 */
public final class SiteSyncBeans {

    private final SiteRecords records;
    private final SiteQueue queue;
    private final String node;
    private final SiteSyncShutdown shutdown;
    private final SitePasses passes;
    private final SiteTransfers transfers;
    private final SiteSyncOps ops;

    public SiteSyncBeans(SiteSyncSettings settings, MongoClient client, String avalonDb) {
        records = new SiteRecords(client, avalonDb, settings.activeSite(), settings.remoteSite(), settings.retryCount());
        queue = new SiteQueue(records);
        SiteClaims claims = new SiteClaims(records);
        SiteOutcomes outcomes = new SiteOutcomes(records);
        RootPaths localRoots = RootPaths.fromProperties(settings.localRoots(), "sitesync.roots.");
        RootPaths remoteRoots = RootPaths.fromProperties(settings.remoteRoots(), "gdrive.roots.");
        DriveClients clients = new DriveClients(settings.credentials(), settings.apiUrl());
        clients.setChunkRetries(new ChunkRetries(settings.chunkRetries(), settings.chunkRetryDelayMillis(),
                settings.chunkMaxRetryDelayMillis()));
        node = nodeId(settings.localId());
        // a graceful stop: transfers not begun are not started, running ones are cut before the timeout, claims go back
        shutdown = new SiteSyncShutdown(queue, claims, node, settings.enabled());
        clients.setRequestGate(shutdown);
        passes = new SitePasses(queue, claims, outcomes, remoteRoots, node, settings.lease(), settings.batchSize());
        transfers = new SiteTransfers(localRoots, remoteRoots, clients, settings.chunkSize(), outcomes,
                settings.loopDelay(), records.retryCount());
        ops = new SiteSyncOps(records, queue, new SiteAdmin(records), settings.enabled(), node);
    }

    public SitePasses passes() {
        return passes;
    }

    public SiteTransfers transfers() {
        return transfers;
    }

    public SiteSyncShutdown shutdown() {
        return shutdown;
    }

    public SiteSyncOps ops() {
        return ops;
    }

    public SiteQueue queue() {
        return queue;
    }

    public SiteRecords records() {
        return records;
    }

    /** This node's claim id. */
    public String node() {
        return node;
    }

    /** {@code <sitesync.local-id>@<host>}: stable across restarts of this service on this machine. */
    public static String nodeId(String localId) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "localhost");
        }
        return localId + "@" + host;
    }
}
