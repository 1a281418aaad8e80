package io.avalonsync.sitesync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * The operations on the site records ({@link SiteRecords}) behind {@code POST /sitesync/reset}, {@code /pause}
 * and {@code /priority}: per file, representation or project, for one site.
 */
public final class SiteAdmin {

    private static final List<String> FAILURE_FIELDS = List.of("tries", "error", "error_kind", "next_attempt_dt",
            "last_failed_dt");

    private final SiteRecords records;

    public SiteAdmin(SiteRecords records) {
        this.records = Objects.requireNonNull(records, "records");
    }

    /**
     * Forgets failures so the file is selected again: unsets {@code tries, error, error_kind, next_attempt_dt,
     * last_failed_dt}. Scope: one file ({@code fileIdOrNull}), every file of a representation (file null), or
     * every representation of the collection (both null); one site, or both sites this service syncs when
     * {@code siteOrNull} is null. Every matching file is reset, the first one included.
     *
     * @return the number of representation documents changed
     */
    public long reset(String collection, ObjectId representationId, Object fileIdOrNull, String siteOrNull) {
        long changed = 0;
        for (String site : siteOrNull == null ? List.of(records.remoteSite(), records.activeSite()) : List.of(siteOrNull)) {
            changed += updateRecords(collection, representationId, fileIdOrNull, site, path -> Updates.combine(
                    FAILURE_FIELDS.stream().map(f -> Updates.unset(path.apply(f))).toList()));
        }
        return changed;
    }

    /**
     * Pauses (or resumes) transfers of a file, a representation's files (file null) or the whole collection
     * (both ids null) to {@code site}. A running transfer finishes its current attempt.
     *
     * @return the number of representation documents changed
     */
    public long pause(String collection, ObjectId representationId, Object fileIdOrNull, String site, boolean paused) {
        return updateRecords(collection, representationId, fileIdOrNull, SiteRecords.checkSite(site, "site"),
                path -> paused ? Updates.set(path.apply("paused"), true) : Updates.unset(path.apply("paused")));
    }

    /**
     * Sets the priority (1–1000, higher first; 50 when unset) of transfers to {@code site}, same scopes as
     * {@link #pause}.
     *
     * @return the number of representation documents changed
     */
    public long priority(String collection, ObjectId representationId, Object fileIdOrNull, String site, int priority) {
        if (priority < 1 || priority > 1000) {
            throw new IllegalArgumentException("priority must be between 1 and 1000, got " + priority);
        }
        return updateRecords(collection, representationId, fileIdOrNull, SiteRecords.checkSite(site, "site"),
                path -> Updates.set(path.apply("priority"), priority));
    }

    /**
     * One update per shape over the chosen scope. Files are picked by arrayFilters (by id, or by having a record
     * for the site), so no file is skipped for its position and a file without the record is left alone.
     */
    private long updateRecords(String collection, ObjectId representationId, Object fileId, String site,
                               Function<Function<String, String>, Bson> update) {
        SiteRecords.checkSite(site, "site");
        MongoCollection<Document> coll = records.coll(collection);
        long changed = 0;

        List<Bson> listFile = new ArrayList<>();
        if (fileId != null) {
            listFile.add(Filters.eq("_id", fileId));
        }
        listFile.add(Filters.elemMatch("sites", Filters.eq("name", site)));
        List<Bson> listDoc = docScope(representationId);
        listDoc.add(Filters.elemMatch("files", Filters.and(listFile)));
        Bson fFilter = fileId != null ? Filters.eq("f._id", fileId) : Filters.eq("f.sites.name", site);
        changed += coll.updateMany(Filters.and(listDoc), update.apply(f -> "files.$[f].sites.$[s]." + f),
                new UpdateOptions().arrayFilters(List.of(fFilter, Filters.eq("s.name", site)))).getModifiedCount();

        List<Bson> dictFile = new ArrayList<>();
        if (fileId != null) {
            dictFile.add(Filters.eq("_id", fileId));
        }
        dictFile.add(Filters.exists("sites." + site));
        List<Bson> dictDoc = docScope(representationId);
        dictDoc.add(Filters.elemMatch("files", Filters.and(dictFile)));
        // one plain document: MongoDB rejects a top-level $and (what Filters.and renders) in an array filter
        Document fDict = new Document("f.sites." + site, new Document("$exists", true));
        if (fileId != null) {
            fDict.append("f._id", fileId);
        }
        changed += coll.updateMany(Filters.and(dictDoc), update.apply(f -> "files.$[f].sites." + site + "." + f),
                new UpdateOptions().arrayFilters(List.of(fDict))).getModifiedCount();
        return changed;
    }

    private static List<Bson> docScope(ObjectId representationId) {
        List<Bson> scope = new ArrayList<>();
        scope.add(Filters.eq("type", "representation"));
        if (representationId != null) {
            scope.add(Filters.eq("_id", representationId));
        }
        return scope;
    }
}
