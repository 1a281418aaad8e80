package io.avalonsync.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.avalonsync.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo jar's main as its own process: a bad setting stops it with the checks of {@code validate} before it
 * starts a store or a simulator (README "When things go wrong"; the service's commands: BadSettingsTest).
 */
class DemoTest {

    @Test
    void theDemoChecksToo(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("service"));
        ServiceProcess.copyRoutes(folder);
        Files.copy(Path.of("application.properties"), folder.resolve("application.properties"));
        Map<String, String> settings = Map.of("status.port", "80a", "demo.data-dir", dir.resolve("demo-data").toString());
        try (ServiceProcess demo = ServiceProcess.startMain(folder, Demo.class.getName(), settings, dir.resolve("demo.log"))) {
            assertTrue(demo.process().waitFor(60, TimeUnit.SECONDS), "exited by itself:\n" + demo.log());
            assertEquals(1, demo.process().exitValue(), demo.log());
            String log = demo.log();
            assertTrue(log.contains("-Dstatus.port: status.port: '80a'") && log.contains("demo: not started"), log);
        }
    }
}
