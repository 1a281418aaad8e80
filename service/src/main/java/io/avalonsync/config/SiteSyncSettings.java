package io.avalonsync.config;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.sitesync.FileNameEncoding;

/** Site sync to Google Drive: {@code sitesync.*} and {@code gdrive.*} of application.properties (section "Site sync"). */
public final class SiteSyncSettings {

    static final Key ENABLED = Key.bool("sitesync.enabled");
    static final Key ACTIVE_SITE = Key.text("sitesync.active-site");
    static final Key REMOTE_SITE = Key.text("sitesync.remote-site");
    static final Key LOCAL_ID = Key.text("sitesync.local-id");
    static final Key RETRY_COUNT = Key.whole("sitesync.retry-count", 0);
    static final Key LOOP_DELAY = Key.whole("sitesync.loop-delay", 0);
    static final Key PARALLELISM = Key.whole("sitesync.parallelism", 1);
    static final Key BATCH_SIZE = Key.whole("sitesync.batch-size", 1);
    static final Key REDELIVERIES = Key.whole("sitesync.redeliveries", 0);
    static final Key REDELIVERY_DELAY = Key.whole("sitesync.redelivery-delay", 0);
    static final Key MAX_REDELIVERY_DELAY = Key.whole("sitesync.max-redelivery-delay", 0);
    static final Key LEASE = Key.whole("sitesync.lease", 1);
    static final Key ROOTS = Key.family("sitesync.roots.");
    static final Key CREDENTIALS = Key.text("gdrive.credentials");
    static final Key DRIVE_ROOTS = Key.family("gdrive.roots.");
    static final Key API_URL = Key.url("gdrive.api-url");
    static final Key CHUNK_SIZE = Key.whole("gdrive.chunk-size", 262_144);
    // the upload chunk resume policy (README "Site sync", Retries; io.avalonsync.sitesync.ChunkRetries)
    static final Key CHUNK_RETRIES = Key.whole("gdrive.chunk-retries", 0);
    static final Key CHUNK_RETRY_DELAY = Key.whole("gdrive.chunk-retry-delay", 1);
    static final Key CHUNK_MAX_RETRY_DELAY = Key.whole("gdrive.chunk-max-retry-delay", 1);

    static final List<Key> KEYS = List.of(ENABLED, ACTIVE_SITE, REMOTE_SITE, LOCAL_ID, RETRY_COUNT, LOOP_DELAY, PARALLELISM,
            BATCH_SIZE, REDELIVERIES, REDELIVERY_DELAY, MAX_REDELIVERY_DELAY, LEASE, ROOTS, CREDENTIALS, DRIVE_ROOTS, API_URL,
            CHUNK_SIZE, CHUNK_RETRIES, CHUNK_RETRY_DELAY, CHUNK_MAX_RETRY_DELAY);

    private final Settings settings;

    SiteSyncSettings(Settings settings) {
        this.settings = settings;
    }

    public boolean enabled() {
        return Boolean.parseBoolean(settings.get(ENABLED.name()));
    }

    public String activeSite() {
        return settings.get(ACTIVE_SITE.name());
    }

    public String remoteSite() {
        return settings.get(REMOTE_SITE.name());
    }

    public String localId() {
        return settings.get(LOCAL_ID.name());
    }

    public int retryCount() {
        return settings.intValue(RETRY_COUNT);
    }

    /** sitesync.loop-delay; 0 is taken as 1 s (a loop needs an interval). */
    public Duration loopDelay() {
        return Duration.ofSeconds(Math.max(1, settings.longValue(LOOP_DELAY)));
    }

    public int batchSize() {
        return settings.intValue(BATCH_SIZE);
    }

    public Duration lease() {
        return Duration.ofSeconds(settings.longValue(LEASE));
    }

    /** sitesync.roots.&lt;name&gt; = folder, by full key. */
    public Map<String, String> localRoots() {
        return roots(ROOTS);
    }

    /** gdrive.roots.&lt;name&gt; = remote folder, by full key. */
    public Map<String, String> remoteRoots() {
        return roots(DRIVE_ROOTS);
    }

    /** Empty when unset: the service starts without Drive credentials (nothing touches Drive before a transfer). */
    public String credentials() {
        String credentials = settings.get(CREDENTIALS.name());
        return credentials == null ? "" : credentials;
    }

