package io.avalonsync.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.spi.PropertiesComponent;

/**
 * The configuration as the service sees it before Camel starts: {@code application.properties} from the
 * working folder, then the original tool's environment variables where a key is empty, then {@code -D}
 * system properties. Camel resolves the same keys itself; this view exists to fail fast on missing
 * settings, to derive the switches the routes use ({@code kitsu.enabled}, {@code kitsu.api}, ...) and
 * to back the {@code validate} command.
 */
public final class Settings {

    /** Keys whose value falls back to an environment variable of the original Avalon Sync tool. */
    public static final Map<String, String> ENV_FALLBACKS = Map.of(
            "avalon.mongo-uri", "AVALON_MONGO",
            "avalon.db", "AVALON_DB",
            "avalon.mongo-timeout", "MONGO_TIMEOUT",
            "kitsu.url", "GAZU_URL",
            "kitsu.user", "GAZU_USER",
            "kitsu.password", "GAZU_PASSWD");

    private final Path file;
    private final Properties fileProperties;
    private final Map<String, String> env;
    private final Properties system;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    public Settings(Path file, Properties fileProperties, Map<String, String> env, Properties system) {
        this.file = file;
        this.fileProperties = fileProperties;
        this.env = env;
        this.system = system;
    }

    /** Reads {@code application.properties} from the given folder (missing file = no keys). */
    public static Settings load(Path folder) throws IOException {
        Path file = folder.resolve("application.properties");
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
        }
        return new Settings(file, props, System.getenv(), System.getProperties());
    }

    public Path file() {
        return file;
    }

    public boolean fileExists() {
        return Files.isRegularFile(file);
    }

    /** Sets a value that wins over everything else (used by demo and sync-once). */
    public void override(String key, String value) {
        overrides.put(key, value);
    }

    /** Where an effective value comes from. */
    public enum Source { OVERRIDE, SYSTEM, FILE, ENV }

    /** Where {@link #get(String)} takes the value from, or null when it is unset everywhere (the default applies). */
    public Source source(String key) {
        if (!isBlank(overrides.get(key))) {
            return Source.OVERRIDE;
        }
        if (!isBlank(system.getProperty(key))) {
            return Source.SYSTEM;
        }
        if (!isBlank(fileProperties.getProperty(key))) {
            return Source.FILE;
        }
        return ENV_FALLBACKS.containsKey(key) && !isBlank(env.get(ENV_FALLBACKS.get(key))) ? Source.ENV : null;
    }

    /** The effective value, or null when unset or blank everywhere. */
    public String get(String key) {
        String value = overrides.get(key);
        if (isBlank(value)) {
            value = system.getProperty(key);
        }
        if (isBlank(value)) {
            value = fileProperties.getProperty(key);
        }
        if (isBlank(value) && ENV_FALLBACKS.containsKey(key)) {
            value = env.get(ENV_FALLBACKS.get(key));
        }
        return isBlank(value) ? null : value.trim();
    }

    public String get(String key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /**
     * Values Camel must see on top of application.properties: env fallbacks of keys left empty in the
     * file, the explicit overrides, and the switches derived from them.
     */
    public Map<String, String> camelOverrides(boolean scheduled) {
        Map<String, String> result = new LinkedHashMap<>();
        ENV_FALLBACKS.keySet().forEach(key -> {
            String value = get(key);
            if (value != null) {
                result.put(key, value);
            }
        });
        result.putAll(overrides);
        String kitsuUrl = get("kitsu.url");
        boolean kitsu = kitsuUrl != null;
        result.put("kitsu.enabled", Boolean.toString(kitsu));
        result.put("kitsu.api", kitsu ? kitsuApi(kitsuUrl) : "http://kitsu.disabled/api");
        result.put("kitsu.schedule.enabled", Boolean.toString(kitsu && scheduled));
        boolean events = kitsu && scheduled && Boolean.parseBoolean(get("kitsu.events.enabled", "true"));
        result.put("kitsu.listener.enabled", Boolean.toString(events));
        String eventsUrl = get("kitsu.events-url");
        result.put("kitsu.events-url", eventsUrl != null ? eventsUrl : kitsu ? kitsuBase(kitsuUrl) : "http://kitsu.disabled");
        result.put("kitsu.at-start.enabled",
                Boolean.toString(kitsu && scheduled && Boolean.parseBoolean(get("kitsu.full-sync.at-start", "true"))));
        // ShotGrid: routes stay off while shotgrid.url is empty; the beans get a placeholder site then
        String shotgridUrl = get("shotgrid.url");
        boolean shotgrid = shotgridUrl != null;
        result.put("shotgrid.enabled", Boolean.toString(shotgrid));
        result.put("shotgrid.site", shotgrid ? shotgridSite(shotgridUrl) : "http://shotgrid.disabled");
        result.put("shotgrid.schedule.enabled", Boolean.toString(shotgrid && scheduled));
        result.put("shotgrid.listener.enabled",
                Boolean.toString(shotgrid && scheduled && Boolean.parseBoolean(get("shotgrid.events.enabled", "true"))));
        result.put("shotgrid.at-start.enabled",
                Boolean.toString(shotgrid && scheduled && Boolean.parseBoolean(get("shotgrid.full-sync.at-start", "true"))));
        SHOTGRID_DEFAULTS.forEach((key, value) -> result.putIfAbsent(key, get(key, value)));
        // site sync: the loop runs only in the daemon; quartz wants milliseconds; root names for the beans
        boolean siteSync = Boolean.parseBoolean(get("sitesync.enabled", "false"));
        result.put("sitesync.loop.enabled", Boolean.toString(siteSync && scheduled));
        long loopDelay = parseLong(get("sitesync.loop-delay", "60"), 60);
        result.put("sitesync.loop-delay-ms", Long.toString(Math.max(1, loopDelay) * 1000));
        result.put("sitesync.root-names", String.join(",", keysWithPrefix("sitesync.roots.")));
        result.put("gdrive.root-names", String.join(",", keysWithPrefix("gdrive.roots.")));
        // field mappings (kitsu.fields.*, shotgrid.fields.*): which keys are set, for the beans that read them
        result.put("kitsu.field-keys", String.join(",", keysWithPrefix("kitsu.fields.")));
        result.put("shotgrid.field-keys", String.join(",", keysWithPrefix("shotgrid.fields.")));
        SITESYNC_DEFAULTS.forEach((key, value) -> result.putIfAbsent(key, get(key, value)));
        // seconds a stop waits for running work; camel.main.shutdown-timeout, when set, is Camel's own say
        if (get("camel.main.shutdown-timeout") == null) {
            result.put("camel.main.shutdown-timeout", Long.toString(Math.max(1,
                    parseLong(get("sync.shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT), 30))));
        }
        return result;
    }

    /**
     * Gives a Camel context the service's placeholders: {@code file} (application.properties) first, then
     * {@link #camelOverrides(boolean)} on top, as the daemon resolves them.
     */
    public void useIn(PropertiesComponent properties, Path file, boolean scheduled) {
        Properties overrides = new Properties();
        overrides.putAll(camelOverrides(scheduled));
        properties.setLocation("file:" + file.toAbsolutePath() + ";optional=true");
        properties.setOverrideProperties(overrides);
    }

    /** Settings without which nothing can start, as one readable line, or null. */
    public String startupProblem() {
        if (!has("avalon.mongo-uri")) {
            return "avalon.mongo-uri is not set (nor AVALON_MONGO): set it in " + file
                    + " or with -Davalon.mongo-uri=mongodb://host:27017 (only 'demo' runs without it)";
        }
        String db = get("avalon.db", "avalon");
        String stateDb = get("sync.state-db", "avalon_sync");
        if (db.equals(stateDb)) {
            return "sync.state-db must differ from avalon.db ('" + db
                    + "'): Avalon treats every collection in its database as a project";
        }
        return null;
    }

    /** Seconds a stop (SIGTERM) waits for running work before it is cut: {@code sync.shutdown-timeout}. */
    public static final String DEFAULT_SHUTDOWN_TIMEOUT = "30";

    /** Keys the routes need that older application.properties files do not have. */
    static final Map<String, String> SITESYNC_DEFAULTS = Map.of(
            "sitesync.redeliveries", "3",
            "sitesync.redelivery-delay", "1000",
            "sitesync.max-redelivery-delay", "32000",
            "sitesync.lease", "21600",
            "gdrive.chunk-size", Integer.toString(8 * 1024 * 1024));

    /** ShotGrid keys the routes need that older application.properties files do not have. */
    static final Map<String, String> SHOTGRID_DEFAULTS = Map.of(
            "shotgrid.poll-delay", "10000",
            "shotgrid.gap-timeout", "300000",
            "shotgrid.full-sync.cron", "0 15 * * * ?",
            "shotgrid.retries", "3",
            "shotgrid.retry-delay", "1000",
            "shotgrid.timeout", "60000",
            "shotgrid.events.max-attempts", "5");

    /** {@code https://studio.shotgrid.autodesk.com/api/v1/} gives {@code https://studio.shotgrid.autodesk.com}. */
    public static String shotgridSite(String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        return trimmed.endsWith("/api/v1") ? trimmed.substring(0, trimmed.length() - "/api/v1".length()) : trimmed;
    }

    /** The last parts of every set key starting with {@code prefix} (file, -D and overrides), sorted. */
    public java.util.SortedSet<String> keysWithPrefix(String prefix) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        java.util.stream.Stream.of(fileProperties.stringPropertyNames(), system.stringPropertyNames(), overrides.keySet())
                .flatMap(java.util.Set::stream)
                .filter(key -> key.startsWith(prefix) && key.length() > prefix.length() && get(key) != null)
                .forEach(key -> names.add(key.substring(prefix.length())));
        return names;
    }

    private static long parseLong(String value, long fallback) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** {@code https://kitsu.example.com} and {@code https://kitsu.example.com/api/} both give {@code .../api}. */
    public static String kitsuApi(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.endsWith("/api") ? trimmed : trimmed + "/api";
    }

    /** The server root of a Kitsu URL: {@code https://kitsu.example.com/api} gives {@code https://kitsu.example.com}. */
    public static String kitsuBase(String url) {
        String api = kitsuApi(url);
        return api.substring(0, api.length() - "/api".length());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
