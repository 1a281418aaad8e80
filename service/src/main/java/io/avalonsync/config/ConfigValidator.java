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
import java.util.concurrent.CompletableFuture;

import io.avalonsync.sync.Secrets;
import org.quartz.CronExpression;

/**
 * The {@code validate} command: checks {@code routes/*.yaml} and {@code application.properties} the way an
 * operator edits them, without connecting to anything or starting a route. Every problem is printed as
 * {@code <file>:<line>: <message>} (line 0 when it has none), then {@code validate: N problem(s)} or
 * {@code validate: OK (<n> route files, <m> routes)}. Values of secret keys are never printed.
 */
public final class ConfigValidator implements Checks {

    static final String PROPERTIES_FILE = "application.properties";

    /**
     * Names the routes may use in {@code bean: ref:}, {@code *Ref} options and {@code #name} parameters: the beans
     * AppConfiguration binds (its {@code @BindToRegistry} methods).
     */
    static Set<String> knownBeans() {
        return io.avalonsync.AppConfiguration.beanNames();
    }

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
        return run(folder, settings, out, knownBeans());
    }

    /**
     * The verdict of the start-up checks, and the text of each route file as they read it (absolute path to text):
     * the texts the service then loads, so that a file saved after the checks read it is not loaded unchecked.
     */
    public record StartChecks(boolean passed, Map<Path, String> routeTexts) {
    }

    /**
     * The checks of {@code validate}, run by every command that starts the service (daemon, {@code sync-once},
     * {@code demo}) before it connects to or writes anything: each problem on {@code err} as {@code validate} prints
     * it; passed when there is none (warnings are the daemon's to log). The slow half, the route files (a Camel context
     * of their own, loading and resolving every endpoint), runs on a thread of its own, so that it runs beside Camel
     * Main's start on the second core (README "Faster start"). The settings are checked before this returns: with a
     * problem there, the route files are checked at once too and the future is already done, not passed. Whoever
     * starts the service waits for the future before its routes load or anything connects to MongoDB for writing
     * ({@code AvalonSyncApp} and {@code AvalonSync}), and loads the route texts it gives.
     */
    public static CompletableFuture<StartChecks> checksAtStart(Path folder, Settings settings, String command, PrintStream err) {
        ConfigValidator validator = new ConfigValidator(folder, settings);
        validator.checkConfiguration();
        if (!validator.problems.isEmpty()) {
            return CompletableFuture.completedFuture(validator.routeFilesPass(command, err));
        }
        return CompletableFuture.supplyAsync(() -> validator.routeFilesPass(command, err), task -> {
            Thread thread = new Thread(task, "config-checks");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The route half of the start-up checks; prints every problem found so far (settings too) and the verdict. */
    private StartChecks routeFilesPass(String command, PrintStream err) {
        RouteFilesCheck routes = new RouteFilesCheck(folder, settings, knownBeans(), problems);
        routes.run();
        List<Problem> found = problems();
        if (found.isEmpty()) {
            return new StartChecks(true, Map.copyOf(routes.texts()));
        }
        found.forEach(err::println);
        err.println(command + ": not started: " + found.size() + " problem(s) in the configuration (fix them, then check with"
                + " `java -jar avalon-sync.jar validate`)");
        return new StartChecks(false, Map.of());
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
        checkSystemProperties();
        for (Key key : Keys.ALL) {
            // a placeholder left in a value would be used as written (a password "{{env:...}}"): named, and the
            // value not checked further
            boolean resolved = true;
            for (String name : key.kind() == Key.Kind.FAMILY
                    ? settings.keysWithPrefix(key.name()).stream().map(part -> key.name() + part).toList()
                    : List.of(key.name())) {
                String unresolved = settings.unresolved(name);
                if (unresolved != null) {
                    keyProblem(name, unresolved);
                    resolved = false;
                }
            }
            if (resolved) {
                check(key);
            }
        }
        settings.avalon().check(this);
        settings.sync().check(this);
        settings.cluster().check(this);
        settings.kitsu().check(this);
        settings.shotgrid().check(this);
        settings.siteSync().check(this);
        settings.status().check(this);
    }

    /** What a key's kind asks of its value (Key.Kind). */
    private void check(Key key) {
        switch (key.kind()) {
            case WHOLE -> integer(key.name(), key.min(), key.max());
            case SECONDS -> seconds(key.name());
            case BOOLEAN -> bool(key.name());
            case CHOICE -> oneOf(key.name(), key.choices(), key.ignoreCase());
            case CRON -> cron(key.name(), key.requiredWith());
            case HTTP_URL -> httpUrl(key.name());
            case MONGO_URI -> mongoUri(key.name());
            default -> {
                // TEXT and FAMILY take any value; their areas check what depends on other keys
            }
        }
    }

    // ---- Checks, for the areas' own checks ------------------------------------------------------------

    @Override
    public void keyProblem(String key, String message) {
        Settings.Source source = settings.source(key);
        String text = key + ": " + message;
        if (source == Settings.Source.SYSTEM || source == Settings.Source.OVERRIDE) {
            problem("-D" + key, -1, text);
        } else if (source == Settings.Source.ENV) {
            problem("environment " + settings.environmentVariable(key), -1, text);
        } else {
            problem(PROPERTIES_FILE, keyLines.getOrDefault(key, 0), text);
        }
    }

    @Override
    public void problem(int line, String message) {
        problem(PROPERTIES_FILE, line, message);
    }

    @Override
    public void warning(int line, String message) {
        warnings.add(new Problem(PROPERTIES_FILE, line, Secrets.mask(message)));
    }

    @Override
    public int lineOr(String key, int otherwise) {
        return keyLines.getOrDefault(key, otherwise);
    }

    @Override
    public int effectiveLine(String key) {
        return line(key);
    }

    @Override
    public Set<String> fileKeys(String prefix) {
        Set<String> keys = new TreeSet<>();
        keyLines.keySet().stream().filter(key -> key.startsWith(prefix)).forEach(keys::add);
        return keys;
    }

    @Override
    public Path folder() {
        return folder;
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
            String unknown = unknownKey(key);
            if (unknown != null) {
                problem(PROPERTIES_FILE, entry.line(), unknown);
            }
        }
    }

    /** A -D key in the service's namespaces that it does not know: a typo that would leave the default in place. */
    private void checkSystemProperties() {
        for (String key : new TreeSet<>(settings.systemKeys())) {
            String unknown = unknownKey(key);
            if (unknown != null) {
                problem("-D" + key, -1, unknown);
            }
        }
    }

    /** "unknown key ..." with the new name of a renamed key or the closest known one, or null for a known key. */
    private static String unknownKey(String key) {
        String renamed = Keys.renamed().get(key);
        if (renamed != null) {
            return "unknown key " + key + ": it is Camel's " + renamed + " now";
        }
        if (!isProductKey(key) || Keys.find(key) != null) {
            return null;
        }
        return "unknown key " + key + suggestion(key, keyCandidates(key));
    }

    private void mongoUri(String key) {
        String uri = settings.get(key);
        if (uri == null) {
            return; // required: AvalonSettings says so
        }
        if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            // never echoed: a Mongo URI usually carries a password
            keyProblem(key, "must start with mongodb:// or mongodb+srv://");
        } else {
            try {
                new com.mongodb.ConnectionString(uri);
            } catch (IllegalArgumentException e) {
                keyProblem(key, "is not a valid MongoDB URI: " + withoutPassword(e.getMessage(), uri));
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

    private void integer(String key, long min, long max) {
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

    /**
     * The effective value, or null. A key left empty in the file is a problem (what did the operator mean?); a key the
     * file does not have takes the shipped default.
     */
    private String typedValue(String key, String expected) {
        Settings.Source source = settings.source(key);
        if (keyLines.containsKey(key) && fileValues.get(key).isEmpty()
                && (source == null || source == Settings.Source.DEFAULT)) {
            keyProblem(key, "is empty: expected " + expected);
            return null;
        }
        return settings.get(key);
    }

    /** Where to point for an effective value: its line when it comes from the file, else line 0. */
    private int line(String key) {
        return isFromFile(key) ? keyLines.get(key) : 0;
    }

    /** Says so when the value checked is not the one in the file, which would puzzle whoever reads that line. */
    @Override
    public String origin(String key) {
        if (isFromFile(key) || settings.get(key) == null) {
            return "";
        }
        String variable = settings.environmentVariable(key);
        return variable != null ? " (value from environment " + variable + ")" : " (value from -D" + key + ")";
    }

    private boolean isFromFile(String key) {
        return keyLines.containsKey(key) && fileValues.get(key).equals(settings.get(key));
    }

    private static boolean isProductKey(String key) {
        return Keys.namespaces().stream().anyMatch(key::startsWith);
    }

    /** The known keys, plus e.g. sitesync.roots.work for sitesync.root.work. */
    private static Collection<String> keyCandidates(String key) {
        Set<String> candidates = new HashSet<>();
        String lastPart = key.substring(key.lastIndexOf('.') + 1);
        for (Key known : Keys.ALL) {
            candidates.add(known.kind() == Key.Kind.FAMILY ? known.name() + lastPart : known.name());
        }
        return candidates;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** " (did you mean x?)" for the closest candidate when it is close enough to be a typo, else "". */
    static String suggestion(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(candidates)) {
            int distance = io.avalonsync.fields.FieldMapping.editDistance(word, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? " (did you mean " + best + "?)" : "";
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
