package io.avalonsync.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key the service reads, as the typed settings of its areas declare them: what {@code validate} knows, checks
 * and suggests, with nothing kept by hand beside them.
 */
final class Keys {

    static final List<Key> ALL = all();

    private Keys() {
    }

    private static List<Key> all() {
        List<Key> keys = new ArrayList<>();
        keys.addAll(AvalonSettings.KEYS);
        keys.addAll(SyncSettings.KEYS);
        keys.addAll(ClusterSettings.KEYS);
        keys.addAll(KitsuSettings.KEYS);
        keys.addAll(ShotGridSettings.KEYS);
        keys.addAll(SiteSyncSettings.KEYS);
        keys.addAll(StatusSettings.KEYS);
        return Collections.unmodifiableList(keys);
    }

    /** The declared key {@code name} is (or belongs to, for a family such as sitesync.roots.work), or null. */
    static Key find(String name) {
        for (Key key : ALL) {
            if (key.matches(name)) {
                return key;
            }
        }
        return null;
    }

    /** Key to the original tool's environment variable. */
    static Map<String, String> envFallbacks() {
        Map<String, String> fallbacks = new LinkedHashMap<>();
        ALL.stream().filter(key -> key.env() != null).forEach(key -> fallbacks.put(key.name(), key.env()));
        return Collections.unmodifiableMap(fallbacks);
    }

    /** Keys of earlier versions that Camel Main's own keys replaced: old name to new name. */
    static Map<String, String> renamed() {
        return SyncSettings.RENAMED;
    }

    /**
     * The first parts of the service's own keys (avalon., kitsu., ...): a key there that the service does not know is
     * a mistake. camel.* and anything else belong to Camel or the operator.
     */
    static Set<String> namespaces() {
        Set<String> namespaces = new TreeSet<>();
        ALL.stream().map(Key::name).filter(name -> !name.startsWith("camel."))
                .forEach(name -> namespaces.add(name.substring(0, name.indexOf('.') + 1)));
        return namespaces;
    }
}
