package io.avalonsync.config;

import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.avalonsync.fields.FieldMapping;
import io.avalonsync.shotgrid.ShotGridFields;
import org.slf4j.LoggerFactory;

/** ShotGrid: {@code shotgrid.*} of application.properties (section "ShotGrid"). */
public final class ShotGridSettings {

    static final Key URL = Key.url("shotgrid.url");
    static final Key SCRIPT_NAME = Key.text("shotgrid.script-name");
    static final Key API_KEY = Key.text("shotgrid.api-key");
    static final Key SITE = Key.url("shotgrid.site");
    static final Key POLL_DELAY = Key.whole("shotgrid.poll-delay", 0);
    static final Key GAP_TIMEOUT = Key.whole("shotgrid.gap-timeout", 0);
    static final Key SYNC_FIELD = Key.text("shotgrid.sync-field");
    static final Key CRON = Key.cron("shotgrid.full-sync.cron", URL);
    static final Key AT_START = Key.bool("shotgrid.full-sync.at-start");
    static final Key EVENTS = Key.bool("shotgrid.events.enabled");
    static final Key MAX_ATTEMPTS = Key.whole("shotgrid.events.max-attempts", 0);
    static final Key RETRIES = Key.whole("shotgrid.retries", 0);
    static final Key RETRY_DELAY = Key.whole("shotgrid.retry-delay", 0);
    static final Key TIMEOUT = Key.whole("shotgrid.timeout", 0);
    static final Key ENTITY_TYPES = Key.text("shotgrid.entity-types"); // checked in check(), a comma list
    static final Key FIELDS = Key.family(FieldMapping.Tracker.SHOTGRID.prefix());

    static final List<Key> KEYS = List.of(URL, SCRIPT_NAME, API_KEY, SITE, POLL_DELAY, GAP_TIMEOUT, SYNC_FIELD, CRON,
            AT_START, EVENTS, MAX_ATTEMPTS, RETRIES, RETRY_DELAY, TIMEOUT, ENTITY_TYPES, FIELDS);

    /** What shotgrid.site stands for while shotgrid.url is empty (the routes are built, never called; see RunMode). */
    static final String OFF = "http://shotgrid.disabled";

    private final Settings settings;

    ShotGridSettings(Settings settings) {
        this.settings = settings;
    }

    /** The ShotGrid routes run while shotgrid.url is set. */
    public boolean enabled() {
        return settings.has(URL.name());
    }

    /** shotgrid.site, else shotgrid.url without a trailing /api/v1: the routes append the REST paths to it. */
    public String site() {
        String site = settings.get(SITE.name());
        if (site != null) {
            return site.replaceAll("/+$", "");
        }
        return enabled() ? site(settings.get(URL.name())) : OFF;
    }

    public String scriptName() {
        return orEmpty(settings.get(SCRIPT_NAME.name()));
    }

    public String apiKey() {
        return orEmpty(settings.get(API_KEY.name()));
    }

    /** The project checkbox that enables sync; empty = every active project. */
    public String syncField() {
        return orEmpty(settings.get(SYNC_FIELD.name()));
    }

    public Duration gapTimeout() {
        return Duration.ofMillis(settings.longValue(GAP_TIMEOUT));
    }

    public int maxAttempts() {
        return settings.intValue(MAX_ATTEMPTS);
    }

    public long retryDelayMillis() {
        return settings.longValue(RETRY_DELAY);
    }

    public long timeoutMillis() {
        return settings.longValue(TIMEOUT);
    }

    /**
     * The entity types synced (shotgrid.entity-types; empty = all) and the field mapping (shotgrid.fields.*): one for
     * the searches, the full sync's mappers and the event processor's. Every start runs validate's checks first; a bad
     * value that still gets here (a host without those checks) is logged and left out.
     */
    public ShotGridFields fields() {
        Set<String> types = new LinkedHashSet<>();
        String problem = ShotGridFields.parseTypes(settings.get(ENTITY_TYPES.name()), types);
        if (problem != null) {
            LoggerFactory.getLogger(ShotGridSettings.class).error("{}: {}", ENTITY_TYPES.name(), problem);
        }
        return new ShotGridFields(types.isEmpty() ? Set.copyOf(ShotGridFields.TYPES) : types,
                Settings.fieldMapping(settings, FieldMapping.Tracker.SHOTGRID));
    }

    Map<String, String> derived() {
        return Map.of(SITE.name(), site());
    }

    /** A site without its script credentials leaves the routes failing on the first request. */
    void check(Checks checks) {
        checks.fieldMapping(settings, FieldMapping.Tracker.SHOTGRID);
        String typesProblem = ShotGridFields.parseTypes(settings.get(ENTITY_TYPES.name()), new HashSet<>());
        if (typesProblem != null) {
            checks.keyProblem(ENTITY_TYPES.name(), typesProblem);
        }
        if (!enabled()) {
            return;
        }
        for (Key key : List.of(SCRIPT_NAME, API_KEY)) {
            if (!settings.has(key.name())) {
                checks.problem(checks.lineOr(key.name(), checks.effectiveLine(URL.name())),
                        URL.name() + " is set but " + key.name() + " is empty");
            }
        }
    }

    /** {@code https://studio.shotgrid.autodesk.com/api/v1/} gives {@code https://studio.shotgrid.autodesk.com}. */
    public static String site(String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        return trimmed.endsWith("/api/v1") ? trimmed.substring(0, trimmed.length() - "/api/v1".length()) : trimmed;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
