package io.avalonsync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.config.ConfigValidator.Problem;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PatternHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.avalonsync.config.ConfigValidator.suggestion;

/**
 * The route half of {@link ConfigValidator}: every {@code routes/*.yaml} must parse, load into Camel's model
 * through Camel's own YAML DSL loader (nothing is started), resolve its placeholders against the service's
 * configuration, and name route ids, route configurations and beans that exist.
 */
final class RouteFilesCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilesCheck.class);

    static final String ROUTES_FOLDER = "routes";

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[(.+?)] not found");
    private static final Pattern LINE_IN_MESSAGE = Pattern.compile("line (\\d+)");
    private static final Pattern MISSING_TEMPLATE = Pattern.compile("Cannot find RouteTemplate with id (\\S+)");

    /** Where something is declared, printed as file:line. */
    private record Place(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private final Path folder;
    private final Settings settings;
    private final Set<String> knownBeans;
    private final List<Problem> problems;
    private final Map<Path, String> texts = new LinkedHashMap<>();
    private int routeFileCount;
    private int routeCount;

    RouteFilesCheck(Path folder, Settings settings, Set<String> knownBeans, List<Problem> problems) {
        this.folder = folder;
        this.settings = settings;
        this.knownBeans = knownBeans;
        this.problems = problems;
    }

    /** Each route file's text as the checks read it (absolute path to text), in file name order. */
    Map<Path, String> texts() {
        return texts;
    }

    int routeFileCount() {
        return routeFileCount;
    }

    /** Routes in Camel's model after loading every file. */
    int routeCount() {
        return routeCount;
    }

    /** Checks every file; the counts are valid afterwards. */
    void run() {
        Path routes = folder.resolve(ROUTES_FOLDER);
        if (!Files.isDirectory(routes)) {
            problem(ROUTES_FOLDER, 0, "folder is missing; the service loads its routes from routes/*.yaml");
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(routes)) {
            listing.forEach(files::add);
        } catch (IOException e) {
            problem(ROUTES_FOLDER, 0, "cannot list the folder: " + e.getMessage());
            return;
        }
        files.sort(Comparator.comparing(Path::toString));
        Map<String, RouteYaml> parsed = new LinkedHashMap<>();
        // one context for all files, never started: loading only builds the model
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.setStartupSummaryLevel(StartupSummaryLevel.Off); // stdout is the report: no shutdown banner in it
        // the model keeps each step's line, so an endpoint that cannot be built is reported where it is written
        camel.setSourceLocationEnabled(true);
        RouteEndpointsCheck endpoints = new RouteEndpointsCheck(camel, problems);
        try {
            usePropertiesOfThisService(camel);
            for (Path file : files) {
                String name = ROUTES_FOLDER + "/" + file.getFileName();
                if (name.endsWith(".yml")) {
                    problem(name, 0, "never loaded: route files must end in .yaml");
                }
                if (!name.endsWith(".yaml") || !Files.isRegularFile(file)) {
                    continue;
                }
                routeFileCount++;
                String text = read(file, name);
                RouteYaml yaml = text == null ? null : parse(text, name);
                if (yaml != null) {
                    parsed.put(name, yaml);
                    checkPlaceholders(camel, name, yaml);
                    Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
                    int routesBefore = model.getRouteDefinitions().size();
                    int configurationsBefore = model.getRouteConfigurationDefinitions().size();
                    boolean loads = loadIntoCamel(camel, file, text, name, yaml);
                    LOG.debug("{}: {}", name, loads ? "loads" : "does not load");
                    if (loads) {
                        endpoints.check(name, yaml,
                                List.copyOf(model.getRouteDefinitions().subList(routesBefore, model.getRouteDefinitions().size())),
                                List.copyOf(model.getRouteConfigurationDefinitions().subList(configurationsBefore,
                                        model.getRouteConfigurationDefinitions().size())));
                    }
                }
            }
            routeCount = camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().size();
        } finally {
            camel.stop();
        }
        if (routeFileCount == 0) {
            problem(ROUTES_FOLDER, 0, "no route files (*.yaml): the service would do nothing");
        }
        checkRouteIds(parsed);
        checkReferences(parsed);
    }

    /**
     * Placeholders resolve exactly as in the running service: the application.properties it loaded (which need not
     * sit beside a routes folder given by camel.main.routes-include-pattern), then the derived keys.
     */
    private void usePropertiesOfThisService(CamelContext camel) {
        settings.useIn(camel.getPropertiesComponent(), settings.file());
    }

    /** The file's text, read once: every check and {@link #texts()} see this one text even if the file changes. */
    private String read(Path file, String name) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            texts.put(file.toAbsolutePath(), text);
            return text;
        } catch (IOException e) {
            problem(name, 0, "cannot be read: " + e.getMessage());
            return null;
        }
    }

    private RouteYaml parse(String text, String name) {
        try {
            return RouteYaml.parse(text, name);
        } catch (MarkedYamlEngineException e) {
            problem(name, e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(0),
                    "YAML syntax error: " + describe(e));
        } catch (YamlEngineException e) {
            problem(name, 0, "cannot be read: " + e.getMessage());
        }
        return null;
    }

    private void checkPlaceholders(CamelContext camel, String name, RouteYaml yaml) {
        for (RouteYaml.Located value : yaml.placeholders) {
            try {
                camel.getPropertiesComponent().parseUri(value.value());
            } catch (RuntimeException e) {
                Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(e.getMessage()));
                problem(name, value.line(), missing.find()
                        ? "unresolved placeholder {{" + missing.group(1) + "}}: " + missing.group(1)
                          + " is not set in application.properties, -D or the environment"
                        : "placeholder cannot be resolved: " + firstLine(e.getMessage()));
            }
        }
    }

    /** Camel's own YAML DSL loader: unknown EIPs, misspelt keys and bad values, each with its position. */
    private boolean loadIntoCamel(CamelContext camel, Path file, String text, String name, RouteYaml yaml) {
        try {
            Resource resource = ResourceHelper.fromString("file:" + file.toAbsolutePath(), text);
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
            return true;
        } catch (Exception e) {
            MarkedYamlEngineException marked = findCause(e, MarkedYamlEngineException.class);
            if (marked != null) {
                Mark mark = marked.getProblemMark().or(marked::getContextMark).orElse(null);
                problem(name, mark == null ? 0 : yaml.keyLine(mark), describe(marked));
            } else {
                String message = rootCause(e).getMessage();
                Matcher template = MISSING_TEMPLATE.matcher(String.valueOf(message));
                if (template.find() && yaml.templateRefs.stream().anyMatch(ref -> ref.value().equals(template.group(1)))) {
                    return false; // named at the templated route's line by the reference check
                }
                Matcher line = LINE_IN_MESSAGE.matcher(String.valueOf(message));
                problem(name, line.find() ? Integer.parseInt(line.group(1)) : 0, "Camel cannot load it: " + firstLine(message));
            }
            return false;
        }
    }

    /** Every route needs an id (the status page, logs and JMX name routes by it), unique over all files. */
    private void checkRouteIds(Map<String, RouteYaml> files) {
        Map<String, List<Place>> routePlaces = new LinkedHashMap<>();
        Map<String, List<Place>> configurationPlaces = new LinkedHashMap<>();
        files.forEach((name, yaml) -> {
            for (RouteYaml.Located route : yaml.routesWithoutId) {
                problem(name, route.line(), "from".equals(route.value())
                        ? "route without an id: a top-level from cannot have one, declare it as - route: with an id"
                        : "templatedRoute".equals(route.value()) ? "templatedRoute without a routeId"
                        : "route without an id");
            }
            yaml.routeIds.forEach(id -> routePlaces.computeIfAbsent(id.value(), k -> new ArrayList<>()).add(new Place(name, id.line())));
            yaml.routeConfigurationIds.forEach(id ->
                    configurationPlaces.computeIfAbsent(id.value(), k -> new ArrayList<>()).add(new Place(name, id.line())));
        });
        reportDuplicates("route id", routePlaces);
        reportDuplicates("routeConfiguration id", configurationPlaces);
    }

    /** Each place of a duplicate is reported, naming the others: either one may be the one to rename. */
    private void reportDuplicates(String what, Map<String, List<Place>> placesById) {
        placesById.forEach((id, places) -> {
            if (places.size() < 2) {
                return;
            }
            for (Place place : places) {
                List<String> others = places.stream().filter(other -> other != place).map(Place::toString).toList();
                problem(place.file(), place.line(), "duplicate " + what + " '" + id + "' (also at " + String.join(", ", others) + ")");
            }
        });
    }

    /** routeConfigurationId, routeTemplateRef and bean names must point at something that exists when the routes start. */
    private void checkReferences(Map<String, RouteYaml> files) {
        Set<String> configurations = new TreeSet<>();
        Set<String> templates = new TreeSet<>();
        Set<String> beans = new TreeSet<>(knownBeans);
        files.values().forEach(yaml -> {
            yaml.routeConfigurationIds.forEach(id -> configurations.add(id.value()));
            yaml.templateIds.forEach(id -> templates.add(id.value()));
            yaml.declaredBeans.forEach(bean -> beans.add(bean.value()));
        });
        files.forEach((name, yaml) -> {
            for (RouteYaml.Located ref : yaml.templateRefs) {
                if (!templates.contains(ref.value())) {
                    problem(name, ref.line(), "routeTemplateRef '" + ref.value() + "' matches no routeTemplate"
                            + suggestion(ref.value(), templates));
                }
            }
            for (RouteYaml.Located ref : yaml.routeConfigurationRefs) {
                if (configurations.stream().noneMatch(id -> PatternHelper.matchPattern(id, ref.value()))) {
                    problem(name, ref.line(), "routeConfigurationId '" + ref.value() + "' matches no routeConfiguration"
                            + suggestion(ref.value(), configurations));
                }
            }
            for (RouteYaml.Located ref : yaml.beanRefs) {
                if (!beans.contains(ref.value())) {
                    problem(name, ref.line(), "unknown bean '" + ref.value() + "'" + suggestion(ref.value(), beans));
                }
            }
        });
    }

    /** The reason without snakeyaml's "in file ..., line, column" snippet: the location is printed already. */
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null || e.getProblem().isBlank() ? e.getContext() : e.getProblem();
        String context = problem == null || problem.equals(e.getContext()) ? null : e.getContext();
        return firstLine(problem) + (context == null || context.isBlank() ? "" : " (" + firstLine(context) + ")");
    }

    private static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The innermost cause: what Camel's wrappers of a failed route build are about. */
    static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The first line of an error message, for a one-line problem. */
    static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }

    private void problem(String file, int line, String message) {
        problems.add(new Problem(file, line, message));
    }
}
