package io.avalonsync.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.support.ResourceHelper;

/**
 * Camel's resource loader while the service loads its routes at start: a route file the start-up checks read is
 * served with the text they passed, not read again, so a save landing between the checks and the load is not loaded
 * unchecked (the route watcher sees it later, see {@link ValidatingRouteReload#loadedFrom}). A {@code .yaml} file of
 * the checked folder that the checks never saw refuses the start; every other resource is the usual loader's.
 */
public final class CheckedRouteTexts implements ResourceLoader {

    private final ResourceLoader files;
    private final Map<Path, String> texts = new HashMap<>();
    private final Set<Path> folders = new HashSet<>();

    /** @param texts absolute path of each checked route file to the text the checks passed */
    public CheckedRouteTexts(ResourceLoader files, Map<Path, String> texts) {
        this.files = files;
        texts.forEach((file, text) -> {
            Path normal = file.toAbsolutePath().normalize();
            this.texts.put(normal, text);
            folders.add(normal.getParent());
        });
    }

    @Override
    public Resource resolveResource(String uri) {
        if (uri != null && uri.startsWith("file:")) {
            Path file = Path.of(uri.substring("file:".length())).toAbsolutePath().normalize();
            String text = texts.get(file);
            if (text != null) {
                return ResourceHelper.fromString(uri, text);
            }
            if (folders.contains(file.getParent()) && file.getFileName().toString().endsWith(".yaml")) {
                throw new IllegalStateException(file + ": route file added after the start-up checks read the folder;"
                        + " it is not loaded unchecked: start again");
            }
        }
        return files.resolveResource(uri);
    }

    @Override
    public CamelContext getCamelContext() {
        return files.getCamelContext();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        files.setCamelContext(camelContext);
    }
}
