package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.UpdateResult;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to a transfer, written to the file's site record ({@link SiteRecords}): {@code created_dt} and the
 * Drive id on success, {@code tries}, the error and the next attempt time on failure, and the progress of a
 * running transfer for the status page.
 */
public final class SiteOutcomes {

    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    /** A missing local file needs a person (publish again, restore): retrying every loop only burns attempts. */
    static final Duration LOCAL_MISSING_BACKOFF = Duration.ofHours(1);
    static final String DEFAULT_ERROR_KIND = "TRANSIENT";

    private static final Logger LOG = LoggerFactory.getLogger(SiteOutcomes.class);

    private final SiteRecords records;

    public SiteOutcomes(SiteRecords records) {
        this.records = Objects.requireNonNull(records, "records");
    }

    /** Records a finished transfer: the file is on {@code t.site()} from now on. */
    public void succeeded(FileTask t, String remoteId, long size, String md5, Instant now) {
        SiteRecords.Target target = new SiteRecords.Target(t);
        List<Bson> updates = successUpdates(target::path, remoteId, size, md5, now);
        UpdateResult r = records.coll(t.collection()).updateOne(target.filter(prefix -> null), Updates.combine(updates),
                new UpdateOptions().arrayFilters(target.arrayFilters()));
        if (r.getMatchedCount() == 0) {
            LOG.warn("{} finished, but its site record is gone (representation or file deleted, or site removed);"
                    + " nothing recorded", t.describe());
        }
    }

