package io.avalonsync.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads edited route files of the running daemon within seconds, but only when every route file passes the
 * checks of {@code validate}: a broken edit is rejected with file, line and reason, and the running routes keep
 * going. Only the routes of the edited file are replaced; the others are not restarted.
 */
public final class ValidatingRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReload.class);

    private final Path folder;
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
        super.onRouteReload(resources, removeEverything);
        reloads.incrementAndGet();
        lastReloaded = resources.stream().map(Resource::getLocation).toList();
        LOG.info("route files reloaded: {}", lastReloaded);
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
