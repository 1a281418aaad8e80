package io.avalonsync.sitesync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * The queue of site sync, read from the site records ({@link SiteRecords}): the projects, the files due for a
 * transfer now (the pass's selection), and how the queue stands (counts per state, failed files) for the status
 * page, {@code /sitesync} and {@code /metrics}.
 */
public final class SiteQueue {

    private final SiteRecords records;

    public SiteQueue(SiteRecords records) {
        this.records = Objects.requireNonNull(records, "records");
    }

    public SiteRecords records() {
        return records;
    }

    /** The Avalon project collections (those holding a {@code {type: "project"}} document), by name. */
    public List<String> projects() {
        MongoDatabase db = records.client().getDatabase(records.database());
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
        String target = records.target(direction);
        String source = records.source(direction);
        Bson query = dueQuery(direction, now);
        Comparator<FileTask> order = Comparator.comparingInt(FileTask::priority).reversed()
                .thenComparing(FileTask::fileId, SiteQueue::compareIds)
                .thenComparing(FileTask::representationId);
        // keeps the best `limit` tasks while streaming, so memory stays bounded however long the queue is
        PriorityQueue<FileTask> best = new PriorityQueue<>(order.reversed());
        try (MongoCursor<Document> cursor = records.coll(collection).find(query).projection(SiteRecords.FILE_FIELDS)
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
                    if (to == null || from == null || !from.created() || !to.dueAt(now, records.retryCount())) {
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
        String target = records.target(direction);
        String source = records.source(direction);
        return Filters.and(Filters.eq("type", "representation"), Filters.or(
                Filters.and(Filters.elemMatch("files.sites", Filters.and(Filters.eq("name", target), records.workable("", now))),
                        Filters.elemMatch("files.sites", Filters.and(Filters.eq("name", source),
                                Filters.exists("created_dt")))),
                Filters.elemMatch("files", Filters.and(Filters.exists("sites." + target),
                        records.workable("sites." + target + ".", now), Filters.exists("sites." + source + ".created_dt")))));
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
     * Files not yet on a site whose last attempt failed (including 2020 records with {@code error: null}), most
     * recent failure first.
     */
    public List<SiteFailure> failures(String collection, int limit) {
        List<String> sites = List.of(records.remoteSite(), records.activeSite());
        List<Bson> any = new ArrayList<>();
        any.add(Filters.elemMatch("files.sites", Filters.and(Filters.in("name", sites), Filters.exists("created_dt", false),
                Filters.or(Filters.exists("error"), Filters.gt("tries", 0)))));
        for (String site : sites) {
            any.add(Filters.elemMatch("files", Filters.and(Filters.exists("sites." + site + ".created_dt", false),
                    Filters.or(Filters.exists("sites." + site + ".error"), Filters.gt("sites." + site + ".tries", 0)))));
        }
        List<SiteFailure> out = new ArrayList<>();
        for (Document repre : records.coll(collection).find(Filters.and(Filters.eq("type", "representation"), Filters.or(any)))
                .projection(SiteRecords.FILE_FIELDS)) {
            for (Document file : SiteRecords.files(repre)) {
                for (String site : sites) {
                    SiteRecord r = SiteRecord.find(file.get("sites"), site);
                    if (r == null || r.created() || (r.error() == null && r.tries() == 0 && !hasKey(file, site, "error"))) {
                        continue;
                    }
                    out.add(new SiteFailure(collection, repre.getObjectId("_id"), file.get("_id"), file.getString("path"),
                            site, r.tries(), r.error() == null ? "(no error text recorded)" : r.error(), r.errorKind(),
                            r.lastFailedDt(), r.nextAttemptDt(), r.exhausted(records.retryCount()), r.paused(), r.priority()));
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
        String[] sites = {records.remoteSite(), records.activeSite()};
        List<Bson> any = new ArrayList<>();
        any.add(Filters.in("files.sites.name", List.of(sites)));
        for (String site : sites) {
            any.add(Filters.exists("files.sites." + site));
        }
        for (Document repre : records.coll(collection).find(Filters.and(Filters.eq("type", "representation"), Filters.or(any)))
                .projection(Projections.include("files.sites"))) {
            for (Document file : SiteRecords.files(repre)) {
                for (int i = 0; i < 2; i++) {
                    SiteRecord r = SiteRecord.find(file.get("sites"), sites[i]);
                    if (r == null) {
                        continue;
                    }
                    SiteRecord other = SiteRecord.find(file.get("sites"), sites[1 - i]);
                    int bucket = r.created() ? 0 : r.claimedAt(now) ? 1 : r.paused() ? 2 : r.exhausted(records.retryCount()) ? 3
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareIds(Object a, Object b) {
        if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        int byType = a.getClass().getName().compareTo(b.getClass().getName());
        return byType != 0 ? byType : String.valueOf(a).compareTo(String.valueOf(b));
    }
}