    /** A finished transfer waiting to be recorded (see {@link #succeeded(List)}). */
    public record Success(FileTask task, String remoteId, long size, String md5, Instant at) {
        public Success {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Records several finished transfers with one write per representation (and shape and site), all sent in one
     * unordered bulk write. Where the files' positions in the document are known from their selection, the
     * fields are written by position ({@code files.3.sites.1.created_dt}) under a filter that checks each file is
     * still at its position with its site record: no array filter for the store to resolve over every file of the
     * document. A group whose document changed shape since (none matched) is written again by array filters: every
     * file gets its own identifier ({@code f0}, {@code f1}, ...) for its Drive id, size and MD5, and one
     * identifier ({@code d}, the group's ids) unsets the claim and failure fields of all. Either way a
     * representation document is rewritten once however many of its files finished.
     *
     * @return the number of representation documents changed
     */
    public long succeeded(List<Success> done) {
        Map<List<Object>, List<Success>> groups = new LinkedHashMap<>();
        for (Success d : done) {
            FileTask t = d.task();
            groups.computeIfAbsent(List.of(t.collection(), t.representationId(), t.site(), t.dictShape()),
                    k -> new ArrayList<>()).add(d);
        }
        List<List<Success>> byPosition = new ArrayList<>();
        List<List<Success>> byFilter = new ArrayList<>();
        for (List<Success> group : groups.values()) {
            (group.stream().allMatch(d -> d.task().recordPath() != null) ? byPosition : byFilter).add(group);
        }
        long changed = 0;
        if (!byPosition.isEmpty()) {
            Map<String, List<WriteModel<Document>>> models = new LinkedHashMap<>();
            for (List<Success> group : byPosition) {
                models.computeIfAbsent(group.get(0).task().collection(), k -> new ArrayList<>()).add(byPosition(group));
            }
            long matched = 0;
            for (Map.Entry<String, List<WriteModel<Document>>> e : models.entrySet()) {
                BulkWriteResult r = records.coll(e.getKey()).bulkWrite(e.getValue(), new BulkWriteOptions().ordered(false));
                matched += r.getMatchedCount();
                changed += r.getModifiedCount();
            }
            if (matched < byPosition.size()) {
                // some documents changed shape since the selection (or are gone): those are written by array
                // filters, and writing again the ones already done changes nothing
                LOG.debug("{} of {} representation(s) changed since their files were selected; recording by file id",
                        byPosition.size() - matched, byPosition.size());
                byFilter.addAll(byPosition);
            }
        }
        if (byFilter.isEmpty()) {
            return changed;
        }
        Map<String, List<WriteModel<Document>>> byCollection = new LinkedHashMap<>();
        for (List<Success> group : byFilter) {
            byCollection.computeIfAbsent(group.get(0).task().collection(), k -> new ArrayList<>()).add(byFilter(group));
        }
        for (Map.Entry<String, List<WriteModel<Document>>> e : byCollection.entrySet()) {
            BulkWriteResult r = records.coll(e.getKey()).bulkWrite(e.getValue(), new BulkWriteOptions().ordered(false));
            if (r.getMatchedCount() < e.getValue().size()) {
                LOG.warn("{} of {} representation(s) in {} with finished files are gone; their files are not recorded",
                        e.getValue().size() - r.getMatchedCount(), e.getValue().size(), e.getKey());
            }
            changed += r.getModifiedCount();
        }
        return changed;
    }

    // one representation's finished files, written by their positions, if every one is still where it was
    private static UpdateOneModel<Document> byPosition(List<Success> group) {
        FileTask first = group.get(0).task();
        List<Bson> guards = new ArrayList<>();
        guards.add(Filters.eq("_id", first.representationId()));
        List<Bson> updates = new ArrayList<>();
        for (Success d : group) {
            FileTask t = d.task();
            String record = t.recordPath();
            String file = "files." + t.fileIndex();
            guards.add(Filters.eq(file + "._id", t.fileId()));
            guards.add(t.dictShape() ? Filters.exists(record) : Filters.eq(record + ".name", t.site()));
            updates.addAll(successUpdates(field -> record + "." + field, d.remoteId(), d.size(), d.md5(), d.at()));
        }
        return new UpdateOneModel<>(Filters.and(guards), Updates.combine(updates));
    }

    // one representation's finished files, found by id with array filters wherever they are now
    private static UpdateOneModel<Document> byFilter(List<Success> group) {
        FileTask first = group.get(0).task();
        String site = first.site();
        String records = first.dictShape() ? "files.$[d].sites." + site + "." : "files.$[d].sites.$[s].";
        List<Bson> updates = new ArrayList<>();
        List<Bson> arrayFilters = new ArrayList<>();
        // what differs per file (f0, f1, ...), then the fields every finished record loses, once for all (d)
        for (int i = 0; i < group.size(); i++) {
            Success d = group.get(i);
            String f = "f" + i;
            String prefix = first.dictShape() ? "files.$[" + f + "].sites." + site + "." : "files.$[" + f + "].sites.$[s].";
            updates.addAll(successSets(field -> prefix + field, d.remoteId(), d.size(), d.md5(), d.at()));
            arrayFilters.add(fileFilter(f, d.task().fileId(), first));
        }
        updates.addAll(successUnsets(field -> records + field));
        arrayFilters.add(fileFilter("d", new Document("$in", group.stream().map(d -> d.task().fileId()).toList()), first));
        if (!first.dictShape()) {
            arrayFilters.add(new Document("s.name", site));
        }
        return new UpdateOneModel<>(Filters.eq("_id", first.representationId()), Updates.combine(updates),
                new UpdateOptions().arrayFilters(arrayFilters));
    }

    private static List<Bson> successUpdates(Function<String, String> path, String remoteId, long size, String md5,
                                             Instant now) {
        List<Bson> updates = successSets(path, remoteId, size, md5, now);
        updates.addAll(successUnsets(path));
        return updates;
    }

    /** The fields a finished record gets: {@code created_dt} and, when known, Drive id, size and MD5. */
    private static List<Bson> successSets(Function<String, String> path, String remoteId, long size, String md5,
                                          Instant now) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set(path.apply("created_dt"), Date.from(Objects.requireNonNull(now, "now"))));
        if (remoteId != null) {
            updates.add(Updates.set(path.apply("id"), remoteId));
        }
        if (size >= 0) {
            updates.add(Updates.set(path.apply("size"), size));
        }
        if (md5 != null) {
            updates.add(Updates.set(path.apply("md5"), md5));
        }
        return updates;
    }

    /** The fields a finished record loses: failures, progress and the claim. */
    private static List<Bson> successUnsets(Function<String, String> path) {
        List<Bson> updates = new ArrayList<>();
        for (String field : List.of("error", "error_kind", "tries", "last_failed_dt", "next_attempt_dt", "progress",
                "claimed_by", "claimed_until")) {
            updates.add(Updates.unset(path.apply(field)));
        }
        return updates;
    }

