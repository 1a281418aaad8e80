package io.avalonsync.karaf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.avalonsync.AppConfiguration;
import io.avalonsync.config.RunMode;
import io.avalonsync.config.Settings;
import io.avalonsync.config.ValidatingRouteReload;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.StringHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service on a CamelContext that somebody else created (Karaf's {@code OsgiDefaultCamelContext}, or a plain
 * one in tests): the configuration of a home folder laid out like the jar's working folder
 * ({@code application.properties} and {@code routes/*.yaml}), the beans of {@link AppConfiguration}, the route
 * files loaded with Camel's own routes loader, and the daemon's validated hot reload on them.
 * Camel Main does this for the jar; on Karaf there is no Main, and camel-karaf has no YAML deployer.
 */
public final class RouteFolderService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFolderService.class);
    private static final String COMPONENT_PREFIX = "camel.component.";

    private final CamelContext camel;
    private final ValidatingRouteReload reload;

    private RouteFolderService(CamelContext camel, ValidatingRouteReload reload) {
        this.camel = camel;
        this.reload = reload;
    }

    /**
     * Configures and starts {@code camel} with the service of {@code home}. Refuses to start, naming what is wrong,
     * when a required setting is missing or a route file fails the checks of {@code validate} (file:line: reason).
     */
    public static RouteFolderService start(CamelContext camel, Path home) throws Exception {
        Settings settings = Settings.load(home);
        String problem = settings.startupProblem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        Path routes = home.resolve("routes");
        List<String> problems = new ArrayList<>();
        // the routes load from the texts that passed, not from the files read again: a save landing in between does
        // not run unchecked, and the watcher warns of it (README "Editing routes of a running daemon")
        Map<Path, String> checked = ValidatingRouteReload.checkedTexts(home, settings, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("route files in " + routes + " not loaded: " + String.join("; ", problems));
        }
        settings.useIn(camel.getPropertiesComponent(), settings.file());
        camel.getCamelContextExtension().setName(settings.get("camel.main.name"));
        camel.setStreamCaching(Boolean.parseBoolean(settings.get("camel.main.stream-caching-enabled")));
        camel.getShutdownStrategy().setTimeout(Long.parseLong(settings.get("camel.main.shutdown-timeout")));
        // the routes a daemon leaves out (a tracker without URL: its leader routes), as Camel Main's route filter does
        camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                .setRouteFilterPattern(null, RunMode.DAEMON.routeFilterExcludePattern(settings));
        configureComponents(camel, settings);
        // the routes' master: endpoints and this node's record, as the jar's daemon has them
        camel.addService(io.avalonsync.cluster.ClusterServices.create(settings));
        io.avalonsync.cluster.NodeRegistry nodes = io.avalonsync.cluster.NodeRegistry.open(settings);
        camel.getRegistry().bind("clusterNodes", nodes);
        camel.addService(nodes, true, true);
        bindBeans(camel, settings, nodes);
        PluginHelper.getRoutesLoader(camel).loadRoutes(routeFiles(checked));

        ValidatingRouteReload reload = null;
        if (settings.sync().routesReload()) {
            reload = new ValidatingRouteReload(routes, settings);
            reload.loadedFrom(checked);
            camel.addService(reload);
        }
        camel.start();
        LOG.info("avalon-sync started from {}: {} routes", home, camel.getRoutes().size());
        return new RouteFolderService(camel, reload);
    }

    /** The beans the routes use, made exactly as Camel Main makes them for the jar (@BindToRegistry, configure). */
    private static void bindBeans(CamelContext camel, Settings settings, io.avalonsync.cluster.NodeRegistry nodes)
            throws Exception {
        AppConfiguration beans = new AppConfiguration(settings, nodes);
        CamelBeanPostProcessor processor = PluginHelper.getBeanPostProcessor(camel);
        processor.postProcessBeforeInitialization(beans, AppConfiguration.class.getName());
        processor.postProcessAfterInitialization(beans, AppConfiguration.class.getName());
        beans.configure(camel);
    }

    /** {@code camel.component.<name>.<option>} keys of application.properties (Camel Main applies them for the jar). */
    private static void configureComponents(CamelContext camel, Settings settings) {
        Map<String, Map<String, Object>> options = new LinkedHashMap<>();
        for (String key : settings.keysWithPrefix(COMPONENT_PREFIX)) {
            int dot = key.indexOf('.');
            if (dot > 0) {
                options.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>())
                        .put(StringHelper.dashToCamelCase(key.substring(dot + 1)), settings.get(COMPONENT_PREFIX + key));
            }
        }
        options.forEach((name, values) -> {
            Component component = camel.getComponent(name, true);
            if (component == null) {
                throw new IllegalStateException(COMPONENT_PREFIX + name + ": no Camel component '" + name + "' is installed");
            }
            PropertyBindingSupport.build().withCamelContext(camel).withTarget(component).withProperties(values)
                    .withMandatory(true).bind();
        });
    }

    /** The route files as the checks read them, in file name order. */
    private static List<Resource> routeFiles(Map<Path, String> checked) {
        List<Resource> resources = new ArrayList<>();
        checked.forEach((file, text) -> resources.add(ResourceHelper.fromString("file:" + file.toAbsolutePath(), text)));
        return resources;
    }

    public CamelContext context() {
        return camel;
    }

    /** The route-file watcher, or null with {@code camel.main.routes-reload-enabled=false}. */
    public ValidatingRouteReload routeReload() {
        return reload;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
