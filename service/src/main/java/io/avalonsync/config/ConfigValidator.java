package io.avalonsync.config;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.avalonsync.sync.Secrets;
import org.quartz.CronExpression;

/**
 * The {@code validate} command: checks {@code routes/*.yaml} and {@code application.properties} the way an
 * operator edits them, without connecting to anything or starting a route. Every problem is printed as
 * {@code <file>:<line>: <message>} (line 0 when it has none), then {@code validate: N problem(s)} or
 * {@code validate: OK (<n> route files, <m> routes)}. Values of secret keys are never printed.
 */
public final class ConfigValidator {

    static final String PROPERTIES_FILE = "application.properties";

    /** Names the routes may use in {@code bean: ref:}, {@code *Ref} options and {@code #name} parameters. */
    static final Set<String> KNOWN_BEANS = Set.of(
            "avalonMongo", "avalonProjects", "avalonPlanner", "syncRuns", "kitsuSession", "kitsuRelogin",
            "kitsuProjects", "kitsuProjectChoice", "kitsuSnapshots", "kitsuProjectMapping", "kitsuAvalonWriter", "healthReport",
            "eventJournal", "httpFaults", "journalSteps", "kitsuEventCursor", "kitsuEvents", "kitsuEventHints",
            "ShotGridSession", "shotgridRelogin", "ShotGridProjects", "ShotGridSearches", "shotgridProjectChoice",
            "ShotGridProjectMapping", "shotgridAvalonWriter", "ShotGridLeecher", "ShotGridEvents",
            "SitePasses", "SiteTransfers", "SiteSyncShutdown", "SiteSyncOps", "SiteQueue", "statusPage",
            "statusAuth", "serviceMetrics", "statusFigures", "statusHistory", "metricsRegistry", "identityGuard",
            "avalonConverge");

    /** The product's keys, as shipped in application.properties (keep in step with that file). */
    static final Set<String> KNOWN_KEYS = Set.of(
            "avalon.mongo-uri", "avalon.db", "avalon.flavour", "avalon.mongo-timeout",
            "sync.state-db", "sync.deletes", "sync.journal.keep-days", "sync.routes-reload", "sync.shutdown-timeout",
            "sync.progress-interval", "sync.log-format", "sync.cluster", "sync.node-id", "sync.cluster.lease", "sync.cluster.file.root",
            "sync.cluster.zookeeper.nodes", "sync.cluster.zookeeper.base-path", "sync.cluster.kubernetes.namespace",
            "sync.cluster.kubernetes.lease-name", "sync.cluster.kubernetes.master-url", "sync.cluster.kubernetes.app-label",
            "kitsu.url", "kitsu.user", "kitsu.password", "kitsu.projects", "kitsu.full-sync.cron",
            "kitsu.full-sync.at-start", "kitsu.events.enabled", "kitsu.retries", "kitsu.retry-delay", "kitsu.timeout",
            "kitsu.events-url", "kitsu.events.poll-interval", "kitsu.events.max-attempts", "kitsu.layout",
            "shotgrid.url", "shotgrid.script-name", "shotgrid.api-key", "shotgrid.poll-delay",
            "shotgrid.gap-timeout", "shotgrid.sync-field", "shotgrid.full-sync.cron", "shotgrid.full-sync.at-start",
            "shotgrid.events.enabled", "shotgrid.events.max-attempts", "shotgrid.retries", "shotgrid.retry-delay",
            "shotgrid.timeout", "shotgrid.entity-types",
            "sitesync.enabled", "sitesync.active-site", "sitesync.remote-site", "sitesync.local-id",
            "sitesync.retry-count", "sitesync.loop-delay", "sitesync.parallelism", "sitesync.batch-size",
            "sitesync.redeliveries", "sitesync.redelivery-delay", "sitesync.max-redelivery-delay", "sitesync.lease",
            "gdrive.credentials", "gdrive.api-url", "gdrive.chunk-size", "gdrive.chunk-retries", "gdrive.chunk-retry-delay",
            "gdrive.chunk-max-retry-delay",
            "status.port", "status.bind", "status.user", "status.password", "status.sample-interval");

    /** Families of keys with a free last part, e.g. sitesync.roots.work. */
    static final List<String> KNOWN_KEY_PREFIXES = List.of("sitesync.roots.", "gdrive.roots.", "kitsu.fields.",
            "shotgrid.fields.");

