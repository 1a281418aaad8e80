package io.avalonsync.avalon;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bson.Document;

/**
 * The root folder documents of OpenPype's Kitsu module ({@link AvalonLayout#OPENPYPE}): an asset document named
 * {@code Assets} or {@code Shots}, without a tracker id, whose {@code data.root_of} names the tree it holds. Asset
 * types and assets go under {@code Assets}; episodes, sequences and shots under {@code Shots}. Older versions of the
 * module wrote {@code root_of} in lower case ({@code assets}, {@code shots}) and could nest a root in other folders;
 * both are read.
 */
public final class RootFolders {

    /** silo ({@link DesiredAsset#silo()}) → the name of its root folder, as the module names them. */
    public static final Map<String, String> NAMES;

    static {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("assets", "Assets");
        names.put("shots", "Shots");
        NAMES = java.util.Collections.unmodifiableMap(names);
    }

    private RootFolders() {
    }

    /** silo → its root folder document among {@code docs} (the deepest one when folders are nested); none: empty. */
    public static Map<String, Document> find(Collection<Document> docs, TrackerIdentity identity) {
        Map<String, Document> roots = new LinkedHashMap<>();
        for (Document doc : docs) {
            String silo = siloOf(doc, identity);
            if (silo == null) {
                continue;
            }
            Document known = roots.get(silo);
            if (known == null || depth(doc) > depth(known)) {
                roots.put(silo, doc);
            }
        }
        return roots;
    }

    /** The silo a document is the root folder of, or null when it is none. */
    static String siloOf(Document doc, TrackerIdentity identity) {
        if (!"asset".equals(doc.get("type")) || TrackerIdentity.read(doc, identity.assetIdPath()) != null
                || !(TrackerIdentity.read(doc, "data.root_of") instanceof String rootOf)) {
            return null;
        }
        String silo = rootOf.toLowerCase(Locale.ROOT);
        return NAMES.containsKey(silo) ? silo : null;
    }

    private static int depth(Document doc) {
        return TrackerIdentity.read(doc, "data.parents") instanceof List<?> parents ? parents.size() : 0;
    }
}