    // the array filter picking a file (or files, with $in) of a group by id; in the dict shape only with the site
    private static Document fileFilter(String identifier, Object idCondition, FileTask first) {
        Document filter = new Document(identifier + "._id", idCondition);
        if (first.dictShape()) {
            filter.append(identifier + ".sites." + first.site(), new Document("$exists", true));
        }
        return filter;
    }

    /**
     * Records a failed attempt in one update: {@code $inc tries}, the error (never null or blank) and its kind,
     * {@code last_failed_dt}, and {@code next_attempt_dt = now + min(loopDelay * 2^triesBefore, 6h)} (at least an
     * hour for {@code LOCAL_MISSING}); drops the claim and progress.
     *
     * @return the record's new {@code tries}, or -1 when the record no longer exists
     */
    public int failed(FileTask t, String error, String errorKind, Instant now, Duration loopDelay) {
        String kind = errorKind == null || errorKind.isBlank() ? DEFAULT_ERROR_KIND : errorKind;
        String text = error == null || error.isBlank()
                ? t.direction().name().toLowerCase() + " of " + t.path() + " to site " + t.site()
                        + " failed without an error message (" + kind + ")"
                : error;
        SiteRecords.Target target = new SiteRecords.Target(t);
        int expected = t.tries() + 1;
        Bson update = Updates.combine(Updates.inc(target.path("tries"), 1), Updates.set(target.path("error"), text),
                Updates.set(target.path("error_kind"), kind), Updates.set(target.path("last_failed_dt"), Date.from(now)),
                Updates.set(target.path("next_attempt_dt"), Date.from(now.plus(backoff(expected, kind, loopDelay)))),
                Updates.unset(target.path("progress")), Updates.unset(target.path("claimed_by")),
                Updates.unset(target.path("claimed_until")));
        Document after = records.coll(t.collection()).findOneAndUpdate(target.filter(prefix -> null), update,
                new FindOneAndUpdateOptions().arrayFilters(target.arrayFilters()).returnDocument(ReturnDocument.AFTER)
                        .projection(Projections.include("files._id", "files.sites")));
        if (after == null) {
            LOG.warn("{} failed ({}), but its site record is gone; nothing recorded", t.describe(), text);
            return -1;
        }
        SiteRecord record = SiteRecords.findRecord(after, t);
        int tries = record == null ? expected : record.tries();
        if (tries != expected) {
            // the task was stale (a reset or another node's failure in between): base the backoff on the real count
            records.coll(t.collection()).updateOne(target.filter(prefix -> Filters.eq(prefix + "tries", tries)),
                    Updates.set(target.path("next_attempt_dt"), Date.from(now.plus(backoff(tries, kind, loopDelay)))),
                    new UpdateOptions().arrayFilters(target.arrayFilters()));
        }
        return tries;
    }

    /** Wait before attempt {@code tries + 1}: loopDelay, 2×, 4×, … capped at 6 h. */
    static Duration backoff(int tries, String kind, Duration loopDelay) {
        long base = Math.max(1, loopDelay.toSeconds());
        int exponent = Math.min(Math.max(tries - 1, 0), 20);
        Duration delay = Duration.ofSeconds(Math.min(base << exponent, MAX_BACKOFF.toSeconds()));
        if (FaultKind.LOCAL_MISSING.name().equals(kind) && delay.compareTo(LOCAL_MISSING_BACKOFF) < 0) {
            delay = LOCAL_MISSING_BACKOFF;
        }
        return delay;
    }

    /** Saves how far a running transfer is (0–1) for the status page. */
    public void progress(FileTask t, double fraction) {
        if (Double.isNaN(fraction)) {
            return;
        }
        SiteRecords.Target target = new SiteRecords.Target(t);
        records.coll(t.collection()).updateOne(target.filter(prefix -> Filters.exists(prefix + "created_dt", false)),
                Updates.set(target.path("progress"), Math.max(0, Math.min(1, fraction))),
                new UpdateOptions().arrayFilters(target.arrayFilters()));
    }
}
