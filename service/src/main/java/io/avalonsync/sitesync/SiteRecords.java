package io.avalonsync.sitesync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Where site sync keeps its state: each file's records in its representation's {@code files[].sites} (README
 * "Site sync"), shared by {@link SiteQueue} (what is due, how the queue stands), {@link SiteClaims} (who works on
 * a file), {@link SiteOutcomes} (what happened to it) and {@link SiteAdmin} (reset, pause, priority).
 * <p>
 * Work is per file, not per representation. Every write is one single-document update whose filter re-checks the
 * record's state, so several nodes can run the same loop: MongoDB applies a single-document update atomically, so
 * of two racing claims exactly one matches. Records are addressed by {@code arrayFilters} on the file's
 * {@code _id} and the site's name, or by positions read in the same selection under a filter that checks them.
 * <p>
 * Both shapes of {@code sites} are read and written in place: the current list
 * {@code [{name: "studio", ...}, {name: "gdrive", ...}]} and the 2020 dict {@code {studio: {...}, gdrive: {...}}}.
 * A dict-shaped document is not converted, so older tools that still read it keep working.
 * <p>
 * A file without a record for a site is not wanted on that site and is never selected for it: the publisher adds
 * the remote skeleton {@code {name: <remote>}} only when a remote site is configured, and people rely on removing
 * it to keep a file local. Files published before the remote site existed need the skeleton added (one
 * {@code $push}), which is a deliberate act, not something a sync loop should guess. The same holds for
 * downloads: the active site must have a record (without {@code created_dt}).
 * <p>
 * Thread-safe: it holds only the (thread-safe) client and immutable settings.
 */
public final class SiteRecords {

    static final Bson FILE_FIELDS = Projections.include("files._id", "files.path", "files.size", "files.hash",
            "files.sites");

    private final MongoClient client;
    private final String database;
    private final String activeSite;
    private final String remoteSite;
    private final int retryCount;

    public SiteRecords(MongoClient client, String database, String activeSite, String remoteSite, int retryCount) {
        this.client = Objects.requireNonNull(client, "client");
        this.database = Objects.requireNonNull(database, "database");
        this.activeSite = checkSite(activeSite, "sitesync.active-site");
        this.remoteSite = checkSite(remoteSite, "sitesync.remote-site");
        if (activeSite.equals(remoteSite)) {
            throw new IllegalArgumentException("sitesync.active-site and sitesync.remote-site are both '" + activeSite
                    + "'; they must name different sites");
        }
        if (retryCount < 1) {
            throw new IllegalArgumentException("sitesync.retry-count must be at least 1, got " + retryCount);
        }
        this.retryCount = retryCount;
    }

    // Site names become field names in the dict shape and in update paths.
    static String checkSite(String site, String key) {
        if (site == null || site.isBlank() || site.contains(".") || site.startsWith("$")) {
            throw new IllegalArgumentException(key + " must be a site name without '.' or a leading '$', got '"
                    + site + "'");
        }
        return site;
    }

    public String activeSite() {
        return activeSite;
    }

    public String remoteSite() {
        return remoteSite;
    }

    public int retryCount() {
        return retryCount;
    }

    MongoClient client() {
        return client;
    }

    String database() {
        return database;
    }

    MongoCollection<Document> coll(String collection) {
        return client.getDatabase(database).getCollection(collection);
    }

    /** The site a transfer in this direction writes: the remote site for uploads, the active site for downloads. */
    String target(Direction d) {
        return d == Direction.UPLOAD ? remoteSite : activeSite;
    }

    /** The site the content comes from. */
    String source(Direction d) {
        return d == Direction.UPLOAD ? activeSite : remoteSite;
    }

    // ------------------------------------------------------------------------------------------ conditions

    /**
     * Conditions under which a record may be worked on now, relative to the record ({@code prefix} "" inside a
     * list element, {@code "sites.<name>."} for the dict shape): not done, not paused, attempts left, backoff
     * over, no live claim. {@code created_dt: null} counts as present, as MongoDB's {@code $exists} sees it;
     * nothing here writes it.
     */
    Bson workable(String prefix, Instant now) {
        Date at = Date.from(now);
        return Filters.and(Filters.exists(prefix + "created_dt", false), Filters.ne(prefix + "paused", true),
                Filters.not(Filters.gte(prefix + "tries", retryCount)),
                Filters.or(Filters.exists(prefix + "next_attempt_dt", false), Filters.lte(prefix + "next_attempt_dt", at)),
                Filters.or(Filters.exists(prefix + "claimed_until", false), Filters.lt(prefix + "claimed_until", at)));
    }

    /**
     * {@link #workable} as plain conditions of one array filter document ({@code $not} instead of {@code $or}:
     * an array filter is a single document of conditions on one identifier).
     */
    void workableFilter(Document filter, String prefix, Instant now) {
        Date at = Date.from(now);
        filter.append(prefix + "created_dt", new Document("$exists", false))
                .append(prefix + "paused", new Document("$ne", true))
                .append(prefix + "tries", new Document("$not", new Document("$gte", retryCount)))
                .append(prefix + "next_attempt_dt", new Document("$not", new Document("$gt", at)))
                .append(prefix + "claimed_until", new Document("$not", new Document("$gte", at)));
    }

    // ------------------------------------------------------------------------------------------ addressing

    /**
     * Where one task's record lives: the filter that finds it (plus extra conditions on the record), the update
     * path of a record field and the arrayFilters those paths need.
     */
    record Target(FileTask task) {

        Bson filter(Function<String, Bson> recordConditions) {
            FileTask t = task;
            if (t.dictShape()) {
                String prefix = "sites." + t.site() + ".";
                Bson extra = recordConditions.apply(prefix);
                Bson file = Filters.and(Filters.eq("_id", t.fileId()), Filters.exists("sites." + t.site()));
                return Filters.and(Filters.eq("_id", t.representationId()),
                        Filters.elemMatch("files", extra == null ? file : Filters.and(file, extra)));
            }
            Bson extra = recordConditions.apply("");
            Bson site = extra == null ? Filters.eq("name", t.site()) : Filters.and(Filters.eq("name", t.site()), extra);
            return Filters.and(Filters.eq("_id", t.representationId()), Filters.elemMatch("files",
                    Filters.and(Filters.eq("_id", t.fileId()), Filters.elemMatch("sites", site))));
        }

        String path(String field) {
            return task.dictShape() ? "files.$[f].sites." + task.site() + "." + field
                    : "files.$[f].sites.$[s]." + field;
        }

        List<Bson> arrayFilters() {
            // every identifier given must be used in the update, or MongoDB rejects it
            return task.dictShape() ? List.of(Filters.eq("f._id", task.fileId()))
                    : List.of(Filters.eq("f._id", task.fileId()), Filters.eq("s.name", task.site()));
        }
    }

    /** The task's record in a representation read back, or null when the file or its record is gone. */
    static SiteRecord findRecord(Document repre, FileTask t) {
        for (Document file : files(repre)) {
            if (Objects.equals(file.get("_id"), t.fileId())) {
                return SiteRecord.find(file.get("sites"), t.site());
            }
        }
        return null;
    }

    static List<Document> files(Document repre) {
        List<Document> out = new ArrayList<>();
        if (repre.get("files") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Document d) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
