package io.avalonsync;

import java.util.Map;

import io.avalonsync.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * One running instance of the service: Camel Main with application.properties from the working folder,
 * the routes in routes/*.yaml and the beans of {@link AppConfiguration}. Used by every command and by
 * the tests, so they all run exactly the routes an operator edits.
 */
public final class AvalonSyncApp implements AutoCloseable {

    private final Main main;

    private AvalonSyncApp(Main main) {
        this.main = main;
    }

    /**
     * @param scheduled false for one-shot runs: quartz schedules and listeners stay stopped and the
     *                  caller drives the routes
     */
    public static AvalonSyncApp create(Settings settings, boolean scheduled) {
        Main main = new Main(AvalonSync.class);
        main.setDefaultPropertyPlaceholderLocation("file:" + settings.file() + ";optional=true");
        Map<String, String> overrides = settings.camelOverrides(scheduled);
        overrides.forEach(main::addOverrideProperty);
        return new AvalonSyncApp(main);
    }

    public AvalonSyncApp start() throws Exception {
        main.start();
        return this;
    }

    /** Blocks until the JVM is asked to stop (daemon mode). */
    public void runUntilStopped() throws Exception {
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
