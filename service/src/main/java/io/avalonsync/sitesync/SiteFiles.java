package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.UpdateResult;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB side of site sync: which files of which representations need a transfer, who works on one, and
 * what happened to it, all kept in the representation's {@code files[].sites} records (SPEC §8).
 * <p>
 * Work is per file, not per representation. Every write is one single-document update whose filter
 * re-checks the record's state, so several nodes can run the same loop: MongoDB applies a single-document
 * update atomically, so of two racing claims exactly one matches. Records are addressed by
 * {@code arrayFilters} on the file's {@code _id} and the site's name, never by positions read earlier.
 * <p>
 * Both shapes of {@code sites} are read and written in place: the current list
 * {@code [{name: "studio", ...}, {name: "gdrive", ...}]} and the 2020 dict {@code {studio: {...}, gdrive: {...}}}.
 * A dict-shaped document is not converted, so older tools that still read it keep working.
 * <p>
 * A file without a record for a site is not wanted on that site and is never selected for it: the
 * publisher adds the remote skeleton {@code {name: <remote>}} only when a remote site is configured, and
 * people rely on removing it to keep a file local. Files published before the remote site existed need the
 * skeleton added (one {@code $push}), which is a deliberate act, not something a sync loop should guess.
 * The same holds for downloads: the active site must have a record (without {@code created_dt}).
 * <p>
 * Thread-safe: it holds only the (thread-safe) client and immutable settings.
 */
public final class SiteFiles {

    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    /** A missing local file needs a person (publish again, restore): retrying every loop only burns attempts. */
    static final Duration LOCAL_MISSING_BACKOFF = Duration.ofHours(1);
    public static final String LOCAL_MISSING = "LOCAL_MISSING";
    static final String DEFAULT_ERROR_KIND = "TRANSIENT";

    private static final Logger LOG = LoggerFactory.getLogger(SiteFiles.class);
    private static final Bson FILE_FIELDS = Projections.include("files._id", "files.path", "files.size",
            "files.hash", "files.sites");
    private static final List<String> FAILURE_FIELDS = List.of("tries", "error", "error_kind", "next_attempt_dt",
            "last_failed_dt");

    private final MongoClient client;
    private final String database;
    private final String activeSite;
    private final String remoteSite;
    private final int retryCount;

