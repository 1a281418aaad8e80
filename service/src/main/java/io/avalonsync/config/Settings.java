package io.avalonsync.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.spi.PropertiesComponent;

/**
 * The configuration as the service sees it, one value per key, from the first of: a value a command sets
 * ({@link #override}), {@code -D} system properties, the key's own environment variable as Camel names it
 * (STATUS_USER for status.user; Camel lets it override the file), {@code application.properties} of the working
 * folder, the original tool's environment variable of the key (AVALON_MONGO, GAZU_URL, ...), and the value the shipped
 * application.properties has (inside the jar, so a file written for an older version still gets every key). The
 * shipped file is the only place a default is written; the typed view of each area ({@link #avalon()},
 * {@link #kitsu()}, ...) reads it from here, and Camel is handed the same values ({@link #camelProperties()}).
 */
public final class Settings {

    /** The shipped application.properties, copied into the jar by the build (pom.xml). */
    static final String SHIPPED = "application.properties";

    /** Keys whose value falls back to an environment variable of the original Avalon Sync tool. */
    public static final Map<String, String> ENV_FALLBACKS = Keys.envFallbacks();

    private static volatile Properties shipped;

    private final Path file;
    private final Properties fileProperties;
    private final Map<String, String> env;
    private final Properties system;
    private final Properties defaults;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    public Settings(Path file, Properties fileProperties, Map<String, String> env, Properties system) {
        this.file = file;
        this.fileProperties = fileProperties;
        this.env = env;
        this.system = system;
        this.defaults = shipped();
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

    /** The application.properties this jar ships with: every key's default. */
    static Properties shipped() {
        Properties loaded = shipped;
        if (loaded == null) {
            loaded = new Properties();
            try (InputStream in = Settings.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    throw new IllegalStateException("the jar has no " + SHIPPED + " (its defaults); rebuild it with mvn package");
                }
                loaded.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shipped = loaded;
        }
        return loaded;
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

    // ---- the typed view of each area ------------------------------------------------------------------

    public AvalonSettings avalon() {
        return new AvalonSettings(this);
    }

    public SyncSettings sync() {
        return new SyncSettings(this);
    }

    public ClusterSettings cluster() {
        return new ClusterSettings(this);
    }

    public KitsuSettings kitsu() {
        return new KitsuSettings(this);
    }

    public ShotGridSettings shotgrid() {
        return new ShotGridSettings(this);
    }

    public SiteSyncSettings siteSync() {
        return new SiteSyncSettings(this);
    }

    public StatusSettings status() {
        return new StatusSettings(this);
    }

    // ---- values ---------------------------------------------------------------------------------------

    /** A whole-number key's value: validate's checks, which every start runs, have refused anything else. */
    int intValue(Key key) {
        return Integer.parseInt(get(key.name()));
    }

    /** As {@link #intValue}, for values that may pass an int (milliseconds). */
    long longValue(Key key) {
        return Long.parseLong(get(key.name()));
    }

    /** Where an effective value comes from. */
    public enum Source { OVERRIDE, SYSTEM, FILE, ENV, DEFAULT }

    /** Where {@link #get(String)} takes the value from, or null when it is unset everywhere. */
    public Source source(String key) {
        if (!isBlank(overrides.get(key))) {
            return Source.OVERRIDE;
        }
        if (!isBlank(system.getProperty(key))) {
            return Source.SYSTEM;
        }
        // Camel's environment override (its default): the variable of the key's own name wins over the file
        if (!isBlank(env.get(ownVariable(key)))) {
            return Source.ENV;
        }
        if (!isBlank(fileProperties.getProperty(key))) {
            return Source.FILE;
        }
        String variable = ENV_FALLBACKS.get(key);
        if (variable != null && !isBlank(env.get(variable))) {
            return Source.ENV;
        }
        return isBlank(defaults.getProperty(key)) ? null : Source.DEFAULT;
    }

    /** Camel's name for a key's environment variable: capitals, dots and dashes as _ (status.user: STATUS_USER). */
    static String ownVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The environment variable the value of {@code key} comes from (its own, or the original tool's), or null. */
    public String environmentVariable(String key) {
        if (source(key) != Source.ENV) {
            return null;
        }
        String own = ownVariable(key);
        return !isBlank(env.get(own)) ? own : ENV_FALLBACKS.get(key);
    }

    /** The effective value, trimmed, or null when unset or blank everywhere. */
    public String get(String key) {
        String value = untrimmed(key);
        return value == null ? null : value.trim();
    }

    /** The effective value as written (a password may end in a space), or null when unset or blank everywhere. */
    public String untrimmed(String key) {
        Source source = source(key);
        if (source == null) {
            return null;
        }
        String value = switch (source) {
            case OVERRIDE -> overrides.get(key);
            case SYSTEM -> system.getProperty(key);
            case FILE -> fileProperties.getProperty(key);
            case ENV -> env.get(environmentVariable(key));
            case DEFAULT -> defaults.getProperty(key);
        };
        return value.contains("{{") ? resolve(value, 0) : value;
    }

    /**
     * For keys that are not the service's (the demo's own {@code demo.*}): the value, or {@code defaultValue}. The
     * service's keys have their defaults in the shipped application.properties, read by {@link #get(String)}.
     */
    public String get(String key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** The value of a key only a command or a test sets (not the operator), or null. */
    String overridden(String key) {
        return overrides.get(key);
    }

    /** Keys given with -D. */
    Set<String> systemKeys() {
        return system.stringPropertyNames();
    }

    /** The last parts of every set key starting with {@code prefix} (in any layer but the environment), sorted. */
    public SortedSet<String> keysWithPrefix(String prefix) {
        SortedSet<String> names = new TreeSet<>();
        Stream.of(defaults.stringPropertyNames(), fileProperties.stringPropertyNames(), system.stringPropertyNames(),
                        overrides.keySet())
                .flatMap(Set::stream)
                .filter(key -> key.startsWith(prefix) && key.length() > prefix.length() && get(key) != null)
                .forEach(key -> names.add(key.substring(prefix.length())));
        return names;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    /**
     * Camel's placeholder forms inside a value ({@code shotgrid.api-key = {{env:SG_API_KEY}}}), resolved as Camel
     * resolves them for the routes: {@code env:NAME}, {@code sys:NAME}, {@code key}, each with an optional
     * {@code :default}; {@code ?key} is empty when unset. Anything else is left as written.
     */
    private String resolve(String value, int depth) {
        if (depth > 10) {
            return value; // a key that refers to itself: Camel refuses it at start, validate names it
        }
        Matcher placeholder = PLACEHOLDER.matcher(value);
        StringBuilder result = new StringBuilder();
        while (placeholder.find()) {
            String expression = placeholder.group(1).trim();
            String resolved;
            if (expression.startsWith("env:") || expression.startsWith("sys:")) {
                String rest = expression.substring(4);
                int colon = rest.indexOf(':');
                String name = colon < 0 ? rest : rest.substring(0, colon);
                String found = expression.startsWith("env:") ? env.get(name) : system.getProperty(name);
                resolved = found != null ? found : colon < 0 ? placeholder.group() : rest.substring(colon + 1);
            } else {
                boolean optional = expression.startsWith("?");
                String key = optional ? expression.substring(1) : expression;
                int colon = key.indexOf(':');
                String fallback = colon < 0 ? null : key.substring(colon + 1);
                key = colon < 0 ? key : key.substring(0, colon);
                String found = source(key) == null ? null : untrimmedAt(key, depth + 1);
                resolved = found != null ? found : fallback != null ? fallback : optional ? "" : placeholder.group();
            }
            placeholder.appendReplacement(result, Matcher.quoteReplacement(resolved));
        }
        placeholder.appendTail(result);
        return result.toString();
    }

    /**
     * Why the value of {@code key} still holds a placeholder after {@link #get} resolved it (an unset environment
     * variable, a key set nowhere), as {@code "{{env:X}} does not resolve: ..."}, or null when it resolved.
     */
    public String unresolved(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        Matcher placeholder = PLACEHOLDER.matcher(value);
        if (!placeholder.find()) {
            return null;
        }
        String expression = placeholder.group(1).trim();
        String reason;
        if (expression.startsWith("env:")) {
            reason = "the environment variable " + expression.substring(4) + " is not set";
        } else if (expression.startsWith("sys:")) {
            reason = "the system property " + expression.substring(4) + " is not set";
        } else {
            reason = "no key " + expression + " is set";
        }
        return placeholder.group() + " does not resolve: " + reason;
    }

    private String untrimmedAt(String key, int depth) {
        Source source = source(key);
        String value = switch (source) {
            case OVERRIDE -> overrides.get(key);
            case SYSTEM -> system.getProperty(key);
            case FILE -> fileProperties.getProperty(key);
            case ENV -> env.get(environmentVariable(key));
            case DEFAULT -> defaults.getProperty(key);
        };
        return value.contains("{{") ? resolve(value, depth) : value;
    }

    // ---- what Camel sees -------------------------------------------------------------------------------

    /**
     * The values Camel resolves the routes' placeholders with, on top of the application.properties it reads
     * itself: every key of the service as {@link #get} has it (so a key missing from the file, given with -D or by an
     * environment variable of the original tool resolves the same for the routes as for the beans), the values the
     * areas derive ({@code kitsu.api}, {@code shotgrid.site}, ...), Camel's own keys the shipped file sets and the
     * operator's does not, and the values commands set.
     */
    public Map<String, String> camelProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Key key : Keys.ALL) {
            if (key.kind() == Key.Kind.FAMILY) {
                keysWithPrefix(key.name()).forEach(part -> result.put(key.name() + part, get(key.name() + part)));
            } else if (key.name().startsWith("camel.")) {
                continue; // Camel reads its own keys; the shipped values of those the operator left out come below
            } else if (get(key.name()) != null) {
                result.put(key.name(), get(key.name()));
            }
        }
        for (String key : defaults.stringPropertyNames()) {
            if (key.startsWith("camel.") && source(key) == Source.DEFAULT) {
                result.put(key, get(key));
            }
        }
        result.putAll(overrides);
        // after the overrides: a derived value already reads them (get), and stands for what the routes need (a
        // sitesync.loop-delay of 0 set by a command is the loop's 1 s too)
        result.putAll(kitsu().derived());
        result.putAll(shotgrid().derived());
        result.putAll(siteSync().derived());
        // the daemon's own reload checks an edit before applying it (ValidatingRouteReload); Camel's would not
        result.put(SyncSettings.ROUTES_RELOAD.name(), "false");
        return result;
    }

    /** Gives a Camel context the service's placeholders: {@code file} (application.properties), then {@link #camelProperties()}. */
    public void useIn(PropertiesComponent properties, Path file) {
        Properties values = new Properties();
        values.putAll(camelProperties());
        properties.setLocation("file:" + file.toAbsolutePath() + ";optional=true");
        properties.setOverrideProperties(values);
        // {{ms:key}} of the routes; named here too because an OSGi bundle (Karaf) has no META-INF/services lookup
        if (!properties.hasPropertiesFunction("ms")) {
            properties.addPropertiesFunction(new MillisFunction());
        }
    }

    /** The field mapping of a tracker ({@code <tracker>.fields.*}); entries that cannot be used are logged, left out. */
    static io.avalonsync.fields.FieldMapping fieldMapping(Settings settings, io.avalonsync.fields.FieldMapping.Tracker tracker) {
        Map<String, String> entries = new LinkedHashMap<>();
        settings.keysWithPrefix(tracker.prefix()).forEach(part -> entries.put(tracker.prefix() + part,
                settings.get(tracker.prefix() + part)));
        java.util.List<io.avalonsync.fields.FieldMapping.Problem> problems = new java.util.ArrayList<>();
        io.avalonsync.fields.FieldMapping mapping = io.avalonsync.fields.FieldMapping.parse(tracker, entries, problems);
        problems.forEach(p -> org.slf4j.LoggerFactory.getLogger(Settings.class)
                .error("{}: {}; this mapping is not used", p.key(), p.message()));
        return mapping;
    }

    /** Settings without which nothing can start, as one readable line, or null. */
    public String startupProblem() {
        if (avalon().mongoUri() == null) {
            return "avalon.mongo-uri is not set (nor AVALON_MONGO): set it in " + file
                    + " or with -Davalon.mongo-uri=mongodb://host:27017 (only 'demo' runs without it)";
        }
        String db = avalon().db();
        if (db.equals(sync().stateDb())) {
            return "sync.state-db must differ from avalon.db ('" + db
                    + "'): Avalon treats every collection in its database as a project";
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
