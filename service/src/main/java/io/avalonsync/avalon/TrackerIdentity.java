package io.avalonsync.avalon;


import org.bson.Document;

/**
 * Where a tracker keeps its ids inside Avalon documents. Documents are matched by these ids, never by name.
 */
public interface TrackerIdentity {

    /** Short name of the tracker for logs, e.g. {@code kitsu}. */
    String source();

    /** Dotted path of the entity id in asset documents, e.g. {@code data.zou.id} (indexed). */
    String assetIdPath();

    /**
     * Dotted paths that together identify a document of this tracker in a project collection, the project document
     * included; a unique index on them guards against a second document for one entity. By default the asset id.
     */
    default java.util.List<String> uniqueKeyPaths() {
        return java.util.List.of(assetIdPath());
    }

    /** Dotted path of the project id in the project document, e.g. {@code data.zou_id}. */
    String projectIdPath();

    /** {@code data} keys (dotted, below data) and values that identify an asset document. */
    Document assetIdentity(String trackerId, String trackerType);

    /** {@code data} keys and values that identify the project document. */
    Document projectIdentity(String trackerId);

    /** Identity stored inside a {@code data.tasks} entry (dict flavours). */
    Document taskIdentity(String trackerId);

    /** The tracker task id of a {@code data.tasks} entry, or null when another tool wrote the entry. */
    String taskIdOf(Document taskEntry);

    /** Dotted path below {@code data} where list-shaped task flavours remember the task names they own. */
    String ownedTaskNamesPath();

    /**
     * Dotted path below {@code data} that holds the tracker's own record of an entity in {@link AvalonLayout#OPENPYPE}
     * ({@code zou} for Kitsu, as OpenPype's Kitsu module keeps it); null when the tracker has none.
     */
    default String recordPath() {
        return null;
    }

    /** Reads a dotted path from a document; null when any step is missing. */
    static Object read(Document doc, String dottedPath) {
        Object current = doc;
        for (String part : Paths.split(dottedPath)) {
            if (!(current instanceof Document d)) {
                return null;
            }
            current = d.get(part);
        }
        return current;
    }

    /** Split dotted paths, cached: the planner reads the same few paths for every document. */
    final class Paths {
        private static final java.util.Map<String, String[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

        private Paths() {
        }

        static String[] split(String dottedPath) {
            return CACHE.computeIfAbsent(dottedPath, p -> p.split("\\."));
        }
    }
}
