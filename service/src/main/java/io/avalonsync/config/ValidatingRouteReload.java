package io.avalonsync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PatternHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads edited route files of the running daemon within seconds, safely:
 * <ol>
 * <li>every route file first passes the checks of {@code validate} (which loads them all into a model of its own and
 * resolves every endpoint): a broken edit is rejected with file, line and reason, and nothing running is touched;</li>
 * <li>only routes whose text changed are replaced (and, when a routeConfiguration changed, the routes that use it;
 * when a route template changed, the routes made from it): an edit of one route does not restart the schedule or
 * the listener beside it;</li>
 * <li>should building or starting a replaced route still fail, the routes of the last applied text are put back;</li>
 * <li>a one-shot start-up route (a timer with repeatCount=1, also behind master:) is never replaced: it runs once per
 * process, and an edit of it applies at the next start.</li>
 * </ol>
 */
public final class ValidatingRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReload.class);

    private final Path folder;
    private final String routesFolderName;
    private final Settings settings;
    private final AtomicInteger reloads = new AtomicInteger();
    /** The text of each route file as the running routes were last built from it, by resource location. */
    private final Map<String, String> applied = new HashMap<>();
    private volatile List<String> lastRejection = List.of();
    private volatile List<String> lastReloaded = List.of();
    /** The texts the routes were loaded from at start (absolute path to text), when the start-up checks gave them. */
    private Map<Path, String> loadedFrom = Map.of();

    /** @param routes the folder of the route files (its parent holds application.properties) */
    public ValidatingRouteReload(Path routes, Settings settings) {
        super(routes.toString(), false);
        setPattern("*.yaml");
        setRemoveAllRoutes(false);
        this.folder = routes.toAbsolutePath().getParent();
        this.routesFolderName = routes.toAbsolutePath().getFileName().toString();
        this.settings = settings;
    }

    /**
     * The texts the running routes were loaded from (the start-up checks', see {@code CheckedRouteTexts}), by absolute
     * path: the base for later edits instead of the files as they are when the watcher starts. Call before start.
     */
    public void loadedFrom(Map<Path, String> texts) {
        Map<Path, String> normal = new HashMap<>();
        texts.forEach((file, text) -> normal.put(file.toAbsolutePath().normalize(), text));
        this.loadedFrom = normal;
    }

    @Override
    protected void doStart() throws Exception {
        // what the routes were loaded from: the base that later edits are compared with and rolled back to
        List<String> savedDuringStart = new ArrayList<>();
        for (Path file : routeFiles()) {
            String onDisk = Files.readString(file, StandardCharsets.UTF_8);
            String loaded = loadedFrom.get(file.toAbsolutePath().normalize());
            applied.put(location(file), loaded == null ? onDisk : loaded);
            if (loaded != null && !loaded.equals(onDisk)) {
                savedDuringStart.add(shortName(location(file)));
            }
        }
        if (!savedDuringStart.isEmpty()) {
            // the save came before the watcher: no event will bring it, and it was never checked
            LOG.warn("route files saved during the start: {}; the running routes are the text the start-up checks"
                    + " passed; save them again to have the edit checked and applied", savedDuringStart);
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        settle(resources);
        // the texts the checks read are the texts applied: a save landing after the checks waits for its own event
        List<String> problems = new ArrayList<>();
        Map<Path, String> checked = checkedTexts(folder, settings, problems);
        if (!problems.isEmpty()) {
            reject(problems);
            return;
        }
        Map<String, String> edited = new LinkedHashMap<>();
        for (Resource resource : resources) {
            String text = checked.get(fileOf(resource));
            if (text != null) {
                edited.put(resource.getLocation(), text);
            }
        }
        if (!edited.isEmpty() && edited.entrySet().stream()
                .allMatch(file -> file.getValue().equals(applied.get(file.getKey())))) {
            // the second event of a save already applied (its truncation, then its write), or an edit undone
            if (!lastRejection.isEmpty()) {
                LOG.info("route files are back to the running routes: {}", edited.keySet());
            }
            lastRejection = List.of();
            return;
        }
        Map<String, String> files = new LinkedHashMap<>(edited);
        Set<String> configurations = changedConfigurations(edited);
        files.putAll(filesUsing(configurations, edited.keySet()));
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Change change = change(file.getKey(), file.getValue(), configurations);
            if (change != null) {
                changes.add(change);
            }
        }
        List<Change> done = new ArrayList<>();
        try {
            for (Change change : changes) {
                done.add(change);
                apply(change.location(), change.text(), change.routeIds(), change.configurationsChanged());
            }
        } catch (Exception e) {
            rollBack(done, e);
            return;
        }
        applied.putAll(edited);
        lastRejection = List.of();
        reloads.incrementAndGet();
        lastReloaded = List.copyOf(files.keySet());
        List<String> replaced = changes.stream().flatMap(change -> change.routeIds().stream()).toList();
        LOG.info("route files reloaded: {}; routes replaced: {}", lastReloaded, replaced.isEmpty() ? "none" : replaced);
    }

    /** The routes of one file to build anew, and the file's text to build them from. */
    private record Change(String location, String text, Set<String> routeIds, boolean configurationsChanged,
                          String previousText) {
    }

    /**
     * The routes of a file whose text changed, that are new, or that use a changed routeConfiguration; null when the
     * file holds none of them and no changed routeConfiguration either.
     */
    private Change change(String location, String text, Set<String> changedConfigurations) {
        String previous = applied.get(location);
        RouteYaml now = parse(text, location);
        RouteYaml before = previous == null ? null : parse(previous, location);
        if (now == null) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Map.Entry<String, String> route : now.routeTexts.entrySet()) {
            String id = route.getKey();
            boolean edited = before == null || !route.getValue().equals(before.routeTexts.get(id));
            boolean configured = usesAny(route.getValue(), changedConfigurations);
            if (!edited && !configured) {
                continue;
            }
            if (getCamelContext().getRoute(id) != null && isOneShot(getCamelContext(), route(now, text, location, id))) {
                LOG.warn("{}: route {} runs once at start-up and is not replaced by a reload (it would run again); "
                        + "the edit applies at the next start", shortName(location), id);
                continue;
            }
            ids.add(id);
        }
        boolean configurationsChanged = now.configurationTexts.keySet().stream().anyMatch(changedConfigurations::contains);
        return ids.isEmpty() && !configurationsChanged ? null
                : new Change(location, text, ids, configurationsChanged, previous);
    }

    private static boolean usesAny(String routeText, Set<String> configurations) {
        return routeRefs(routeText).stream().anyMatch(ref ->
                configurations.stream().anyMatch(configuration -> PatternHelper.matchPattern(configuration, ref)));
    }

    /** The routeConfigurationId list of one route, read from its canonical text. */
    private static List<String> routeRefs(String routeText) {
        String key = "\"routeConfigurationId\":\"";
        int at = routeText.indexOf(key);
        if (at < 0) {
            return List.of();
        }
        int start = at + key.length();
        int end = routeText.indexOf('"', start);
        List<String> refs = new ArrayList<>();
        for (String ref : routeText.substring(start, end).split(",")) {
            if (!ref.isBlank()) {
                refs.add(ref.trim());
            }
        }
        return refs;
    }

    /** Ids of the routeConfigurations whose text an edited file changed (or added). */
    private Set<String> changedConfigurations(Map<String, String> edited) {
        Set<String> changed = new LinkedHashSet<>();
        edited.forEach((location, text) -> {
            RouteYaml now = parse(text, location);
            String previous = applied.get(location);
            RouteYaml before = previous == null ? null : parse(previous, location);
            if (now != null) {
                now.configurationTexts.forEach((id, configuration) -> {
                    if (before == null || !configuration.equals(before.configurationTexts.get(id))) {
                        changed.add(id);
                    }
                });
            }
        });
        return changed;
    }

    /**
     * A route takes its error handling from its routeConfiguration when the route is built: an edited retry policy
     * would reach nothing until the routes using it are rebuilt too. So the files of routes that use a changed
     * configuration are reloaded with it (only those routes replaced).
     */
    private Map<String, String> filesUsing(Set<String> configurations, Set<String> already) {
        Map<String, String> files = new LinkedHashMap<>();
        if (configurations.isEmpty()) {
            return files;
        }
        for (Path file : routeFiles()) {
            String location = location(file);
            String text = applied.get(location);
            RouteYaml yaml = text == null || already.contains(location) ? null : parse(text, location);
            if (yaml != null && yaml.routeConfigurationRefs.stream().anyMatch(ref ->
                    configurations.stream().anyMatch(id -> PatternHelper.matchPattern(id, ref.value())))) {
                files.put(location, text);
            }
        }
        return files;
    }

    /**
     * Builds the given routes of one file's text and swaps them in by id, as Camel's own reload does (stop and remove
     * the running route, add the new one), but only those routes; the file's route configurations first when they
     * changed.
     */
    private void apply(String location, String text, Set<String> ids, boolean configurations) throws Exception {
        CamelContext camel = getCamelContext();
        Resource resource = ResourceHelper.fromString(location, text);
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource));
        if (configurations) {
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteConfigurationsBuilder configurationsBuilder) {
                    configurationsBuilder.updateRouteConfigurationsToCamelContext(camel);
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        List<RouteDefinition> routes = new ArrayList<>();
        List<RouteTemplateDefinition> templates = new ArrayList<>();
        List<TemplatedRouteDefinition> templated = new ArrayList<>();
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routeBuilder) {
                RoutesDefinition definitions = routeBuilder.configureRoutes(camel);
                for (RouteDefinition route : definitions.getRoutes()) {
                    if (ids.contains(route.getRouteId())) {
                        definitions.prepareRoute(route);
                        routes.add(route);
                    }
                }
                // routes made from a template: the file's templates first, as they are now
                templates.addAll(routeBuilder.getRouteTemplateCollection().getRouteTemplates());
                routeBuilder.getTemplatedRouteCollection().getTemplatedRoutes().stream()
                        .filter(route -> ids.contains(route.getRouteId())).forEach(templated::add);
            }
        }
        List<String> replaced = new ArrayList<>();
        routes.forEach(route -> replaced.add(route.getRouteId()));
        templated.forEach(route -> replaced.add(route.getRouteId()));
        for (String id : replaced) {
            if (camel.getRoute(id) != null) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        model.addRouteDefinitions(routes);
        if (!templated.isEmpty()) {
            for (RouteTemplateDefinition template : templates) {
                model.removeRouteTemplateDefinitions(template.getId());
            }
            model.addRouteTemplateDefinitions(templates);
            model.addRouteFromTemplatedRoutes(templated);
        }
    }

    /**
     * A replaced route could not be built or started although the checks passed (a port taken, a bean method that
     * does not exist): the routes of the last applied text go back in, and the edit is reported as rejected.
     */
    private void rollBack(List<Change> done, Exception error) {
        List<String> problems = new ArrayList<>();
        problems.add(describe(done.isEmpty() ? null : done.get(done.size() - 1), error));
        for (int i = done.size() - 1; i >= 0; i--) {
            Change change = done.get(i);
            try {
                for (String id : change.routeIds()) {
                    if (getCamelContext().getRoute(id) != null) {
                        getCamelContext().getRouteController().stopRoute(id);
                        getCamelContext().removeRoute(id);
                    }
                }
                if (change.previousText() != null) {
                    RouteYaml before = parse(change.previousText(), change.location());
                    Set<String> back = new LinkedHashSet<>(change.routeIds());
                    back.retainAll(before == null ? Set.of() : before.routeTexts.keySet());
                    apply(change.location(), change.previousText(), back, change.configurationsChanged());
                }
            } catch (Exception e) {
                problems.add(shortName(change.location()) + ": the previous routes could not be put back either: "
                        + RouteFilesCheck.firstLine(RouteFilesCheck.rootCause(e).getMessage()));
            }
        }
        reject(problems);
    }

    /** file:line: route id cannot be built: reason, from what Camel threw (the line is the route's). */
    private String describe(Change change, Exception error) {
        String routeId = null;
        for (Throwable cause = error; cause != null && routeId == null; cause = cause.getCause()) {
            routeId = cause instanceof FailedToCreateRouteException create ? create.getRouteId()
                    : cause instanceof FailedToStartRouteException start ? start.getRouteId() : null;
        }
        if (routeId == null && change != null && change.routeIds().size() == 1) {
            routeId = change.routeIds().iterator().next(); // the only route this edit replaced
        }
        String where = change == null ? "routes" : shortName(change.location());
        String failed = routeId;
        if (change != null && failed != null) {
            RouteYaml yaml = parse(change.text(), change.location());
            int line = yaml == null ? 0 : yaml.routeIds.stream().filter(id -> id.value().equals(failed))
                    .mapToInt(RouteYaml.Located::line).findFirst().orElse(0);
            where = where + ":" + line;
        }
        return where + ": " + (routeId == null ? "" : "route " + routeId + " ") + "cannot be built or started: "
                + RouteFilesCheck.firstLine(RouteFilesCheck.rootCause(error).getMessage()) + " (the previous routes are back)";
    }

    private void reject(List<String> problems) {
        lastRejection = List.copyOf(problems);
        // no stack trace: the lines say what and where, and the running routes go on
        LOG.error("route files changed but not reloaded, the running routes go on: {}", String.join("; ", problems));
    }

    /** A timer that fires once (repeatCount=1), also behind master:, is start-up work. */
    static boolean isOneShot(CamelContext camel, RouteDefinition route) {
        if (route == null || route.getInput() == null) {
            return false;
        }
        try {
            String uri = camel.resolvePropertyPlaceholders(route.getInput().getEndpointUri());
            while (uri.startsWith("master:") && uri.indexOf(':', "master:".length()) > 0) {
                uri = uri.substring(uri.indexOf(':', "master:".length()) + 1);
            }
            int question = uri.indexOf('?');
            return uri.startsWith("timer:") && question > 0
                    && "1".equals(String.valueOf(URISupport.parseQuery(uri.substring(question + 1)).get("repeatCount")));
        } catch (Exception e) {
            return false;
        }
    }

    /** One route of a file's text as Camel reads it, not added to anything. */
    private RouteDefinition route(RouteYaml yaml, String text, String location, String id) {
        try {
            Resource resource = ResourceHelper.fromString(location, text);
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(getCamelContext()).findRoutesBuilders(List.of(resource))) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    for (RouteDefinition route : routeBuilder.configureRoutes(getCamelContext()).getRoutes()) {
                        if (id.equals(route.getRouteId())) {
                            return route;
                        }
                    }
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot read route {} of {}: {}", id, location, e.getMessage());
        }
        return null;
    }

    private List<Path> routeFiles() {
        try (var files = Files.list(folder.resolve(routesFolderName))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list the route files: {}", e.getMessage());
            return List.of();
        }
    }

    private static String location(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    private static String shortName(String location) {
        Path file = Path.of(location.replaceFirst("^file:", ""));
        Path parent = file.getParent();
        return (parent == null ? "" : parent.getFileName() + "/") + file.getFileName();
    }

    private static Path fileOf(Resource resource) {
        return Path.of(resource.getLocation().replaceFirst("^file:", "")).toAbsolutePath();
    }

    /** The file's ids and texts, or null when it cannot be parsed (the checks above already passed). */
    private static RouteYaml parse(String text, String location) {
        try {
            return RouteYaml.parse(text, shortName(location));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The checks of {@code validate} for the route files under {@code folder}/routes into {@code problems}, as
     * {@code file:line: reason} lines (none when every file would load), returning the text of each route file as
     * they read it (absolute path to text, in file name order): what a starter that loads the routes itself loads,
     * instead of the files read again (Karaf's route folder).
     */
    public static Map<Path, String> checkedTexts(Path folder, Settings settings, List<String> problems) {
        List<ConfigValidator.Problem> found = new ArrayList<>();
        RouteFilesCheck checked = new RouteFilesCheck(folder, settings, ConfigValidator.knownBeans(), found);
        checked.run();
        found.forEach(problem -> problems.add(problem.toString()));
        return checked.texts();
    }

    /**
     * Waits until the edited files stop changing (an editor or a copy may still be writing: a half-written file
     * must not be taken for the new routes), at most two seconds.
     */
    private static void settle(Collection<Resource> resources) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            StringBuilder state = new StringBuilder();
            for (Resource resource : resources) {
                java.io.File file = new java.io.File(resource.getLocation().replaceFirst("^file:", ""));
                state.append(file.length()).append('/').append(file.lastModified()).append(';');
            }
            if (state.toString().equals(last)) {
                return;
            }
            last = state.toString();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The files of the last accepted edit. */
    public List<String> lastReloaded() {
        return lastReloaded;
    }

    /** How many edits were applied since start. */
    public int reloads() {
        return reloads.get();
    }

    /** The problems of the last rejected edit (file:line: reason), empty after an accepted one. */
    public List<String> lastRejection() {
        return lastRejection;
    }

    /** The folder of {@code camel.main.routes-include-pattern} (e.g. {@code file:routes/*.yaml} → routes). */
    public static Path routesFolder(String includePattern) {
        String pattern = includePattern == null || includePattern.isBlank() ? "file:routes/*.yaml" : includePattern.split(",")[0].trim();
        if (pattern.startsWith("file:")) {
            pattern = pattern.substring(5);
        }
        Path path = Path.of(pattern);
        return path.getParent() == null ? Path.of(".") : path.getParent();
    }
}
