package io.avalonsync.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.AvalonLayout;
import io.avalonsync.fields.FieldMapping;

/** Kitsu: {@code kitsu.*} of application.properties (section "Kitsu"). */
public final class KitsuSettings {

    static final Key URL = Key.url("kitsu.url").env("GAZU_URL");
    static final Key USER = Key.text("kitsu.user").env("GAZU_USER");
    static final Key PASSWORD = Key.text("kitsu.password").env("GAZU_PASSWD");
    static final Key API = Key.url("kitsu.api");
    static final Key PROJECTS = Key.text("kitsu.projects");
    static final Key CRON = Key.cron("kitsu.full-sync.cron", URL);
    static final Key AT_START = Key.bool("kitsu.full-sync.at-start");
    static final Key EVENTS = Key.bool("kitsu.events.enabled");
    static final Key EVENTS_URL = Key.url("kitsu.events-url");
    static final Key POLL_INTERVAL = Key.whole("kitsu.events.poll-interval", 0);
    static final Key MAX_ATTEMPTS = Key.whole("kitsu.events.max-attempts", 0);
    static final Key RETRIES = Key.whole("kitsu.retries", 0);
    static final Key RETRY_DELAY = Key.whole("kitsu.retry-delay", 0);
    static final Key TIMEOUT = Key.whole("kitsu.timeout", 0);
    static final Key LAYOUT = Key.choice("kitsu.layout", true, AvalonLayout.KEYS.toArray(String[]::new));
    static final Key FIELDS = Key.family(FieldMapping.Tracker.KITSU.prefix());

    static final List<Key> KEYS = List.of(URL, USER, PASSWORD, API, PROJECTS, CRON, AT_START, EVENTS, EVENTS_URL,
            POLL_INTERVAL, MAX_ATTEMPTS, RETRIES, RETRY_DELAY, TIMEOUT, LAYOUT, FIELDS);

    /**
     * What kitsu.api and kitsu.events-url stand for while kitsu.url is empty: the Kitsu routes are still built (their
     * schedule and listener are left out, see RunMode), so their endpoints need an address, never called.
     */
    static final String OFF = "http://kitsu.disabled";

    private final Settings settings;

    KitsuSettings(Settings settings) {
        this.settings = settings;
    }

    /** The Kitsu routes run while kitsu.url (or GAZU_URL) is set. */
    public boolean enabled() {
        return settings.has(URL.name());
    }

    /** kitsu.api, else kitsu.url with /api appended when missing. */
    public String api() {
        String api = settings.get(API.name());
        if (api != null) {
            return api.replaceAll("/+$", "");
        }
        return enabled() ? api(settings.get(URL.name())) : OFF + "/api";
    }

    /** kitsu.events-url, else the server root of kitsu.url (Zou serves /socket.io there). */
    public String eventsUrl() {
        String url = settings.get(EVENTS_URL.name());
        if (url != null) {
            return url;
        }
        String api = api();
        return api.endsWith("/api") ? api.substring(0, api.length() - "/api".length()) : api;
    }

    public String user() {
        return orEmpty(settings.get(USER.name()));
    }

    public String password() {
        return orEmpty(settings.get(PASSWORD.name()));
    }

    /** The comma list of kitsu.projects; empty = every open project. */
    public String projects() {
        return orEmpty(settings.get(PROJECTS.name()));
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

    /** How projects are laid out in Avalon (README "Projects synced by OpenPype's Kitsu module"). */
    public AvalonLayout layout() {
        return AvalonLayout.fromKey(settings.get(LAYOUT.name()));
    }

    /**
     * kitsu.fields.*: one mapping for the snapshot's reads and the mappers of the full sync and of events. Every start
     * runs validate's checks first, which refuse a bad entry; one that still gets here (a host without those checks)
     * is logged and left out.
     */
    public FieldMapping fields() {
        return Settings.fieldMapping(settings, FieldMapping.Tracker.KITSU);
    }

    /** The values the routes use that are made from others here. */
    Map<String, String> derived() {
        Map<String, String> derived = new LinkedHashMap<>();
        derived.put(API.name(), api());
        derived.put(EVENTS_URL.name(), eventsUrl());
        return derived;
    }

    /** A Kitsu URL without its login leaves the routes failing on the first request. */
    void check(Checks checks) {
        checks.fieldMapping(settings, FieldMapping.Tracker.KITSU);
        String layout = settings.get(LAYOUT.name());
        if ("openpype".equalsIgnoreCase(layout) && !"openpype".equalsIgnoreCase(settings.get(AvalonSettings.FLAVOUR.name()))) {
            checks.keyProblem(LAYOUT.name(), "openpype is the layout of OpenPype's Kitsu module, which writes the openpype"
                    + " flavour only: set avalon.flavour = openpype, or kitsu.layout = auto or avalon-sync");
        }
        if (!enabled()) {
            return;
        }
        for (Key key : List.of(USER, PASSWORD)) {
            if (!settings.has(key.name())) {
                checks.problem(checks.lineOr(key.name(), checks.effectiveLine(URL.name())), URL.name() + " is set but "
                        + key.name() + " is empty (set it here or in the environment variable " + key.env() + ")");
            }
        }
    }

    /** {@code https://kitsu.example.com} and {@code https://kitsu.example.com/api/} both give {@code .../api}. */
    public static String api(String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        return trimmed.endsWith("/api") ? trimmed : trimmed + "/api";
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
