package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.Processor;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-level guard against a second document for one tracker entity, whatever several nodes do at once: a unique
 * index on the tracker identity in every project collection the service writes, made before its first write there.
 * The index is {@code sparse} (documents without the identity, which other tools write, are not in it): real MongoDB
 * 4.4 to 7 and the embedded store enforce that form alike, while the embedded store ignores a
 * {@code partialFilterExpression}.
 * <p>
 * A collection that already holds two documents for one entity cannot get the index: each pair is logged with both
 * {@code _id}s and listed on /health and the status page, nothing is deleted, the collection keeps a plain index for
 * lookups, and the rest keeps syncing. The index is tried again at the next full sync of that project.
 */
public final class IdentityGuard {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityGuard.class);

    /** Two or more documents of one collection carrying one tracker identity. */
    public record Duplicate(String collection, String source, String identity, List<Object> ids) {
        @Override
        public String toString() {
            return "collection '" + collection + "': " + ids.size() + " documents for " + source + " " + identity
                    + " (_id " + ids.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        }
    }

    private final MongoClient client;
    private final String database;
    /** collection/source -> guarded (unique index in place) */
    private final Map<String, Boolean> guarded = new ConcurrentHashMap<>();
    /** collection/source -> the duplicates that keep its index from being made */
    private final Map<String, List<Duplicate>> duplicates = new ConcurrentHashMap<>();
    private final AtomicLong converged = new AtomicLong();

    public IdentityGuard(MongoClient client, String database) {
        this.client = client;
        this.database = database;
    }

    /** Name of the unique index of a tracker ({@code kitsu_identity}, {@code shotgrid_identity}). */
    public static String indexName(TrackerIdentity identity) {
        return identity.source() + "_identity";
    }

    /**
     * Before writing into a collection: its unique identity index exists, or the duplicates keeping it from existing
     * are known. Checked once per collection while it stays guarded; {@code again} (a full sync, a new project
     * document) checks again, so an index dropped by hand or duplicates repaired by hand are noticed.
     *
     * @return true when the collection is guarded
     */
    public boolean ensure(String collection, TrackerIdentity identity, boolean again) {
        String key = collection + "/" + identity.source();
        if (!again && guarded.containsKey(key)) {
            return guarded.get(key);
        }
        MongoCollection<Document> coll = client.getDatabase(database).getCollection(collection);
        Document keys = new Document();
        identity.uniqueKeyPaths().forEach(path -> keys.append(path, 1));
        String name = indexName(identity);
        boolean ok;
        if (hasUniqueIndex(coll, name, keys)) {
            ok = true;
        } else {
            // an older plain index on the same keys (kitsu_id on data.zou.id) would conflict with the unique one
            for (Document index : coll.listIndexes()) {
                if (keys.equals(index.get("key", Document.class)) && !Boolean.TRUE.equals(index.get("unique"))) {
                    dropIndex(coll, index.getString("name"));
                }
            }
            ok = createUnique(coll, keys, name, identity);
        }
        if (ok) {
            duplicates.remove(key);
        }
        // lookups by tracker id (event handling) stay indexed whether or not the unique index could be made
        if (!ok || !keys.equals(new Document(identity.assetIdPath(), 1))) {
            coll.createIndex(Indexes.ascending(identity.assetIdPath()), new IndexOptions().name(identity.source() + "_id"));
        }
        guarded.put(key, ok);
        return ok;
    }

    private boolean createUnique(MongoCollection<Document> coll, Document keys, String name, TrackerIdentity identity) {
        try {
            coll.createIndex(keys, new IndexOptions().name(name).unique(true).sparse(true));
            LOG.info("Avalon collection '{}': unique index {} on {} guards the {} identity", coll.getNamespace().getCollectionName(),
                    name, keys.keySet(), identity.source());
            return true;
        } catch (MongoServerException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            report(coll, keys, identity);
            return false;
        }
    }

    /** Logs every group of documents sharing one identity, with their _ids; nothing is changed. */
    private void report(MongoCollection<Document> coll, Document keys, TrackerIdentity identity) {
        String collection = coll.getNamespace().getCollectionName();
        Document groupKey = new Document();
        List<Bson> present = new ArrayList<>();
        for (String path : keys.keySet()) {
            groupKey.append(path.replace('.', '_'), "$" + path);
            present.add(Filters.exists(path));
        }
        List<Duplicate> found = new ArrayList<>();
        coll.aggregate(List.of(
                Aggregates.match(Filters.or(present)),
                Aggregates.group(groupKey, Accumulators.push("ids", "$_id"), Accumulators.sum("count", 1)),
                Aggregates.match(Filters.gt("count", 1)))).forEach(group -> {
                    Document id = group.get("_id", Document.class);
                    String identityText = String.join(" ", id.values().stream().map(String::valueOf).toList());
                    found.add(new Duplicate(collection, identity.source(), identityText, new ArrayList<>(group.getList("ids", Object.class))));
                });
        found.forEach(d -> LOG.error("duplicate documents: {}; the unique index {} is not made in this collection until"
                + " they are merged by hand (README, 'Repairing duplicate documents'); nothing was deleted", d,
                indexName(identity)));
        if (found.isEmpty()) {
            LOG.error("Avalon collection '{}': the unique index {} was refused as holding duplicates, but none were found"
                    + " (written meanwhile?); it is tried again at the next full sync", collection, indexName(identity));
        }
        duplicates.put(collection + "/" + identity.source(), List.copyOf(found));
    }

    private static boolean hasUniqueIndex(MongoCollection<Document> coll, String name, Document keys) {
        for (Document index : coll.listIndexes()) {
            if (name.equals(index.getString("name")) && keys.equals(index.get("key", Document.class))
                    && Boolean.TRUE.equals(index.get("unique"))) {
                return true;
            }
        }
        return false;
    }

    private static void dropIndex(MongoCollection<Document> coll, String name) {
        try {
            coll.dropIndex(name);
            LOG.info("Avalon collection '{}': plain index {} dropped for the unique one on the same keys",
                    coll.getNamespace().getCollectionName(), name);
        } catch (MongoServerException e) {
            // another node dropped it first (IndexNotFound)
            LOG.debug("index {} not dropped: {}", name, e.getMessage());
        }
    }

    /** Every collection whose unique index is held back by duplicates, with the documents. */
    public List<Duplicate> duplicates() {
        List<Duplicate> all = new ArrayList<>();
        duplicates.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparing(Duplicate::collection).thenComparing(Duplicate::identity));
        return all;
    }

    /** Collections whose unique index is held back (their duplicates may have been written meanwhile). */
    public Collection<String> unguarded() {
        return guarded.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
    }

    /** How many writes met another node's document and were planned again. */
    public long converged() {
        return converged.get();
    }

    // ---------------------------------------------------------------- a write that met the index

    /** onWhen of the routes' error handling: the failure is a duplicate key (E11000), wherever it is wrapped. */
    public boolean duplicateKey(@ExchangeException Exception failure) {
        return duplicateKeyOf(failure) != null;
    }

    /**
     * onRedelivery of the routes' error handling (Camel calls it as a Processor, with the exchange): another node
     * wrote a document for one of the entities first. The write step is run again from the start: it reads the
     * project again and updates the document that won.
     */
    public Processor converging() {
        return this::converge;
    }

    private void converge(Exchange exchange) {
        converged.incrementAndGet();
        SyncPlan plan = exchange.getProperty("syncPlan", SyncPlan.class);
        String what = plan == null ? "an Avalon write" : plan.source() + " project '" + plan.projectLabel() + "' -> "
                + plan.collection();
        Integer attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        LOG.info("{}: another node wrote the same tracker entity first ({}); reading the project again to update the"
                + " document that won (attempt {})", what, duplicateKeyOf(failure(exchange)), attempt == null ? 1 : attempt);
    }

    /** The duplicate-key message among the causes (bulk or single write, or an index build), else null. */
    public static String duplicateKeyOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoBulkWriteException bulk) {
                for (BulkWriteError error : bulk.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                        return error.getMessage();
                    }
                }
            } else if (t instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return write.getError().getMessage();
            } else if (t instanceof MongoServerException server && isDuplicateKey(server)) {
                return server.getMessage();
            }
        }
        return null;
    }

    private static boolean isDuplicateKey(MongoServerException e) {
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