    /** Null: Google's. */
    public String apiUrl() {
        return settings.get(API_URL.name());
    }

    public int chunkSize() {
        return settings.intValue(CHUNK_SIZE);
    }

    /** Resumed requests per upload chunk request; 0 = no resume. */
    public int chunkRetries() {
        return settings.intValue(CHUNK_RETRIES);
    }

    public int chunkRetryDelayMillis() {
        return settings.intValue(CHUNK_RETRY_DELAY);
    }

    public int chunkMaxRetryDelayMillis() {
        return settings.intValue(CHUNK_MAX_RETRY_DELAY);
    }

    private Map<String, String> roots(Key family) {
        Map<String, String> roots = new LinkedHashMap<>();
        settings.keysWithPrefix(family.name()).forEach(name -> roots.put(family.name() + name, settings.get(family.name() + name)));
        return roots;
    }

    /** The loop interval as the route's quartz trigger takes it ({{ms:sitesync.loop-delay}}): 0 counts as 1 s. */
    Map<String, String> derived() {
        return Map.of(LOOP_DELAY.name(), Long.toString(loopDelay().toSeconds()));
    }

    /** With site sync on: a readable key file, and every local root with a remote root of the same name. */
    void check(Checks checks) {
        String chunk = settings.get(CHUNK_SIZE.name());
        if (chunk != null && chunk.matches("\\d+") && Long.parseLong(chunk) % 262_144 != 0) {
            checks.keyProblem(CHUNK_SIZE.name(), chunk
                    + " is not a multiple of 262144 (256 KiB), which Drive's resumable uploads require");
        }
        String firstDelay = settings.get(CHUNK_RETRY_DELAY.name());
        String maxDelay = settings.get(CHUNK_MAX_RETRY_DELAY.name());
        if (firstDelay != null && maxDelay != null && firstDelay.matches("\\d{1,9}") && maxDelay.matches("\\d{1,9}")
                && Integer.parseInt(firstDelay) > Integer.parseInt(maxDelay)) {
            checks.keyProblem(CHUNK_RETRY_DELAY.name(), firstDelay + " is above gdrive.chunk-max-retry-delay (" + maxDelay + ")");
        }
        String enabled = settings.get(ENABLED.name());
        if (!"true".equalsIgnoreCase(enabled)) {
            return;
        }
        int enabledLine = checks.lineOr(ENABLED.name(), 0);
        // a warning: validate may run elsewhere than the daemon, which refuses to start this way
        String encoding = FileNameEncoding.problem();
        if (encoding != null) {
            checks.warning(enabledLine, encoding + " (the daemon refuses to start so)");
        }
        String credentials = settings.get(CREDENTIALS.name());
        if (credentials == null) {
            checks.problem(checks.lineOr(CREDENTIALS.name(), enabledLine),
                    "sitesync.enabled is true but gdrive.credentials is empty: set the service-account JSON file");
        } else if (!Files.isReadable(checks.folder().resolve(credentials))) {
            checks.keyProblem(CREDENTIALS.name(), "file "
                    + checks.folder().resolve(credentials).toAbsolutePath() + " does not exist or cannot be read");
        }
        Set<String> local = settings.keysWithPrefix(ROOTS.name());
        Set<String> remote = settings.keysWithPrefix(DRIVE_ROOTS.name());
        if (local.isEmpty()) {
            checks.problem(enabledLine, "sitesync.enabled is true but no local root is set:"
                    + " add sitesync.roots.<name> = <folder> for each root the published paths use, e.g. sitesync.roots.work");
        }
        for (String name : local) {
            if (!remote.contains(name)) {
                checks.problem(checks.lineOr(ROOTS.name() + name, enabledLine), "sitesync.roots." + name
                        + " has no remote counterpart: set gdrive.roots." + name + " (e.g. /My Drive/" + name + ")");
            }
        }
        for (String name : remote) {
            String value = settings.get(DRIVE_ROOTS.name() + name);
            if (value != null && !value.startsWith("/")) {
                checks.keyProblem(DRIVE_ROOTS.name() + name, "'" + value
                        + "' must start with /My Drive/ or /<shared drive name>/");
            }
        }
    }
}
