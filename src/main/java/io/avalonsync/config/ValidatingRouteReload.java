package io.avalonsync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads edited route files of the running daemon within seconds, but only when every route file passes the
 * checks of {@code validate}: a broken edit is rejected with file, line and reason, and the running routes keep
 * going. Only the routes of the edited file are replaced (and, when it holds route configurations, the routes that
 * use them); the others are not restarted.
 */
public final class ValidatingRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReload.class);

    private final Path folder;
    private final String routesFolderName;
    private final Settings settings;
    private final AtomicInteger reloads = new AtomicInteger();
    private volatile List<String> lastRejection = List.of();
    private volatile List<String> lastReloaded = List.of();

    /** @param routes the folder of the route files (its parent holds application.properties) */
    public ValidatingRouteReload(Path routes, Settings settings) {
        super(routes.toString(), false);
        setPattern("*.yaml");
        // replace the routes of the edited file only (by route id); the others keep running untouched
        setRemoveAllRoutes(false);
        this.folder = routes.toAbsolutePath().getParent();
        this.routesFolderName = routes.toAbsolutePath().getFileName().toString();
        this.settings = settings;
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        settle(resources);
        List<String> problems = check(folder, settings);
        if (!problems.isEmpty()) {
            lastRejection = problems;
            LOG.error("route files changed but not reloaded, the running routes go on: {}", String.join("; ", lastRejection));
            return;
        }
        lastRejection = List.of();
        Collection<Resource> affected = withRoutesOfEditedConfigurations(resources);
        super.onRouteReload(affected, removeEverything);
        reloads.incrementAndGet();
        lastReloaded = affected.stream().map(Resource::getLocation).toList();
        LOG.info("route files reloaded: {}", lastReloaded);
    }

    /**
     * A route takes its error handling from its routeConfiguration when the route is built: an edited retry policy
     * would reach nothing until the routes using it are rebuilt too. So the files of routes that name a
     * configuration defined in an edited file are reloaded with it (their routes replaced by id).
     */
    private Collection<Resource> withRoutesOfEditedConfigurations(Collection<Resource> edited) {
        Set<String> configurations = new HashSet<>();
        Set<String> locations = new LinkedHashSet<>();
        for (Resource resource : edited) {
            locations.add(resource.getLocation());
            RouteYaml yaml = readQuietly(fileOf(resource));
            if (yaml != null) {
                yaml.routeConfigurationIds.forEach(id -> configurations.add(id.value()));
            }
        }
        if (configurations.isEmpty()) {
            return edited;
        }
        List<Resource> affected = new ArrayList<>(edited);
        try (var files = Files.list(folder.resolve(routesFolderName))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                String location = "file:" + file.toAbsolutePath();
                RouteYaml yaml = readQuietly(file);
                if (!locations.contains(location) && yaml != null && yaml.routeConfigurationRefs.stream()
                        .anyMatch(ref -> configurations.contains(ref.value()))) {
                    affected.add(PluginHelper.getResourceLoader(getCamelContext()).resolveResource(location));
                    locations.add(location);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the route files to reload with their error handling: {}", e.getMessage());
        }
        return affected;
    }

    private static Path fileOf(Resource resource) {
        return Path.of(resource.getLocation().replaceFirst("^file:", "")).toAbsolutePath();
    }

    /** The file's ids and references, or null when it cannot be read (the checks above already passed). */
    private static RouteYaml readQuietly(Path file) {
        try {
            return RouteYaml.parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The checks of {@code validate} for the route files under {@code folder}/routes, as {@code file:line: reason}
     * lines; empty when every file would load.
     */
    public static List<String> check(Path folder, Settings settings) {
        List<ConfigValidator.Problem> problems = new ArrayList<>();
        new RouteFilesCheck(folder, settings, ConfigValidator.KNOWN_BEANS, problems).run();
        return problems.stream().map(ConfigValidator.Problem::toString).toList();
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
