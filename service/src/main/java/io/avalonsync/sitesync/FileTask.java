package io.avalonsync.sitesync;

import java.util.Objects;

import org.bson.types.ObjectId;

/**
 * One file of one representation to transfer to one site.
 *
 * @param collection       the Avalon project collection holding the representation
 * @param representationId the representation's {@code _id}
 * @param fileId           the {@code files[]._id} (an ObjectId in published documents; kept as stored)
 * @param path             the root-less template path, e.g. {@code {root[work]}/Test/Assets/...}
 * @param size             the published size in bytes, -1 when the document has none
 * @param hash             the publisher's {@code hash} (name|mtime|size), null when absent
 * @param site             the site this transfer writes: the remote site for uploads, the active site for downloads
 * @param sourceSite       the site the content comes from
 * @param direction        upload or download
 * @param tries            failed attempts recorded so far on the target record
 * @param priority         higher goes first; 50 when unset
 * @param dictShape        true when the file's {@code sites} is the 2020 dict keyed by site name
 * @param id               the remote Drive file id when known: the source record's for downloads, the target
 *                         record's for uploads (a previous upload whose {@code created_dt} was cleared); else null
 * @param fileIndex        the file's position in {@code files} when it was selected, -1 when unknown
 * @param siteIndex        the target record's position in the list-shaped {@code sites} when it was selected, -1
 *                         when unknown or dict-shaped
 */
public record FileTask(String collection, ObjectId representationId, Object fileId, String path, long size, String hash,
                       String site, String sourceSite, Direction direction, int tries, int priority, boolean dictShape,
                       String id, int fileIndex, int siteIndex) {

    public static final int DEFAULT_PRIORITY = 50;

    /** A task whose positions in the document are not known. */
    public FileTask(String collection, ObjectId representationId, Object fileId, String path, long size, String hash,
                    String site, String sourceSite, Direction direction, int tries, int priority, boolean dictShape,
                    String id) {
        this(collection, representationId, fileId, path, size, hash, site, sourceSite, direction, tries, priority,
                dictShape, id, -1, -1);
    }

    /**
     * The target record's path by position, e.g. {@code files.3.sites.1} or {@code files.3.sites.gdrive} (dict
     * shape), or null when the positions are not known. Only valid while the file is still at that position: a
     * write by path checks that first.
     */
    public String recordPath() {
        if (fileIndex < 0 || (!dictShape && siteIndex < 0)) {
            return null;
        }
        return "files." + fileIndex + ".sites." + (dictShape ? site : Integer.toString(siteIndex));
    }

    public FileTask {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(representationId, "representationId");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(sourceSite, "sourceSite");
        Objects.requireNonNull(direction, "direction");
    }

    /** Names the file for log lines and error texts. */
    public String describe() {
        return direction.name().toLowerCase() + " " + collection + "/" + representationId + "/" + fileId
                + " (" + path + ") " + sourceSite + " -> " + site;
    }
}
