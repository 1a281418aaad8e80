package io.avalonsync.config;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Camel Main reads while the routes load at start: the checked texts, never a later save. */
class CheckedRouteTextsTest {

    @Test
    void aCheckedFileIsServedAsCheckedAnUncheckedOneRefusesAndOthersReadAsUsual(@TempDir Path dir) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path checked = Files.writeString(routes.resolve("a.yaml"), "saved after the checks");
        Files.writeString(routes.resolve("b.yaml"), "never checked");
        Path elsewhere = Files.writeString(dir.resolve("other.yaml"), "not a route file of the checked folder");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            CheckedRouteTexts loader = new CheckedRouteTexts(PluginHelper.getResourceLoader(camel),
                    Map.of(routes.resolve("./a.yaml").toAbsolutePath(), "as checked"));

            // however the path is spelt, the same file
            assertEquals("as checked", text(loader.resolveResource("file:" + checked)));
            assertEquals("as checked", text(loader.resolveResource("file:" + routes + "/../routes/./a.yaml")));
            IllegalStateException added = assertThrows(IllegalStateException.class,
                    () -> loader.resolveResource("file:" + routes.resolve("b.yaml")));
            assertTrue(added.getMessage().contains("b.yaml") && added.getMessage().contains("start-up checks"),
                    added.getMessage());
            assertEquals("not a route file of the checked folder", text(loader.resolveResource("file:" + elsewhere)));
        }
    }

    private static String text(Resource resource) throws Exception {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
