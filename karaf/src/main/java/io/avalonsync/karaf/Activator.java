package io.avalonsync.karaf;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service when the bundle starts on Karaf: an {@link OsgiDefaultCamelContext} (Camel for Karaf's,
 * which finds components, languages and the YAML routes loader in the other Camel bundles) running the home folder
 * {@code ${karaf.etc}/avalon-sync} (framework or system property {@code avalonsync.home} overrides it), published
 * as an OSGi service so {@code camel:*} shell commands see it. Plain BundleActivator: no Blueprint or DS needed.
 */
public final class Activator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);

    private RouteFolderService service;
    private ServiceRegistration<CamelContext> registration;

    @Override
    public void start(BundleContext bundle) throws Exception {
        Path home = home(bundle);
        OsgiDefaultCamelContext camel = new OsgiDefaultCamelContext(bundle);
        // bean classes and route resources of this bundle, whatever thread loads them
        camel.setApplicationContextClassLoader(Activator.class.getClassLoader());
        try {
            service = RouteFolderService.start(camel, home);
        } catch (Exception e) {
            LOG.error("avalon-sync not started from {}: {}", home, e.getMessage());
            camel.stop();
            throw e;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("camel.context.name", camel.getName());
        registration = bundle.registerService(CamelContext.class, camel, properties);
    }

    @Override
    public void stop(BundleContext bundle) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (service != null) {
            service.close();
            service = null;
        }
    }

    static Path home(BundleContext bundle) {
        String home = bundle.getProperty("avalonsync.home");
        if (home == null || home.isBlank()) {
            String etc = bundle.getProperty("karaf.etc");
            home = (etc == null ? "etc" : etc) + "/avalon-sync";
        }
        return Path.of(home);
    }
}
