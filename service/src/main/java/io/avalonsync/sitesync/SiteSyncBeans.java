package io.avalonsync.sitesync;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.mongodb.client.MongoClient;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Binds the site sync beans, each under its class name as routes/sitesync.camel.yaml names it: {@link SitePasses},
 * {@link SiteTransfers}, {@link SiteSyncShutdown}, {@link SiteSyncOps}, and {@link SiteQueue} for the status
 * page and {@code /metrics}. They are bound whether or not site sync is enabled (the status page and the operations
 * API read the queue either way), but nothing touches Drive before the first transfer: the service starts without
 * Drive credentials.
 */
public final class SiteSyncBeans {

    private SiteSyncBeans() {
    }

    public static void bind(CamelContext context, MongoClient client) {
        boolean enabled = Boolean.parseBoolean(prop(context, "sitesync.enabled", "false"));
        SiteRecords records = new SiteRecords(client, prop(context, "avalon.db", "avalon"),
                prop(context, "sitesync.active-site", "studio"), prop(context, "sitesync.remote-site", "gdrive"),
                integer(context, "sitesync.retry-count", 3));
        SiteQueue queue = new SiteQueue(records);
        SiteClaims claims = new SiteClaims(records);
        SiteOutcomes outcomes = new SiteOutcomes(records);
        RootPaths localRoots = RootPaths.fromProperties(roots(context, "sitesync.root-names", "sitesync.roots."),
                "sitesync.roots.");
        RootPaths remoteRoots = RootPaths.fromProperties(roots(context, "gdrive.root-names", "gdrive.roots."),
                "gdrive.roots.");
        String apiUrl = prop(context, "gdrive.api-url", "");
        DriveClients clients = new DriveClients(prop(context, "gdrive.credentials", ""), apiUrl.isBlank() ? null : apiUrl);
        ChunkRetries shipped = ChunkRetries.DEFAULT;
        clients.setChunkRetries(new ChunkRetries(integer(context, "gdrive.chunk-retries", shipped.retries()),
                integer(context, "gdrive.chunk-retry-delay", shipped.firstDelayMillis()),
                integer(context, "gdrive.chunk-max-retry-delay", shipped.maxDelayMillis())));
        String node = nodeId(prop(context, "sitesync.local-id", "local_0"));
        // a graceful stop: transfers not begun are not started, running ones are cut before the timeout, claims go back
        SiteSyncShutdown shutdown = new SiteSyncShutdown(queue, claims, node, enabled);
        clients.setRequestGate(shutdown);

        Registry registry = context.getRegistry();
        registry.bind(SitePasses.class.getSimpleName(), new SitePasses(queue, claims, outcomes, remoteRoots, node,
                Duration.ofSeconds(integer(context, "sitesync.lease", 21_600)), integer(context, "sitesync.batch-size", 50)));
        registry.bind(SiteTransfers.class.getSimpleName(), new SiteTransfers(localRoots, remoteRoots, clients,
                integer(context, "gdrive.chunk-size", DriveRemote.DEFAULT_CHUNK_SIZE), outcomes,
                Duration.ofSeconds(integer(context, "sitesync.loop-delay", 60)), records.retryCount()));
        registry.bind(SiteSyncShutdown.class.getSimpleName(), shutdown);
        registry.bind(SiteSyncOps.class.getSimpleName(), new SiteSyncOps(records, queue, new SiteAdmin(records),
                enabled, node));
        registry.bind(SiteQueue.class.getSimpleName(), queue);

        String encoding = enabled ? FileNameEncoding.problem() : null;
        if (encoding != null) {
            // the daemon refuses to start this way; elsewhere (demo, Karaf) at least say why such files fail
            LoggerFactory.getLogger(SiteSyncBeans.class).error(encoding);
        }
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

    private static String prop(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank()).map(String::trim)
                .orElse(defaultValue);
    }

    private static int integer(CamelContext context, String key, int defaultValue) {
        return Integer.parseInt(prop(context, key, Integer.toString(defaultValue)));
    }

    private static Map<String, String> roots(CamelContext context, String namesKey, String prefix) {
        Map<String, String> roots = new LinkedHashMap<>();
        for (String name : prop(context, namesKey, "").split(",")) {
            if (!name.isBlank()) {
                roots.put(prefix + name.trim(), prop(context, prefix + name.trim(), ""));
            }
        }
        roots.values().removeIf(String::isEmpty);
        return roots;
    }
}
