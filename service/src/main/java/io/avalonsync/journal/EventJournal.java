package io.avalonsync.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable event journal in {@code sync.state-db} (README "Live events"). Tracker events are stored here, keyed by
 * source and event id, before the tracker cursor moves; a second copy of an event is a no-op. Entries
 * are applied in journal order per project, and each ends {@code done}, or {@code failed} with its error
 * and attempt count until it is retried, or {@code parked} after too many attempts so it no longer blocks
 * its project (visible on /health and in the log until someone looks at it).
 * <p>
 * Killing the process at any moment loses nothing (an event is journaled before the cursor moves and
 * marked done after its write) and duplicates nothing (re-reads are keyed, and applying an event is
 * idempotent: it re-reads the entity and writes only differences).
 */
public final class EventJournal {

    public static final String PENDING = "pending";
    public static final String FAILED = "failed";
    public static final String DONE = "done";
    public static final String PARKED = "parked";

    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> cursors;
    private final int maxAttempts;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private volatile boolean indexed;

    public EventJournal(MongoClient client, String stateDb, int maxAttempts, Duration firstRetry, Duration maxRetry) {
        this.entries = client.getDatabase(stateDb).getCollection("event_journal");
        this.cursors = client.getDatabase(stateDb).getCollection("cursors");
        this.maxAttempts = maxAttempts;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /**
     * Indexes the processor's query needs, and the one for applied entries by time: the retention's delete and the
     * status page's (and every /metrics scrape's) newest applied entry, which would otherwise read a week of applied
     * entries each time. Safe to call at every start.
     */
    public void ensureIndexes() {
        entries.createIndex(Indexes.ascending("source", "status", "seq"), new IndexOptions().name("due"));
        entries.createIndex(Indexes.ascending("status", "doneAt"), new IndexOptions().name("applied"));
    }

    /**
     * Appends events in the order given (oldest first). Returns how many were new.
     *
     * @param events each with {@code id}, {@code name}, {@code project_id}, {@code created_at}, {@code data}
     */
    public int append(String source, List<Map<String, Object>> events) {
        if (events.isEmpty()) {
            return 0;
        }
        List<Document> batch = new ArrayList<>();
        for (Map<String, Object> event : events) {
            batch.add(new Document("_id", source + ":" + event.get("id"))
                    .append("source", source)
                    .append("eventId", String.valueOf(event.get("id")))
                    .append("name", event.get("name"))
                    .append("project", event.get("project_id"))
                    .append("createdAt", event.get("created_at"))
                    .append("data", event.get("data") instanceof Map<?, ?> m ? new Document(castMap(m)) : event.get("data"))
                    // the journal's order, taken here in the order given: the insert's own order does not matter
                    .append("seq", new ObjectId())
                    .append("status", PENDING)
                    .append("attempts", 0)
                    .append("journaledAt", new Date()));
        }
        // one round trip for the page, not one per event; unordered, so an event journaled before (its _id taken)
        // is skipped and the others still go in
        try {
            entries.insertMany(batch, new InsertManyOptions().ordered(false));
            return batch.size();
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            return batch.size() - e.getWriteErrors().size();
        }
    }

    /**
     * Entries ready to apply, in journal order: pending ones, and failed ones whose retry time has come.
     * An entry waits while an earlier entry of its project is still pending or failed, so a project's
     * events are applied in order; parked entries no longer block.
     */
    public List<Document> due(String source, int limit) {
        if (!indexed) {
            ensureIndexes();
            indexed = true;
        }
        List<Document> open = entries.find(Filters.and(Filters.eq("source", source),
                        Filters.in("status", PENDING, FAILED)))
                .sort(Sorts.ascending("seq")).limit(limit * 4).into(new ArrayList<>());
        Date now = new Date();
        Set<String> blocked = new HashSet<>();
        List<Document> due = new ArrayList<>();
        for (Document entry : open) {
            String project = String.valueOf(entry.get("project"));
            if (blocked.contains(project)) {
                continue;
            }
            Date retryAt = entry.getDate("retryAt");
            boolean ready = PENDING.equals(entry.getString("status")) || retryAt == null || !retryAt.after(now);
            if (!ready) {
                // a failed entry waiting for its retry holds back the later entries of its project
                blocked.add(project);
                continue;
            }
            due.add(entry);
            if (due.size() >= limit) {
                break;
            }
        }
        return due;
    }

    /** Marks entries applied, in one write; {@code applied} counts the times (more than 1 = applied twice). */
    public void done(List<Document> applied) {
        if (applied.isEmpty()) {
            return;
        }
        List<Object> ids = new ArrayList<>(applied.size());
        applied.forEach(entry -> ids.add(entry.get("_id")));
        entries.updateMany(Filters.in("_id", ids), Updates.combine(Updates.set("status", DONE),
                Updates.set("doneAt", new Date()), Updates.unset("retryAt"), Updates.inc("applied", 1)));
    }

    /**
     * Records a failed attempt: retried with exponential backoff, parked after the last attempt.
     *
     * @param batchSize how many entries failed together (each is retried alone)
     */
    public String failed(Document entry, String error, int batchSize) {
        int attempts = entry.getInteger("attempts", 0) + 1;
        boolean park = attempts >= maxAttempts;
        long delay = Math.min(maxRetry.toMillis(), firstRetry.toMillis() * (1L << Math.min(20, attempts - 1)));
        Bson update = Updates.combine(Updates.set("status", park ? PARKED : FAILED), Updates.set("attempts", attempts),
                Updates.set("error", error == null ? "unknown failure" : error),
                Updates.set("lastFailedAt", new Date()),
                Updates.set("retryAt", Date.from(Instant.now().plusMillis(delay))));
        entries.updateOne(Filters.eq("_id", entry.get("_id")), update);
        String with = batchSize > 1 ? " (applied with " + (batchSize - 1) + " other events; retried alone)" : "";
        if (park) {
            LOG.error("parked: {} event {} {} ({}) after {} attempts: {}; its project's later events go on",
                    entry.getString("source"), entry.getString("eventId"), entry.getString("name"), project(entry),
                    attempts, error);
            return PARKED;
        }
        LOG.warn("{} event {} {} failed (attempt {} of {}){}, retried in {} ms: {}", entry.getString("source"),
                entry.getString("eventId"), entry.getString("name"), attempts, maxAttempts, with, delay, error);
        return FAILED;
    }

    /**
     * Parks an entry at once: an event that can never be applied (no entity id, data that is not an object, a
     * type this service does not know, no project) is not retried, and its project's later events go on.
     */
    public void park(Document entry, String reason) {
        int attempts = entry.getInteger("attempts", 0) + 1;
        entries.updateOne(Filters.eq("_id", entry.get("_id")), Updates.combine(Updates.set("status", PARKED),
                Updates.set("attempts", attempts), Updates.set("error", reason), Updates.set("lastFailedAt", new Date()),
                Updates.unset("retryAt")));
        LOG.error("parked: {} event {} {} ({}) cannot be applied, not retried: {}; its project's later events go on",
                entry.getString("source"), entry.getString("eventId"), entry.getString("name"), project(entry), reason);
    }

    /** How a log line names an entry's project: its id, or that it names none (never "project null"). */
    private static String project(Document entry) {
        Object project = entry.get("project");
        return project == null ? "names no project" : "project " + project;
    }

    /**
     * Deletes entries applied more than {@code keepDays} days ago, so the journal does not grow for ever.
     * Pending, failed and parked entries are never deleted. Returns how many went.
     */
    public long prune(int keepDays) {
        if (keepDays < 1) {
            throw new IllegalArgumentException("sync.journal.keep-days must be at least 1, not " + keepDays);
        }
        Date before = Date.from(Instant.now().minus(Duration.ofDays(keepDays)));
        long deleted = entries.deleteMany(Filters.and(Filters.eq("status", DONE), Filters.lt("doneAt", before)))
                .getDeletedCount();
        if (deleted > 0) {
            LOG.info("event journal: {} entries applied before {} deleted (sync.journal.keep-days = {})", deleted,
                    before.toInstant(), keepDays);
        }
        return deleted;
    }

    /** Puts a parked or failed entry back in line (the status page's reset). */
    public boolean retry(String id) {
        return entries.updateOne(Filters.and(Filters.eq("_id", id), Filters.in("status", PARKED, FAILED)),
                Updates.combine(Updates.set("status", PENDING), Updates.set("attempts", 0), Updates.unset("retryAt")))
                .getModifiedCount() > 0;
    }

    /**
     * Entries not applied yet, per status ({@value #PENDING}, {@value #FAILED}, {@value #PARKED}; 0 when none), in one
     * query: the status page, /metrics and the journal health check read all three.
     */
    public Map<String, Long> openCounts(String source) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String status : List.of(PENDING, FAILED, PARKED)) {
            counts.put(status, 0L);
        }
        for (Document group : entries.aggregate(List.of(
                com.mongodb.client.model.Aggregates.match(Filters.and(Filters.eq("source", source),
                        Filters.in("status", PENDING, FAILED, PARKED))),
                com.mongodb.client.model.Aggregates.group("$status", com.mongodb.client.model.Accumulators.sum("n", 1))))) {
            counts.put(group.getString("_id"), ((Number) group.get("n")).longValue());
        }
        return counts;
    }

    public long count(String source, String status) {
        return entries.countDocuments(Filters.and(Filters.eq("source", source), Filters.eq("status", status)));
    }

    /** When the oldest entry not applied yet (pending or failed, not parked) was journaled, or null: the event lag. */
    public Date oldestOpen(String source) {
        Document entry = entries.find(Filters.and(Filters.eq("source", source), Filters.in("status", PENDING, FAILED)))
                .sort(Sorts.ascending("seq")).limit(1).first();
        return entry == null ? null : entry.getDate("journaledAt");
    }

    /** When the newest applied entry was applied, or null. */
    public Date lastApplied(String source) {
        Document entry = entries.find(Filters.and(Filters.eq("source", source), Filters.eq("status", DONE)))
                .sort(Sorts.descending("doneAt")).limit(1).first();
        return entry == null ? null : entry.getDate("doneAt");
    }

    public List<Document> parked(String source, int limit) {
        return entries.find(Filters.and(Filters.eq("source", source), Filters.eq("status", PARKED)))
                .sort(Sorts.descending("seq")).limit(limit).into(new ArrayList<>());
    }

    /** The stored cursor of a source (e.g. the time of the last journaled Kitsu event), or null. */
    public Document cursor(String name) {
        return cursors.find(Filters.eq("_id", name)).first();
    }

    public void moveCursor(String name, Document value) {
        Document doc = new Document(value).append("_id", name).append("movedAt", new Date());
        cursors.replaceOne(Filters.eq("_id", name), doc, new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