    public SiteFiles(MongoClient client, String database, String activeSite, String remoteSite, int retryCount) {
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
    private static String checkSite(String site, String key) {
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

    private MongoCollection<Document> coll(String collection) {
        return client.getDatabase(database).getCollection(collection);
    }

    /** The Avalon project collections (those holding a {@code {type: "project"}} document), by name. */
    public List<String> projects() {
        MongoDatabase db = client.getDatabase(database);
        List<String> out = new ArrayList<>();
        for (String name : db.listCollectionNames()) {
            if (name.startsWith("system.")) {
                continue;
            }
            if (db.getCollection(name).find(Filters.eq("type", "project")).projection(Projections.include("_id"))
                    .first() != null) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------------------------------------ selection

    /**
     * Up to {@code limit} files to transfer now in one direction, highest priority first, then by file id.
     * The target record (remote site for uploads, active site for downloads) must lack {@code created_dt}, not
     * be paused, have {@code tries} below the retry count, have no {@code next_attempt_dt} in the future and no
     * live claim; the source record must have {@code created_dt}.
     */
    public List<FileTask> due(String collection, Direction direction, int limit, Instant now) {
        if (limit <= 0) {
            return List.of();
        }
        String target = target(direction);
        String source = source(direction);
        Bson query = dueQuery(direction, now);
        Comparator<FileTask> order = Comparator.comparingInt(FileTask::priority).reversed()
                .thenComparing(FileTask::fileId, SiteFiles::compareIds)
                .thenComparing(FileTask::representationId);
        // keeps the best `limit` tasks while streaming, so memory stays bounded however long the queue is
        PriorityQueue<FileTask> best = new PriorityQueue<>(order.reversed());
        try (MongoCursor<Document> cursor = coll(collection).find(query).projection(FILE_FIELDS)
                .sort(Sorts.ascending("_id")).batchSize(200).iterator()) {
            while (cursor.hasNext()) {
                Document repre = cursor.next();
                List<?> all = repre.get("files") instanceof List<?> list ? list : List.of();
                for (int i = 0; i < all.size(); i++) {
                    if (!(all.get(i) instanceof Document file)) {
                        continue;
                    }
                    Object sites = file.get("sites");
                    SiteRecord to = SiteRecord.find(sites, target);
                    SiteRecord from = SiteRecord.find(sites, source);
                    if (to == null || from == null || !from.created() || !to.dueAt(now, retryCount)) {
                        continue;
                    }
                    FileTask task = task(collection, repre.getObjectId("_id"), file, i, direction, to, from);
                    best.add(task);
                    if (best.size() > limit) {
                        best.poll();
                    }
                }
            }
        }
        List<FileTask> out = new ArrayList<>(best);
        out.sort(order);
        return out;
    }

    /**
     * The server-side narrowing of {@link #due}: representations with at least one candidate file. The two
     * {@code $elemMatch} of the list shape may be met by different files, so each file is checked again in Java.
     */
    Bson dueQuery(Direction direction, Instant now) {
        String target = target(direction);
        String source = source(direction);
        return Filters.and(Filters.eq("type", "representation"), Filters.or(
                Filters.and(Filters.elemMatch("files.sites", Filters.and(Filters.eq("name", target), workable("", now))),
                        Filters.elemMatch("files.sites", Filters.and(Filters.eq("name", source),
                                Filters.exists("created_dt")))),
                Filters.elemMatch("files", Filters.and(Filters.exists("sites." + target),
                        workable("sites." + target + ".", now), Filters.exists("sites." + source + ".created_dt")))));
    }

    private FileTask task(String collection, ObjectId repreId, Document file, int fileIndex, Direction direction,
                          SiteRecord to, SiteRecord from) {
        Object size = file.get("size");
        Object hash = file.get("hash");
        // the target's priority is what operators set; the source's counts when only it has one
        int priority = to.priority() != null ? to.priority()
                : from.priority() != null ? from.priority() : FileTask.DEFAULT_PRIORITY;
        String id = direction == Direction.DOWNLOAD ? from.id() : to.id();
        return new FileTask(collection, repreId, file.get("_id"), file.getString("path"),
                size instanceof Number n ? n.longValue() : -1, hash == null ? null : String.valueOf(hash), to.name(),
                from.name(), direction, to.tries(), priority, SiteRecord.isDict(file.get("sites")), id, fileIndex,
                SiteRecord.indexOf(file.get("sites"), to.name()));
    }

    /**
     * Conditions under which a record may be worked on now, relative to the record ({@code prefix} "" inside a
     * list element, {@code "sites.<name>."} for the dict shape). {@code created_dt: null} counts as present,
     * as MongoDB's {@code $exists} sees it; nothing here writes it.
     */
    private Bson workable(String prefix, Instant now) {
        Date at = Date.from(now);
        return Filters.and(Filters.exists(prefix + "created_dt", false), Filters.ne(prefix + "paused", true),
                Filters.not(Filters.gte(prefix + "tries", retryCount)),
                Filters.or(Filters.exists(prefix + "next_attempt_dt", false), Filters.lte(prefix + "next_attempt_dt", at)),
                Filters.or(Filters.exists(prefix + "claimed_until", false), Filters.lt(prefix + "claimed_until", at)));
    }

    // ---------------------------------------------------------------------------------------- claim and results

    /**
     * Takes the file for {@code node} until {@code now + lease}. The filter re-checks that the record is still
     * workable (not done, not paused, attempts left, backoff passed, no live claim), so of several racing nodes
     * exactly one gets true; an expired claim can be taken over.
     */
    public boolean claim(FileTask t, String node, Duration lease, Instant now) {
        Objects.requireNonNull(node, "node");
        Target target = target(t);
        Bson update = Updates.combine(Updates.set(target.path("claimed_by"), node),
                Updates.set(target.path("claimed_until"), Date.from(now.plus(lease))));
        UpdateResult r = coll(t.collection()).updateOne(target.filter(prefix -> workable(prefix, now)), update,
                new UpdateOptions().arrayFilters(target.arrayFilters()));
        return r.getModifiedCount() == 1;
    }

    /**
     * Takes several files for {@code node} with one write per representation (and shape): each representation's
     * files are claimed by one atomic update whose array filters pick the listed files whose record is still
     * workable, so of several racing claimers each file goes to exactly one. The claim's {@code claimed_until}
     * (now + lease, to the millisecond) is this call's token: the files whose record carries this node and
     * that exact time afterwards are the ones taken.
     *
     * @return the tasks taken, in the given order
     */
    public List<FileTask> claim(List<FileTask> tasks, String node, Duration lease, Instant now) {
        Objects.requireNonNull(node, "node");
        Date until = new Date(now.plus(lease).toEpochMilli());
        Map<List<Object>, List<FileTask>> groups = new LinkedHashMap<>();
        for (FileTask t : tasks) {
            groups.computeIfAbsent(List.of(t.collection(), t.representationId(), t.site(), t.dictShape()),
                    k -> new ArrayList<>()).add(t);
        }
        Set<FileTask> taken = new HashSet<>();
        for (List<FileTask> group : groups.values()) {
            FileTask first = group.get(0);
            List<Object> ids = group.stream().map(FileTask::fileId).toList();
            String site = first.site();
            Bson docFilter;
            String prefix;
            List<Bson> arrayFilters;
            if (first.dictShape()) {
                prefix = "files.$[f].sites." + site + ".";
                docFilter = Filters.and(Filters.eq("_id", first.representationId()), Filters.elemMatch("files",
                        Filters.and(Filters.in("_id", ids), Filters.exists("sites." + site),
                                workable("sites." + site + ".", now))));
                Document f = new Document("f._id", new Document("$in", ids))
                        .append("f.sites." + site, new Document("$exists", true));
                workableFilter(f, "f.sites." + site + ".", now);
                arrayFilters = List.of(f);
            } else {
                prefix = "files.$[f].sites.$[s].";
                docFilter = Filters.and(Filters.eq("_id", first.representationId()), Filters.elemMatch("files",
                        Filters.and(Filters.in("_id", ids), Filters.elemMatch("sites",
                                Filters.and(Filters.eq("name", site), workable("", now))))));
                Document s = new Document("s.name", site);
                workableFilter(s, "s.", now);
                arrayFilters = List.of(new Document("f._id", new Document("$in", ids)), s);
            }
            Document after = coll(first.collection()).findOneAndUpdate(docFilter,
                    Updates.combine(Updates.set(prefix + "claimed_by", node), Updates.set(prefix + "claimed_until", until)),
                    new FindOneAndUpdateOptions().arrayFilters(arrayFilters).returnDocument(ReturnDocument.AFTER)
                            .projection(Projections.include("files._id", "files.sites")));
            if (after == null) {
                continue;
            }
            for (FileTask t : group) {
                SiteRecord r = findRecord(after, t);
                if (r != null && node.equals(r.claimedBy()) && r.claimedUntil() != null
                        && r.claimedUntil().toEpochMilli() == until.getTime()) {
                    taken.add(t);
                }
            }
        }
        return tasks.stream().filter(taken::contains).toList();
    }

    /**
     * {@link #workable} as plain conditions of one array filter document ({@code $not} instead of {@code $or}:
     * an array filter is a single document of conditions on one identifier).
     */
    private void workableFilter(Document filter, String prefix, Instant now) {
        Date at = Date.from(now);
        filter.append(prefix + "created_dt", new Document("$exists", false))
                .append(prefix + "paused", new Document("$ne", true))
                .append(prefix + "tries", new Document("$not", new Document("$gte", retryCount)))
                .append(prefix + "next_attempt_dt", new Document("$not", new Document("$gt", at)))
                .append(prefix + "claimed_until", new Document("$not", new Document("$gte", at)));
    }

    /** Records a finished transfer: the file is on {@code t.site()} from now on. */
    public void succeeded(FileTask t, String remoteId, long size, String md5, Instant now) {
        Target target = target(t);
        List<Bson> updates = successUpdates(target::path, remoteId, size, md5, now);
        UpdateResult r = coll(t.collection()).updateOne(target.filter(prefix -> null), Updates.combine(updates),
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
                BulkWriteResult r = coll(e.getKey()).bulkWrite(e.getValue(), new BulkWriteOptions().ordered(false));
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
            BulkWriteResult r = coll(e.getKey()).bulkWrite(e.getValue(), new BulkWriteOptions().ordered(false));
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
     * hour for {@value #LOCAL_MISSING}); drops the claim and progress.
     *
     * @return the record's new {@code tries}, or -1 when the record no longer exists
     */
    public int failed(FileTask t, String error, String errorKind, Instant now, Duration loopDelay) {
        String kind = errorKind == null || errorKind.isBlank() ? DEFAULT_ERROR_KIND : errorKind;
        String text = error == null || error.isBlank()
                ? t.direction().name().toLowerCase() + " of " + t.path() + " to site " + t.site()
                        + " failed without an error message (" + kind + ")"
                : error;
        Target target = target(t);
        int expected = t.tries() + 1;
        Bson update = Updates.combine(Updates.inc(target.path("tries"), 1), Updates.set(target.path("error"), text),
                Updates.set(target.path("error_kind"), kind), Updates.set(target.path("last_failed_dt"), Date.from(now)),
                Updates.set(target.path("next_attempt_dt"), Date.from(now.plus(backoff(expected, kind, loopDelay)))),
                Updates.unset(target.path("progress")), Updates.unset(target.path("claimed_by")),
                Updates.unset(target.path("claimed_until")));
        Document after = coll(t.collection()).findOneAndUpdate(target.filter(prefix -> null), update,
                new FindOneAndUpdateOptions().arrayFilters(target.arrayFilters()).returnDocument(ReturnDocument.AFTER)
                        .projection(Projections.include("files._id", "files.sites")));
        if (after == null) {
            LOG.warn("{} failed ({}), but its site record is gone; nothing recorded", t.describe(), text);
            return -1;
        }
        int tries = recordOf(after, t).tries();
        if (tries != expected) {
            // the task was stale (a reset or another node's failure in between): base the backoff on the real count
            coll(t.collection()).updateOne(target.filter(prefix -> Filters.eq(prefix + "tries", tries)),
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
        if (LOCAL_MISSING.equals(kind) && delay.compareTo(LOCAL_MISSING_BACKOFF) < 0) {
            delay = LOCAL_MISSING_BACKOFF;
        }
        return delay;
    }

    /** Saves how far a running transfer is (0–1) for the status page. */
    public void progress(FileTask t, double fraction) {
        if (Double.isNaN(fraction)) {
            return;
        }
        Target target = target(t);
        coll(t.collection()).updateOne(target.filter(prefix -> Filters.exists(prefix + "created_dt", false)),
                Updates.set(target.path("progress"), Math.max(0, Math.min(1, fraction))),
                new UpdateOptions().arrayFilters(target.arrayFilters()));
    }

    /** Gives the file back without counting an attempt (shutdown, pause noticed mid-transfer). */
    public void release(FileTask t) {
        Target target = target(t);
        coll(t.collection()).updateOne(target.filter(prefix -> null), Updates.combine(
                        Updates.unset(target.path("claimed_by")), Updates.unset(target.path("claimed_until")),
                        Updates.unset(target.path("progress"))),
                new UpdateOptions().arrayFilters(target.arrayFilters()));
    }

    /**
     * Gives back every claim {@code node} still holds in a project, in both shapes and for both sites. Run at
     * start-up: claims left by a run of this node that was killed mid-transfer would otherwise block the files
     * until their lease runs out.
     *
     * @return the number of representation documents changed
     */
    public long releaseClaims(String collection, String node) {
        Objects.requireNonNull(node, "node");
        MongoCollection<Document> coll = coll(collection);
        long changed = 0;
        // claimed_by last: the array filters select on it, and some servers re-evaluate them field by field
        Bson unsetList = Updates.combine(Updates.unset("files.$[f].sites.$[s].claimed_until"),
                Updates.unset("files.$[f].sites.$[s].progress"), Updates.unset("files.$[f].sites.$[s].claimed_by"));
        changed += coll.updateMany(Filters.and(Filters.eq("type", "representation"),
                        Filters.elemMatch("files.sites", Filters.eq("claimed_by", node))), unsetList,
                new UpdateOptions().arrayFilters(List.of(Filters.eq("f.sites.claimed_by", node),
                        Filters.eq("s.claimed_by", node)))).getModifiedCount();
        for (String site : List.of(activeSite, remoteSite)) {
            String prefix = "files.$[f].sites." + site + ".";
            changed += coll.updateMany(Filters.and(Filters.eq("type", "representation"),
                            Filters.eq("files.sites." + site + ".claimed_by", node)),
                    Updates.combine(Updates.unset(prefix + "claimed_until"), Updates.unset(prefix + "progress"),
                            Updates.unset(prefix + "claimed_by")),
                    new UpdateOptions().arrayFilters(List.of(new Document("f.sites." + site + ".claimed_by", node))))
                    .getModifiedCount();
        }
        return changed;
    }

    /**
     * {@link #releaseClaims(String, String)} over every project: what {@code node} still holds anywhere. Run when the
     * service stops, after its transfers ended or were stopped, so another node or the next start takes them at once.
     *
     * @return the number of representation documents changed
     */
    public long releaseClaims(String node) {
        long changed = 0;
        for (String project : projects()) {
            changed += releaseClaims(project, node);
        }
        return changed;
    }

    // ------------------------------------------------------------------------------------------- operations

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
        for (String site : siteOrNull == null ? List.of(remoteSite, activeSite) : List.of(siteOrNull)) {
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
        return updateRecords(collection, representationId, fileIdOrNull, checkSite(site, "site"),
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
        return updateRecords(collection, representationId, fileIdOrNull, checkSite(site, "site"),
                path -> Updates.set(path.apply("priority"), priority));
    }

    /**
     * One update per shape over the chosen scope. Files are picked by arrayFilters (by id, or by having a record
     * for the site), so no file is skipped for its position and a file without the record is left alone.
     */
    private long updateRecords(String collection, ObjectId representationId, Object fileId, String site,
                               Function<Function<String, String>, Bson> update) {
        checkSite(site, "site");
        MongoCollection<Document> coll = coll(collection);
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

    // ----------------------------------------------------------------------------------------------- status

    /**
     * Files not yet on a site whose last attempt failed (including 2020 records with {@code error: null}), most
     * recent failure first.
     */
    public List<SiteFailure> failures(String collection, int limit) {
        List<String> sites = List.of(remoteSite, activeSite);
        List<Bson> any = new ArrayList<>();
        any.add(Filters.elemMatch("files.sites", Filters.and(Filters.in("name", sites), Filters.exists("created_dt", false),
                Filters.or(Filters.exists("error"), Filters.gt("tries", 0)))));
        for (String site : sites) {
            any.add(Filters.elemMatch("files", Filters.and(Filters.exists("sites." + site + ".created_dt", false),
                    Filters.or(Filters.exists("sites." + site + ".error"), Filters.gt("sites." + site + ".tries", 0)))));
        }
        List<SiteFailure> out = new ArrayList<>();
        for (Document repre : coll(collection).find(Filters.and(Filters.eq("type", "representation"), Filters.or(any)))
                .projection(FILE_FIELDS)) {
            for (Document file : files(repre)) {
                for (String site : sites) {
                    SiteRecord r = SiteRecord.find(file.get("sites"), site);
                    if (r == null || r.created() || (r.error() == null && r.tries() == 0 && !hasKey(file, site, "error"))) {
                        continue;
                    }
                    out.add(new SiteFailure(collection, repre.getObjectId("_id"), file.get("_id"), file.getString("path"),
                            site, r.tries(), r.error() == null ? "(no error text recorded)" : r.error(), r.errorKind(),
                            r.lastFailedDt(), r.nextAttemptDt(), r.exhausted(retryCount), r.paused(), r.priority()));
                }
            }
        }
        out.sort(Comparator.comparing(SiteFailure::lastFailedDt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out.size() > limit ? new ArrayList<>(out.subList(0, Math.max(0, limit))) : out;
    }

    // a 2020 failure may carry `error: null`; it still is a failure
    private static boolean hasKey(Document file, String site, String key) {
        Object sites = file.get("sites");
        if (sites instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && site.equals(m.get("name"))) {
                    return m.containsKey(key);
                }
            }
        } else if (sites instanceof Map<?, ?> dict && dict.get(site) instanceof Map<?, ?> m) {
            return m.containsKey(key);
        }
        return false;
    }

    /**
     * Counts per site (remote site for uploads, active site for downloads) for one project. Reads the
     * {@code files} of every representation that has a record for either site, so it is meant for a status page
     * refreshed every few seconds, not for every request.
     */
    public List<SiteQueueCounts> counts(String collection, Instant now) {
        long[][] n = new long[2][7];
        String[] sites = {remoteSite, activeSite};
        List<Bson> any = new ArrayList<>();
        any.add(Filters.in("files.sites.name", List.of(sites)));
        for (String site : sites) {
            any.add(Filters.exists("files.sites." + site));
        }
        for (Document repre : coll(collection).find(Filters.and(Filters.eq("type", "representation"), Filters.or(any)))
                .projection(Projections.include("files.sites"))) {
            for (Document file : files(repre)) {
                for (int i = 0; i < 2; i++) {
                    SiteRecord r = SiteRecord.find(file.get("sites"), sites[i]);
                    if (r == null) {
                        continue;
                    }
                    SiteRecord other = SiteRecord.find(file.get("sites"), sites[1 - i]);
                    int bucket = r.created() ? 0 : r.claimedAt(now) ? 1 : r.paused() ? 2 : r.exhausted(retryCount) ? 3
                            : r.backingOffAt(now) ? 4 : other != null && other.created() ? 5 : 6;
                    n[i][bucket]++;
                }
            }
        }
        List<SiteQueueCounts> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            out.add(new SiteQueueCounts(collection, sites[i], i == 0 ? Direction.UPLOAD : Direction.DOWNLOAD, n[i][0],
                    n[i][1], n[i][2], n[i][3], n[i][4], n[i][5], n[i][6]));
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------- addressing

    private String target(Direction d) {
        return d == Direction.UPLOAD ? remoteSite : activeSite;
    }

    private String source(Direction d) {
        return d == Direction.UPLOAD ? activeSite : remoteSite;
    }

    /**
     * Where one task's record lives: the filter that finds it (plus extra conditions on the record), the update
     * path of a record field and the arrayFilters those paths need.
     */
    private record Target(FileTask task) {

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

    private static Target target(FileTask t) {
        return new Target(t);
    }

    private static SiteRecord findRecord(Document repre, FileTask t) {
        for (Document file : files(repre)) {
            if (Objects.equals(file.get("_id"), t.fileId())) {
                return SiteRecord.find(file.get("sites"), t.site());
            }
        }
        return null;
    }

    private static SiteRecord recordOf(Document repre, FileTask t) {
        for (Document file : files(repre)) {
            if (Objects.equals(file.get("_id"), t.fileId())) {
                SiteRecord r = SiteRecord.find(file.get("sites"), t.site());
                if (r != null) {
                    return r;
                }
            }
        }
        throw new IllegalStateException("No record for site " + t.site() + " on file " + t.fileId()
                + " of representation " + t.representationId() + " in " + t.collection() + " after update");
    }

    private static List<Document> files(Document repre) {
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareIds(Object a, Object b) {
        if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        int byType = a.getClass().getName().compareTo(b.getClass().getName());
        return byType != 0 ? byType : String.valueOf(a).compareTo(String.valueOf(b));
    }
}