    /** Only these namespaces are ours; camel.* and anything else belong to Camel or to the operator. */
    private static final List<String> PRODUCT_NAMESPACES =
            List.of("avalon.", "sync.", "kitsu.", "shotgrid.", "sitesync.", "gdrive.", "status.");

    private static final List<String> FLAVOURS = List.of("openpype", "pype2", "avalon-core");
    private static final List<String> DELETE_MODES = List.of("ignore", "archive");

    /** One finding; file is relative to the checked folder. */
    record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return (line < 0 ? file : file + ":" + line) + ": " + message;
        }
    }

    private final Path folder;
    private final Settings settings;
    private final List<Problem> problems = new ArrayList<>();
    /** Worth a look but not wrong (the daemon starts): printed, not counted in the exit code. */
    private final List<Problem> warnings = new ArrayList<>();
    /** Line of each key in application.properties (the last one when a key is repeated, as it wins). */
    private final Map<String, Integer> keyLines = new HashMap<>();
    private final Map<String, String> fileValues = new HashMap<>();

    private ConfigValidator(Path folder, Settings settings) {
        this.folder = folder;
        this.settings = settings;
    }

    /** Runs every check, prints the findings to {@code out}; returns 0 when there is none, else 1. */
    public static int run(Path folder, Settings settings, PrintStream out) {
        return run(folder, settings, out, KNOWN_BEANS);
    }

    /**
     * The checks of {@code validate}, run by every command that starts the service (daemon, {@code sync-once},
     * {@code demo}) before it connects to or writes anything: each problem on {@code err} as {@code validate}
     * prints it. Returns true when there is none (warnings are the daemon's to log).
     */
    public static boolean passesAtStart(Path folder, Settings settings, String command, PrintStream err) {
        ConfigValidator validator = new ConfigValidator(folder, settings);
        validator.checkConfiguration();
        new RouteFilesCheck(folder, settings, KNOWN_BEANS, validator.problems).run();
        List<Problem> found = validator.problems();
        if (found.isEmpty()) {
            return true;
        }
        found.forEach(err::println);
        err.println(command + ": not started: " + found.size() + " problem(s) in the configuration (fix them, then check with"
                + " `java -jar avalon-sync.jar validate`)");
        return false;
    }

    static int run(Path folder, Settings settings, PrintStream out, Set<String> knownBeans) {
        ConfigValidator validator = new ConfigValidator(folder, settings);
        validator.checkConfiguration();
        RouteFilesCheck routes = new RouteFilesCheck(folder, settings, knownBeans, validator.problems);
        routes.run();
        List<Problem> found = validator.problems();
        found.forEach(out::println);
        validator.warnings.forEach(w -> out.println(w.file() + ":" + w.line() + ": warning: " + w.message()));
        if (found.isEmpty()) {
            int warned = validator.warnings.size();
            out.println("validate: OK (" + routes.routeFileCount() + " route files, " + routes.routeCount() + " routes"
                    + (warned == 0 ? "" : ", " + warned + " warning(s)") + ")");
            return 0;
        }
        out.println("validate: " + found.size() + " problem(s)");
        return 1;
    }

    /** The findings in file then line order, like a compiler's. */
    List<Problem> problems() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        return sorted;
    }

    private void problem(String file, int line, String message) {
        problems.add(new Problem(file, line, Secrets.mask(message)));
    }

    // ---- application.properties ---------------------------------------------------------------------

    private void checkConfiguration() {
        Path file = folder.resolve(PROPERTIES_FILE);
        if (!Files.isRegularFile(file)) {
            problem(PROPERTIES_FILE, 0, "file is missing; every setting would come from -D and the environment");
        } else {
            readPropertiesFile(file);
        }
        checkMongo();
        oneOf("avalon.flavour", FLAVOURS, true); // Flavour.fromKey ignores case
        oneOf("sync.deletes", DELETE_MODES, false);
        oneOf("sync.log-format", List.of("text", "json"), true);
        oneOf("kitsu.layout", io.avalonsync.avalon.AvalonLayout.KEYS, true);
        if ("openpype".equalsIgnoreCase(settings.get("kitsu.layout", "auto"))
                && !"openpype".equalsIgnoreCase(settings.get("avalon.flavour", "openpype"))) {
            keyProblem("kitsu.layout", "openpype is the layout of OpenPype's Kitsu module, which writes the openpype"
                    + " flavour only: set avalon.flavour = openpype, or kitsu.layout = auto or avalon-sync");
        }
        String avalonDb = settings.get("avalon.db", "avalon");
        String stateDb = settings.get("sync.state-db", "avalon_sync");
        if (stateDb.equalsIgnoreCase(avalonDb)) {
            problem(PROPERTIES_FILE, line("sync.state-db"), "sync.state-db must differ from avalon.db ('" + avalonDb
                    + "'): Avalon treats every collection of its database as a project");
        }
        for (String key : List.of("avalon.mongo-timeout", "kitsu.retries", "kitsu.retry-delay", "kitsu.timeout",
                "kitsu.events.poll-interval", "kitsu.events.max-attempts", "shotgrid.poll-delay", "shotgrid.gap-timeout",
                "shotgrid.retries", "shotgrid.retry-delay", "shotgrid.timeout", "shotgrid.events.max-attempts", "sitesync.retry-count", "sitesync.loop-delay",
                "sitesync.redeliveries", "sitesync.redelivery-delay", "sitesync.max-redelivery-delay")) {
            integer(key, 0, Integer.MAX_VALUE);
        }
        seconds("sync.progress-interval");
        integer("sitesync.parallelism", 1, Integer.MAX_VALUE);
        integer("sitesync.batch-size", 1, Integer.MAX_VALUE);
        integer("status.port", 0, 65535); // 0: any free port
        integer("status.sample-interval", 100, Integer.MAX_VALUE);
        integer("sitesync.lease", 1, Integer.MAX_VALUE);
        integer("sync.shutdown-timeout", 1, Integer.MAX_VALUE);
        integer("gdrive.chunk-size", 262_144, Integer.MAX_VALUE);
        integer("gdrive.chunk-retries", 0, Integer.MAX_VALUE);
        integer("gdrive.chunk-retry-delay", 1, Integer.MAX_VALUE);
        integer("gdrive.chunk-max-retry-delay", 1, Integer.MAX_VALUE);
        for (String key : List.of("kitsu.events.enabled", "kitsu.full-sync.at-start", "shotgrid.events.enabled",
                "shotgrid.full-sync.at-start", "sitesync.enabled")) {
            bool(key);
        }
        cron("kitsu.full-sync.cron", "kitsu.url");
        cron("shotgrid.full-sync.cron", "shotgrid.url");
        for (String key : List.of("kitsu.url", "kitsu.events-url", "shotgrid.url", "gdrive.api-url")) {
            httpUrl(key);
        }
        requiredWith("kitsu.url", "kitsu.user", "kitsu.password");
        requiredWith("shotgrid.url", "shotgrid.script-name", "shotgrid.api-key");
        checkSiteSync();
        checkStatusServer();
        checkFieldMappings();
        String cluster = io.avalonsync.cluster.ClusterServices.problem(settings);
        if (cluster != null) {
            String key = cluster.contains("sync.cluster.lease") ? "sync.cluster.lease" : "sync.cluster";
            problem(PROPERTIES_FILE, line(key), cluster);
        }
    }

    /**
     * Basic auth needs both keys. A status server on a non-loopback address without it is a warning, not a problem:
     * the daemon starts and warns too, and inside a container (docker/Dockerfile binds 0.0.0.0) the published port
     * decides who can reach it.
     */
    private void checkStatusServer() {
        boolean user = settings.has("status.user");
        boolean password = settings.has("status.password");
        if (user && !password) {
            problem(PROPERTIES_FILE, keyLines.getOrDefault("status.password", line("status.user")),
                    "status.user is set but status.password is empty: basic auth needs both");
        } else if (password && !user) {
            problem(PROPERTIES_FILE, keyLines.getOrDefault("status.user", line("status.password")),
                    "status.password is set but status.user is empty: basic auth needs both");
        }
        String bind = settings.get("status.bind", "127.0.0.1");
        if (!user && !io.avalonsync.status.StatusAuth.isLoopback(bind)) {
            warnings.add(new Problem(PROPERTIES_FILE, line("status.bind"), io.avalonsync.status.StatusAuth.openBindWarning(
                    bind, settings.get("status.port", "8080")) + origin("status.bind")));
        }
    }

    /**
     * Field mappings ({@code kitsu.fields.*}, {@code shotgrid.fields.*}): key shape, entity type, Avalon key, tracker
     * field syntax and type, as {@link io.avalonsync.fields.FieldMapping} reads them; and the ShotGrid entity types.
     */
    private void checkFieldMappings() {
        for (io.avalonsync.fields.FieldMapping.Tracker tracker : io.avalonsync.fields.FieldMapping.Tracker.values()) {
            Map<String, String> entries = new java.util.TreeMap<>();
            keyLines.keySet().stream().filter(k -> k.startsWith(tracker.prefix())).forEach(k -> entries.put(k, settings.get(k)));
            settings.keysWithPrefix(tracker.prefix()).forEach(s -> entries.put(tracker.prefix() + s, settings.get(tracker.prefix() + s)));
            List<io.avalonsync.fields.FieldMapping.Problem> found = new ArrayList<>();
            io.avalonsync.fields.FieldMapping.parse(tracker, entries, found);
            found.forEach(p -> keyProblem(p.key(), p.message()));
        }
        String types = settings.get("shotgrid.entity-types");
        String problemText = io.avalonsync.shotgrid.ShotGridFields.parseTypes(types, new java.util.HashSet<>());
        if (problemText != null) {
            keyProblem("shotgrid.entity-types", problemText);
        }
    }

    /** With site sync on: a readable key file, and every local root with a remote root of the same name. */
    private void checkSiteSync() {
        String chunk = settings.get("gdrive.chunk-size");
        if (chunk != null && chunk.matches("\\d+") && Long.parseLong(chunk) % 262_144 != 0) {
            keyProblem("gdrive.chunk-size", chunk
                    + " is not a multiple of 262144 (256 KiB), which Drive's resumable uploads require");
        }
        String firstDelay = settings.get("gdrive.chunk-retry-delay");
        String maxDelay = settings.get("gdrive.chunk-max-retry-delay");
        if (firstDelay != null && maxDelay != null && firstDelay.matches("\\d{1,9}") && maxDelay.matches("\\d{1,9}")
                && Integer.parseInt(firstDelay) > Integer.parseInt(maxDelay)) {
            keyProblem("gdrive.chunk-retry-delay", firstDelay + " is above gdrive.chunk-max-retry-delay (" + maxDelay + ")");
        }
        if (!Boolean.parseBoolean(settings.get("sitesync.enabled", "false"))) {
            return;
        }
        int enabledLine = keyLines.getOrDefault("sitesync.enabled", 0);
        // a warning: validate may run elsewhere than the daemon, which refuses to start this way
        String encoding = io.avalonsync.sitesync.FileNameEncoding.problem();
        if (encoding != null) {
            warnings.add(new Problem(PROPERTIES_FILE, enabledLine, encoding + " (the daemon refuses to start so)"));
        }
        String credentials = settings.get("gdrive.credentials");
        if (credentials == null) {
            problem(PROPERTIES_FILE, keyLines.getOrDefault("gdrive.credentials", enabledLine),
                    "sitesync.enabled is true but gdrive.credentials is empty: set the service-account JSON file");
        } else if (!Files.isReadable(folder.resolve(credentials))) {
            keyProblem("gdrive.credentials", "file "
                    + folder.resolve(credentials).toAbsolutePath() + " does not exist or cannot be read");
        }
        Set<String> local = settings.keysWithPrefix("sitesync.roots.");
        Set<String> remote = settings.keysWithPrefix("gdrive.roots.");
        if (local.isEmpty()) {
            problem(PROPERTIES_FILE, enabledLine, "sitesync.enabled is true but no local root is set:"
                    + " add sitesync.roots.<name> = <folder> for each root the published paths use, e.g. sitesync.roots.work");
        }
        for (String name : local) {
            if (!remote.contains(name)) {
                problem(PROPERTIES_FILE, keyLines.getOrDefault("sitesync.roots." + name, enabledLine), "sitesync.roots." + name
                        + " has no remote counterpart: set gdrive.roots." + name + " (e.g. /My Drive/" + name + ")");
            }
        }
        for (String name : remote) {
            String value = settings.get("gdrive.roots." + name);
            if (value != null && !value.startsWith("/")) {
                keyProblem("gdrive.roots." + name, "'" + value
                        + "' must start with /My Drive/ or /<shared drive name>/");
            }
        }
    }

    private void readPropertiesFile(Path file) {
        List<PropertiesFile.Entry> entries;
        try {
            entries = PropertiesFile.read(file);
        } catch (IOException e) {
            problem(PROPERTIES_FILE, 0, "cannot be read: " + e.getMessage());
            return;
        }
        for (PropertiesFile.Entry entry : entries) {
            if (entry.unreadable()) {
                problem(PROPERTIES_FILE, entry.line(), "unreadable entry: " + entry.value());
                continue;
            }
            String key = entry.key();
            Integer earlier = keyLines.put(key, entry.line());
            if (earlier != null) {
                problem(PROPERTIES_FILE, entry.line(), key + " is set again (first at line " + earlier + "); the last one wins");
            }
            fileValues.put(key, entry.value().trim());
            if (isProductKey(key) && !isKnownKey(key)) {
                problem(PROPERTIES_FILE, entry.line(), "unknown key " + key + suggestion(key, keyCandidates(key)));
            }
        }
    }

    private void checkMongo() {
        String uri = settings.get("avalon.mongo-uri");
        if (uri == null) {
            problem(PROPERTIES_FILE, keyLines.getOrDefault("avalon.mongo-uri", 0),
                    "avalon.mongo-uri is not set (set it here or in the environment variable AVALON_MONGO)");
        } else if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            // never echoed: a Mongo URI usually carries a password
            keyProblem("avalon.mongo-uri", "must start with mongodb:// or mongodb+srv://");
        } else {
            try {
                new com.mongodb.ConnectionString(uri);
            } catch (IllegalArgumentException e) {
                keyProblem("avalon.mongo-uri", "is not a valid MongoDB URI: " + withoutPassword(e.getMessage(), uri));
            }
        }
    }

    private void oneOf(String key, List<String> allowed, boolean ignoreCase) {
        String value = typedValue(key, "one of " + String.join(", ", allowed));
        if (value != null && !allowed.contains(ignoreCase ? value.toLowerCase(Locale.ROOT) : value)) {
            keyProblem(key, shown(key, value) + " is not one of " + String.join(", ", allowed)
                    + suggestion(value, allowed));
        }
    }

    private void integer(String key, int min, int max) {
        String range = max == Integer.MAX_VALUE ? "a whole number >= " + min : "a whole number from " + min + " to " + max;
        String value = typedValue(key, range);
        if (value == null) {
            return;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                keyProblem(key, shown(key, value) + " is out of range: expected " + range);
            }
        } catch (NumberFormatException e) {
            keyProblem(key, shown(key, value) + " is not " + range);
        }
    }

    /** A number of seconds >= 0, fractions allowed (0.5). */
    private void seconds(String key) {
        String value = typedValue(key, "a number of seconds >= 0");
        if (value == null) {
            return;
        }
        try {
            if (!(Double.parseDouble(value) >= 0)) {
                keyProblem(key, shown(key, value) + " is out of range: expected a number of seconds >= 0");
            }
        } catch (NumberFormatException e) {
            keyProblem(key, shown(key, value) + " is not a number of seconds >= 0");
        }
    }

    private void bool(String key) {
        String value = typedValue(key, "true or false");
        if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            keyProblem(key, shown(key, value) + " is not true or false");
        }
    }

    /** A quartz cron; camel-quartz reads '+' as a space, so the validator does too. */
    private void cron(String key, String sourceUrlKey) {
        String value = settings.get(key);
        if (value == null) {
            if (settings.has(sourceUrlKey)) {
                keyProblem(key, "is empty, but " + sourceUrlKey + " is set: a quartz cron is needed");
            }
            return;
        }
        try {
            CronExpression.validateExpression(value.replace('+', ' '));
        } catch (ParseException e) {
            keyProblem(key, shown(key, value) + " is not a valid quartz cron: " + e.getMessage()
                    + " (expected seconds minutes hours day-of-month month day-of-week [year], e.g. '0 5 * * * ?')");
        }
    }

    private void httpUrl(String key) {
        String value = settings.get(key);
        if (value == null) {
            return;
        }
        String problemText = null;
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problemText = "must start with http:// or https://";
            } else if (uri.getHost() == null) {
                problemText = "has no host name";
            }
        } catch (URISyntaxException e) {
            problemText = "is not a URL: " + e.getReason() + " at index " + e.getIndex();
        }
        if (problemText != null) {
            keyProblem(key, shown(key, withoutUserInfo(value)) + " " + problemText);
        }
    }

    /** A tracker URL without its login leaves the routes failing on the first request. */
    private void requiredWith(String urlKey, String... requiredKeys) {
        if (!settings.has(urlKey)) {
            return;
        }
        for (String key : requiredKeys) {
            if (!settings.has(key)) {
                String env = Settings.ENV_FALLBACKS.get(key);
                problem(PROPERTIES_FILE, keyLines.getOrDefault(key, line(urlKey)), urlKey + " is set but " + key + " is empty"
                        + (env == null ? "" : " (set it here or in the environment variable " + env + ")"));
            }
        }
    }

    /** The effective value, or null; a key left empty in the file is a problem, an absent key takes the default. */
    private String typedValue(String key, String expected) {
        String value = settings.get(key);
        if (value == null && keyLines.containsKey(key)) {
            keyProblem(key, "is empty: expected " + expected);
        }
        return value;
    }

    /**
     * A problem with a key's effective value, as {@code <where>: <key>: <problem>}; where is the file and line the
     * value comes from, {@code -D<key>} for a system property (or a value a command sets) and
     * {@code environment <NAME>} for an environment variable of the original tool.
     */
    private void keyProblem(String key, String message) {
        Settings.Source source = settings.source(key);
        String text = key + ": " + message;
        if (source == Settings.Source.SYSTEM || source == Settings.Source.OVERRIDE) {
            problem("-D" + key, -1, text);
        } else if (source == Settings.Source.ENV) {
            problem("environment " + Settings.ENV_FALLBACKS.get(key), -1, text);
        } else {
            problem(PROPERTIES_FILE, keyLines.getOrDefault(key, 0), text);
        }
    }

    /** Where to point for an effective value: its line when it comes from the file, else line 0. */
    private int line(String key) {
        return isFromFile(key) ? keyLines.get(key) : 0;
    }

    /** Says so when the value checked is not the one in the file, which would puzzle whoever reads that line. */
    private String origin(String key) {
        if (isFromFile(key) || settings.get(key) == null) {
            return "";
        }
        String env = Settings.ENV_FALLBACKS.get(key);
        return " (value from -D" + key + (env == null ? "" : " or " + env) + ")";
    }

    private boolean isFromFile(String key) {
        return keyLines.containsKey(key) && fileValues.get(key).equals(settings.get(key));
    }

    private static boolean isProductKey(String key) {
        return PRODUCT_NAMESPACES.stream().anyMatch(key::startsWith);
    }

    private static boolean isKnownKey(String key) {
        return KNOWN_KEYS.contains(key)
                || KNOWN_KEY_PREFIXES.stream().anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
    }

    /** The known keys, plus e.g. sitesync.roots.work for sitesync.root.work. */
    private static Collection<String> keyCandidates(String key) {
        Set<String> candidates = new HashSet<>(KNOWN_KEYS);
        String lastPart = key.substring(key.lastIndexOf('.') + 1);
        KNOWN_KEY_PREFIXES.forEach(prefix -> candidates.add(prefix + lastPart));
        return candidates;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** " (did you mean x?)" for the closest candidate when it is close enough to be a typo, else "". */
    static String suggestion(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(candidates)) {
            int distance = editDistance(word, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static boolean isSecret(String key) {
        return Secrets.isSecretKey(key);
    }

    private static String shown(String key, String value) {
        return Secrets.shown(key, value);
    }

    /** The driver's message about a URI, with the URI's password (if any) masked wherever it appears. */
    private static String withoutPassword(String message, String uri) {
        java.util.regex.Matcher userInfo = java.util.regex.Pattern.compile("://[^/@]*?:([^/@]+)@").matcher(uri);
        String text = message == null ? "" : message;
        return Secrets.mask(userInfo.find() ? text.replace(userInfo.group(1), Secrets.MASK) : text);
    }

    private static String withoutUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//");
    }
}
