package io.avalonsync.avalon;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.bson.Document;

/**
 * How a project's documents are laid out in Avalon (README "Projects synced by OpenPype's Kitsu module"; key
 * {@code kitsu.layout}).
 * <ul>
 * <li>{@link #AVALON_SYNC}: this product's own layout. Entities at the top of the tracker's tree sit at the top
 * of Avalon's ({@code data.visualParent} null); documents carry {@code data.label}, {@code data.entityType} and the
 * task status.</li>
 * <li>{@link #OPENPYPE}: the layout OpenPype's Kitsu module writes. Root folder documents {@code Assets} and
 * {@code Shots} ({@code data.root_of}) hold the top of the asset and the shot tree, so {@code data.parents} starts
 * with them; {@code data.zou} keeps the tracker's own fields of the entity (merged key by key, so fields the module
 * stored and this service does not read stay); only the keys that module writes are written.</li>
 * <li>{@link #AUTO}: per project, {@link #OPENPYPE} when its collection holds such root folder documents, else
 * {@link #AVALON_SYNC} (so a fresh database gets this product's layout).</li>
 * </ul>
 */
public enum AvalonLayout {

    AUTO("auto"), AVALON_SYNC("avalon-sync"), OPENPYPE("openpype");

    /** The values of the setting, as written in application.properties. */
    public static final List<String> KEYS = List.of("auto", "avalon-sync", "openpype");

    private final String key;

    AvalonLayout(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** {@code auto}, {@code avalon-sync} or {@code openpype}, any case; blank is {@code auto}. */
    public static AvalonLayout fromKey(String key) {
        if (key == null || key.isBlank()) {
            return AUTO;
        }
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        for (AvalonLayout layout : values()) {
            if (layout.key.equals(wanted)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a layout: expected one of " + String.join(", ", KEYS));
    }

    /** The layout a project is written in, given the documents of its collection that were read. */
    public AvalonLayout of(Collection<Document> assets, TrackerIdentity identity) {
        if (this != AUTO) {
            return this;
        }
        return RootFolders.find(assets, identity).isEmpty() ? AVALON_SYNC : OPENPYPE;
    }
}
