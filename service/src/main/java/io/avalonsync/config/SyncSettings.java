package io.avalonsync.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sync state and behaviour: {@code sync.*} of application.properties (section "Sync state and behaviour"), and the
 * two Camel Main keys the service documents there because it acts on them itself: the shutdown timeout (what a stop
 * waits for, see ShutdownLog and SiteSyncShutdown) and route reload (the daemon's validating reload, never Camel's).
 */
public final class SyncSettings {

    static final Key STATE_DB = Key.text("sync.state-db");
    static final Key DELETES = Key.choice("sync.deletes", false, "ignore", "archive");
    static final Key JOURNAL_KEEP_DAYS = Key.whole("sync.journal.keep-days", 0);
    static final Key PROGRESS_INTERVAL = Key.seconds("sync.progress-interval");
    static final Key LOG_FORMAT = Key.choice("sync.log-format", true, "text", "json");
    static final Key SHUTDOWN_TIMEOUT = Key.whole("camel.main.shutdown-timeout", 1);
    static final Key ROUTES_RELOAD = Key.bool("camel.main.routes-reload-enabled");

    static final List<Key> KEYS = List.of(STATE_DB, DELETES, JOURNAL_KEEP_DAYS, PROGRESS_INTERVAL, LOG_FORMAT,
            SHUTDOWN_TIMEOUT, ROUTES_RELOAD);

    /** Keys of earlier versions that shadowed Camel Main's own: validate names the new key. */
    static final Map<String, String> RENAMED = Map.of(
            "sync.shutdown-timeout", SHUTDOWN_TIMEOUT.name(),
            "sync.routes-reload", ROUTES_RELOAD.name());

    private final Settings settings;

    SyncSettings(Settings settings) {
        this.settings = settings;
    }

    public String stateDb() {
        return settings.get(STATE_DB.name());
    }

    /** sync.deletes = archive. */
    public boolean archiveDeletes() {
        return "archive".equals(settings.get(DELETES.name()));
    }

    public String deletes() {
        return settings.get(DELETES.name());
    }

    public Duration progressInterval() {
        return Duration.ofMillis(Math.round(Double.parseDouble(settings.get(PROGRESS_INTERVAL.name())) * 1000));
    }

    /** text or json, lower case. */
    public String logFormat() {
        return settings.get(LOG_FORMAT.name()).toLowerCase(Locale.ROOT);
    }

    /** Whether the daemon reloads edited route files (after the checks of validate). */
    public boolean routesReload() {
        return Boolean.parseBoolean(settings.get(ROUTES_RELOAD.name()));
    }

    void check(Checks checks) {
        String avalonDb = settings.avalon().db();
        if (stateDb().equalsIgnoreCase(avalonDb)) {
            checks.problem(checks.effectiveLine(STATE_DB.name()), "sync.state-db must differ from avalon.db ('" + avalonDb
                    + "'): Avalon treats every collection of its database as a project");
        }
    }
}
