package io.avalonsync;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.avalonsync.cluster.ClusterServices;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.cluster.SingleNodeClusterService;
import io.avalonsync.config.CheckedRouteTexts;
import io.avalonsync.config.RunMode;
import io.avalonsync.config.Settings;
import io.avalonsync.config.ValidatingRouteReload;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.support.PluginHelper;
import sun.misc.Signal;

/**
 * One running instance of the service: Camel Main with application.properties from the working folder,
 * the routes in routes/*.yaml and the beans of {@link AppConfiguration}. Used by every command and by
 * the tests, so they all run exactly the routes an operator edits.
 */
public final class AvalonSyncApp implements AutoCloseable {

    /** Camel's key; README "Faster start". */
    static final String QUARTZ_QUICK_STOP = "camel.component.quartz.interrupt-jobs-on-shutdown";

    private final Main main;
    private volatile ValidatingRouteReload reload;

    private AvalonSyncApp(Main main) {
        this.main = main;
    }

    /**
     * @param scheduled false for a service whose routes the caller drives (tests, tools): the routes that start work
     *                  by themselves (schedules, timers, listeners) are left out ({@link RunMode#DRIVEN})
     */
    public static AvalonSyncApp create(Settings settings, boolean scheduled) {
        return create(settings, scheduled, scheduled ? NodeRegistry.open(settings) : null);
    }

    /**
     * The service for one command that drives the routes itself ({@code sync-once}): without the routes only a running
     * daemon needs ({@link RunMode#ONE_SHOT_EXCLUDED}, unless {@code camel.main.route-filter-exclude-pattern} is set).
     */
    public static AvalonSyncApp oneShot(Settings settings) {
        return create(settings, RunMode.ONE_SHOT, null);
    }

    /**
     * @param nodes the daemon's entry in the node registry (already claimed by {@link AvalonSync}, or claimed when the
     *              context starts); null for one-shot runs, which take part in no election
     */
    public static AvalonSyncApp create(Settings settings, boolean scheduled, NodeRegistry nodes) {
        return create(settings, scheduled ? RunMode.DAEMON : RunMode.DRIVEN, nodes);
    }

    private static AvalonSyncApp create(Settings settings, RunMode mode, NodeRegistry nodes) {
        // the beans come from AppConfiguration alone: naming it spares Camel Main a scan of the whole classpath
        // for configuration classes (about 2 s over the self-contained jar at every start)
        Main main = new Main();
        main.configure().addConfiguration(new AppConfiguration(settings, nodes));
        main.setDefaultPropertyPlaceholderLocation("file:" + settings.file() + ";optional=true");
        Map<String, String> properties = new java.util.LinkedHashMap<>(settings.camelProperties());
        String leftOut = mode.routeFilterExcludePattern(settings);
        if (leftOut != null) {
            properties.put(RunMode.ROUTE_FILTER, leftOut);
        }
        if (mode == RunMode.DAEMON && settings.get(QUARTZ_QUICK_STOP) == null) {
            // Camel's graceful stop lets every scheduled run finish before the Quartz component stops, so its scheduler
            // need not wait again for its idle worker threads (each wakes every 0.5 s: ~0.35 s of every daemon stop).
            // The daemon's only: set for sync-once, the key alone would create and start a scheduler (~0.2 s)
            properties.put(QUARTZ_QUICK_STOP, "true");
        }
        properties.forEach(main::addOverrideProperty);
        // the service behind the routes' master: endpoints; one-shot runs lead everything they run themselves
        main.bind("clusterService", mode == RunMode.DAEMON ? ClusterServices.create(settings)
                : new SingleNodeClusterService(settings.cluster().nodeId()));
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
        // camel.main.routes-reload-enabled: the daemon watches the route files itself and checks an edit as validate
        // does before applying it; Camel's own watcher is always off (Settings#camelProperties)
        if (mode == RunMode.DAEMON && settings.sync().routesReload()) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    app.reload = new ValidatingRouteReload(ValidatingRouteReload.routesFolder(
                            settings.get("camel.main.routes-include-pattern")), settings);
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

    /**
     * A start refused before the routes load (the start-up checks found a problem, or the node id is taken). The
     * message says why; it is empty when the reason was printed already.
     */
    public static final class StartRefused extends RuntimeException {
        StartRefused(String reason) {
            super(reason, null, false, false);
        }

        /** The refusal behind a failed start, or null when it failed for another reason. */
        public static StartRefused in(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof StartRefused refused) {
                    return refused;
                }
            }
            return null;
        }
    }

    /**
     * Waits for {@code gate} after Camel Main has configured its components and beans and before the routes load:
     * what it returns (non-null) refuses the start with {@link StartRefused}. The start-up checks run meanwhile on
     * the other core (README "Faster start"). Call before {@link #start()}.
     */
    public AvalonSyncApp gatedBy(Supplier<String> gate) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                String refused = gate.get();
                if (refused != null) {
                    throw new StartRefused(refused);
                }
            }
        });
        return this;
    }

    /**
     * Loads the route files from the texts the start-up checks passed ({@code texts}, asked after the gate of
     * {@link #gatedBy}), not from a second read of the files: a save landing between the checks and the load is not
     * loaded unchecked, and the daemon's route watcher compares later edits with what runs. Call before
     * {@link #start()}.
     */
    public AvalonSyncApp loadingCheckedRoutes(Supplier<Map<Path, String>> texts) {
        main.addMainListener(new MainListenerSupport() {
            private ResourceLoader files;
            private Map<Path, String> checked;

            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                checked = texts.get();
                CamelContext camel = configuring.getCamelContext();
                files = PluginHelper.getResourceLoader(camel);
                camel.getCamelContextExtension().addContextPlugin(ResourceLoader.class,
                        new CheckedRouteTexts(files, checked));
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // the routes are loaded: everything else reads resources as usual
                configured.getCamelContext().getCamelContextExtension()
                        .addContextPlugin(ResourceLoader.class, files);
                if (reload != null) {
                    // made by create()'s listener, which configures before this one; it starts with the context
                    reload.loadedFrom(checked);
                }
            }
        });
        return this;
    }

    /** The route-file watcher of the daemon, or null (one-shot commands, or camel.main.routes-reload-enabled=false). */
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
