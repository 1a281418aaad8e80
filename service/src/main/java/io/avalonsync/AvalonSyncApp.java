package io.avalonsync;

import java.util.List;
import java.util.Map;

import io.avalonsync.cluster.ClusterServices;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.cluster.SingleNodeClusterService;
import io.avalonsync.config.Settings;
import io.avalonsync.config.ValidatingRouteReload;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import sun.misc.Signal;

/**
 * One running instance of the service: Camel Main with application.properties from the working folder,
 * the routes in routes/*.yaml and the beans of {@link AppConfiguration}. Used by every command and by
 * the tests, so they all run exactly the routes an operator edits.
 */
public final class AvalonSyncApp implements AutoCloseable {

    private final Main main;
    private volatile ValidatingRouteReload reload;

    private AvalonSyncApp(Main main) {
        this.main = main;
    }

    /**
     * @param scheduled false for one-shot runs: quartz schedules and listeners stay stopped and the
     *                  caller drives the routes
     */
    public static AvalonSyncApp create(Settings settings, boolean scheduled) {
        return create(settings, scheduled, scheduled ? NodeRegistry.open(settings) : null);
    }

    /**
     * Routes a one-shot command ({@code sync-once}) leaves out, by their {@code from:}: what only a running daemon
     * needs (schedules, timers, the event listener, the leader-only routes, the status server and its HTTP API).
     * Left out, their components never start: no Quartz scheduler, no Jetty, no bound status port, so a cron job runs
     * beside a daemon on the same host and starts and stops in a fraction of the time.
     */
    public static final String ONE_SHOT_EXCLUDED_ROUTES = "quartz:*,jetty:*,master:*,timer:*,socketio:*";

    /**
     * The service for one command that drives the routes itself ({@code sync-once}): as {@code create(settings,
     * false)}, without the routes of {@link #ONE_SHOT_EXCLUDED_ROUTES} (unless
     * {@code camel.main.route-filter-exclude-pattern} is set).
     */
    public static AvalonSyncApp oneShot(Settings settings) {
        if (settings.get("camel.main.route-filter-exclude-pattern") == null) {
            settings.override("camel.main.route-filter-exclude-pattern", ONE_SHOT_EXCLUDED_ROUTES);
        }
        return create(settings, false, null);
    }

    /**
     * @param nodes the daemon's entry in the node registry (already claimed by {@link AvalonSync}, or claimed when the
     *              context starts); null for one-shot runs, which take part in no election
     */
    public static AvalonSyncApp create(Settings settings, boolean scheduled, NodeRegistry nodes) {
        // the beans come from AppConfiguration alone: naming it spares Camel Main a scan of the whole classpath
        // for configuration classes (about 2 s over the self-contained jar at every start)
        Main main = new Main();
        main.configure().addConfiguration(AppConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:" + settings.file() + ";optional=true");
        Map<String, String> overrides = settings.camelOverrides(scheduled);
        overrides.forEach(main::addOverrideProperty);
        // the service behind the routes' master: endpoints; one-shot runs lead everything they run themselves
        main.bind("clusterService", scheduled ? ClusterServices.create(settings)
                : new SingleNodeClusterService(ClusterServices.nodeId(settings)));
        if (nodes != null) {
            main.bind("clusterNodes", nodes);
        }
        AvalonSyncApp app = new AvalonSyncApp(main);
        if (nodes != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    try {
                        // started with the context, before any route: a refused node id stops the start
                        configured.getCamelContext().addService(nodes, true, true);
                    } catch (Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }
            });
        }
        if (scheduled && Boolean.parseBoolean(settings.get("sync.routes-reload", "true"))) {
            // the daemon picks up edited route files, after checking them as `validate` does
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    app.reload = new ValidatingRouteReload(ValidatingRouteReload.routesFolder(
                            settings.get("camel.main.routes-include-pattern", "file:routes/*.yaml")), settings);
                    try {
                        configured.getCamelContext().addService(app.reload);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot watch the route files: " + e.getMessage(), e);
                    }
                }
            });
        }
        return app;
    }

    /** The route-file watcher of the daemon, or null (one-shot commands, or sync.routes-reload=false). */
    public ValidatingRouteReload routeReload() {
        return reload;
    }

    public AvalonSyncApp start() throws Exception {
        main.start();
        return this;
    }

    /**
     * Blocks until the service is asked to stop (daemon mode), then stops it gracefully and returns. SIGTERM
     * (systemd, {@code docker stop}) and SIGINT end the run as a normal stop: Camel's shutdown strategy, then exit
     * code 0. Left to the JVM, the signal would stop Camel from a shutdown hook and the process would exit with 143.
     */
    public void runUntilStopped() throws Exception {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> main.completed());
            } catch (IllegalArgumentException e) {
                // no such signal on this platform: Camel Main's shutdown hook handles it
            }
        }
        main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
