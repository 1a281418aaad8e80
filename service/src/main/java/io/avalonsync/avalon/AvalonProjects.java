package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Avalon collection of a tracker project and reads what is in it. One collection per project,
 * named like the project document; the project is found by its tracker id first, so a project renamed in
 * the tracker keeps its Avalon name (renaming an Avalon project is a decision for the studio, not a sync).
 */
public final class AvalonProjects {

    private static final Logger LOG = LoggerFactory.getLogger(AvalonProjects.class);

    /** Collection of {@code sync.state-db}: which Avalon collection each tracker project was given. */
    public static final String CLAIMS = "avalon_projects";

    private final MongoClient client;
    private final String database;
    private final String stateDb;
    private final IdentityGuard guard;

    public AvalonProjects(MongoClient client, String database) {
        this(client, database, "avalon_sync");
    }

    public AvalonProjects(MongoClient client, String database, String stateDb) {
        this.client = client;
        this.database = database;
        this.stateDb = stateDb;
        this.guard = new IdentityGuard(client, database);
    }

    public IdentityGuard guard() {
        return guard;
    }

    /**
     * The project's collection and current documents. A collection named like the project whose project
     * document has no tracker id is adopted (the project was created in Avalon first); one that belongs to
     * another tracker project is an error.
     */
    public ExistingProject load(DesiredProject desired, TrackerIdentity identity) {
        return load(desired, identity, false);
    }

    /** @param dryRun read only: a new project's collection is looked up, never recorded */
    public ExistingProject load(DesiredProject desired, TrackerIdentity identity, boolean dryRun) {
        MongoDatabase db = client.getDatabase(database);
        Document project = projectOf(db, desired, identity);
        String collection = project == null ? null : (String) project.remove(COLLECTION);
        if (collection == null) {
            String name = NameSanitizer.sanitize(desired.label());
            if (name.isEmpty()) {
                throw new IllegalArgumentException(identity.source() + " project '" + desired.label() + "' ("
                        + desired.trackerId() + ") has no letters or digits to name an Avalon project after");
            }
            collection = dryRun ? claimed(desired, identity, name) : claim(desired, identity, name);
            project = db.getCollection(collection).find(Filters.eq("type", "project")).first();
            Object owner = project == null ? null : TrackerIdentity.read(project, identity.projectIdPath());
            if (owner != null && owner.toString().equals(desired.trackerId())) {
                LOG.debug("{} project '{}': written into '{}' by another node meanwhile", identity.source(),
                        desired.label(), collection);
            } else if (project != null) {
                if (owner != null) {
                    throw new IllegalStateException("Avalon project '" + collection + "' already belongs to "
                            + identity.source() + " project " + owner + "; " + identity.source() + " project '"
                            + desired.label() + "' (" + desired.trackerId() + ") cannot be synced into it");
                }
                LOG.info("{} project '{}' adopts the existing Avalon project '{}' (same name, no tracker id yet)",
                        identity.source(), desired.label(), collection);
            }
        } else if (!collection.equals(NameSanitizer.sanitize(desired.label()))) {
            LOG.info("{} project '{}' is synced into Avalon project '{}' (renamed in {}; the Avalon name is kept)",
                    identity.source(), desired.label(), collection, identity.source());
        }
        List<Document> assets = db.getCollection(collection)
                .find(Filters.in("type", "asset", "archived_asset"))
                .into(new ArrayList<>());
        remember(collection, identity, assets);
        rememberRootFolders(collection, assets);
        return new ExistingProject(collection, project, assets);
    }

    /**
     * The documents one event can touch, without reading the whole project: the entities it is about and
     * their parent chains, and the documents holding the names they may take. The planner needs no more
     * for one entity (its validation walks only the parent chain and checks only its own name).
     *
     */
    public ExistingProject loadAround(DesiredProject desired, TrackerIdentity identity, java.util.Collection<String> scope) {
        return loadAround(desired, identity, scope, AvalonLayout.AVALON_SYNC);
    }

    /**
     * @param layout the layout setting: unless {@link AvalonLayout#AVALON_SYNC}, the root folder documents of
     *               OpenPype's Kitsu module are read too (see {@link RootFolders}): they decide the layout and hold
     *               the top of each tree
     */
    public ExistingProject loadAround(DesiredProject desired, TrackerIdentity identity, java.util.Collection<String> scope,
            AvalonLayout layout) {
        List<String> trackerIds = new ArrayList<>(scope);
        for (DesiredAsset asset : desired.assets()) {
            trackerIds.add(asset.trackerId());
            if (asset.parentTrackerId() != null) {
                trackerIds.add(asset.parentTrackerId());
            }
        }
        MongoDatabase db = client.getDatabase(database);
        Document project = projectOf(db, desired, identity);
        String collection = project == null ? null : (String) project.remove(COLLECTION);
        if (collection == null) {
            return load(desired, identity);
        }
        MongoCollection<Document> coll = db.getCollection(collection);
        java.util.Map<Object, Document> found = new java.util.LinkedHashMap<>();
        for (Document doc : byTrackerIds(coll, collection, identity, trackerIds)) {
            found.put(doc.get("_id"), doc);
        }
        java.util.Map<String, Document> byTrackerId = new java.util.HashMap<>();
        for (Document doc : found.values()) {
            Object id = TrackerIdentity.read(doc, identity.assetIdPath());
            if (id != null) {
                byTrackerId.put(id.toString(), doc);
            }
        }
        // every name the planner may try: the plain name and the one prefixed with the parent's name. An
        // entity that already holds its name keeps it (its name was unique when written): nothing to look up.
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (DesiredAsset asset : desired.assets()) {
            String base = NameSanitizer.sanitize(asset.label());
            Document own = byTrackerId.get(asset.trackerId());
            if (own != null && base.equals(own.getString("name"))) {
                continue;
            }
            names.add(base);
            if (own != null) {
                names.add(own.getString("name"));
            }
            Document parent = asset.parentTrackerId() == null ? null : byTrackerId.get(asset.parentTrackerId());
            if (parent != null) {
                names.add(parent.getString("name") + "_" + base);
            }
        }
        // one query for every candidate name, case-insensitively (uniqueness in Avalon ignores case)
        if (layout != AvalonLayout.AVALON_SYNC) {
            rootFolderDocs(coll, collection, layout).forEach(d -> found.put(d.get("_id"), d));
        }
        if (!names.isEmpty()) {
            coll.find(assetsNamed(names))
                    .forEach(d -> found.put(d.get("_id"), d));
        }
        // parent chains, so data.parents can be checked and recomputed: one query per level
        List<Document> level = new ArrayList<>(found.values());
        while (!level.isEmpty()) {
            java.util.Set<Object> parents = new java.util.LinkedHashSet<>();
            for (Document doc : level) {
                Object parent = TrackerIdentity.read(doc, "data.visualParent");
                if (parent != null && !found.containsKey(parent)) {
                    parents.add(parent);
                }
            }
            level = parents.isEmpty() ? List.of() : coll.find(Filters.in("_id", parents)).into(new ArrayList<>());
            level.forEach(d -> found.put(d.get("_id"), d));
        }
        remember(collection, identity, found.values());
        return new ExistingProject(collection, project, new ArrayList<>(found.values()));
    }

    /**
     * Asset documents (archived ones too) named any of {@code names}, case-insensitively: uniqueness in Avalon ignores
     * case, which no index serves, so it is a scan. One pattern naming them all, so the store tests one regular
     * expression per document instead of one per name (bench/README.md "How the processor keeps up").
     */
    private static org.bson.conversions.Bson assetsNamed(java.util.Collection<String> names) {
        String anyName = names.stream().map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining("|", "^(?:", ")$"));
        return Filters.and(Filters.in("type", "asset", "archived_asset"), Filters.regex("name", anyName, "i"));
    }

    /**
     * The asset documents carrying these tracker ids. Documents seen before are read by {@code _id} (always
     * indexed) and checked to still carry their tracker id; only the others need the tracker-id query, which
     * is a collection scan wherever that index is missing.
     */
    private List<Document> byTrackerIds(MongoCollection<Document> coll, String collection, TrackerIdentity identity,
            java.util.Collection<String> trackerIds) {
        java.util.Map<String, Object> known = idsOf(collection, identity);
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>(trackerIds);
        List<Object> ids = new ArrayList<>();
        wanted.forEach(trackerId -> {
            Object id = known.get(trackerId);
            if (id != null) {
                ids.add(id);
            }
        });
        List<Document> docs = new ArrayList<>();
        java.util.Set<String> missing = new java.util.LinkedHashSet<>(wanted);
        if (!ids.isEmpty()) {
            for (Document doc : coll.find(Filters.in("_id", ids))) {
                Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
                boolean asset = "asset".equals(doc.get("type")) || "archived_asset".equals(doc.get("type"));
                if (asset && trackerId != null && missing.remove(trackerId.toString())) {
                    docs.add(doc);
                }
            }
        }
        if (!missing.isEmpty()) {
            missing.forEach(known::remove);
            coll.find(Filters.and(Filters.in(identity.assetIdPath(), missing), Filters.in("type", "asset", "archived_asset")))
                    .into(docs);
        }
        return docs;
    }

    /**
     * Collection -> {@code _id}s of the documents named like a root folder ({@link RootFolders#NAMES}), learnt from
     * the last full read or name query: an event then reads them by {@code _id} (indexed), not by name (a scan).
     */
    private final java.util.Map<String, List<Object>> rootFolderIds = new java.util.concurrent.ConcurrentHashMap<>();

    private List<Document> rootFolderDocs(MongoCollection<Document> coll, String collection, AvalonLayout layout) {
        List<Object> ids = rootFolderIds.get(collection);
        // none known: with AUTO none appear but by another tool (the next full sync sees them); with OPENPYPE the
        // service may have just made them, so the names are looked up again
        if (ids != null && (!ids.isEmpty() || layout == AvalonLayout.AUTO)) {
            return ids.isEmpty() ? List.of() : coll.find(Filters.in("_id", ids)).into(new ArrayList<>());
        }
        List<Document> docs = coll.find(assetsNamed(RootFolders.NAMES.values())).into(new ArrayList<>());
        rememberRootFolders(collection, docs);
        return docs;
    }

    private void rememberRootFolders(String collection, java.util.Collection<Document> docs) {
        List<Object> ids = new ArrayList<>();
        for (Document doc : docs) {
            if (doc.get("name") instanceof String name && RootFolders.NAMES.values().stream().anyMatch(name::equalsIgnoreCase)) {
                ids.add(doc.get("_id"));
            }
        }
        rootFolderIds.put(collection, ids);
    }

    /** Tracker id -> {@code _id} per collection, learnt from every read; bounded, a miss only costs a query. */
    private final java.util.Map<String, java.util.Map<String, Object>> idCache = new java.util.concurrent.ConcurrentHashMap<>();

    private java.util.Map<String, Object> idsOf(String collection, TrackerIdentity identity) {
        return idCache.computeIfAbsent(collection + "/" + identity.source(), key -> new java.util.concurrent.ConcurrentHashMap<>());
    }

    private void remember(String collection, TrackerIdentity identity, java.util.Collection<Document> docs) {
        java.util.Map<String, Object> known = idsOf(collection, identity);
        if (known.size() > 500_000) {
            known.clear();
        }
        for (Document doc : docs) {
            Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
            if (trackerId != null) {
                known.put(trackerId.toString(), doc.get("_id"));
            }
        }
    }

    /** The asset document carrying a tracker id, in whichever project collection, or null. */
    public Document findByTrackerId(TrackerIdentity identity, String trackerId) {
        MongoDatabase db = client.getDatabase(database);
        for (String name : db.listCollectionNames()) {
            if (name.startsWith("system.")) {
                continue;
            }
            Document doc = db.getCollection(name).find(Filters.eq(identity.assetIdPath(), trackerId)).first();
            if (doc != null) {
                return doc;
            }
        }
        return null;
    }

    private static final String COLLECTION = "_collection";

    /** The project document carrying the tracker's project id, tagged with its collection, or null. */
    private static Document projectOf(MongoDatabase db, DesiredProject desired, TrackerIdentity identity) {
        for (String name : db.listCollectionNames()) {
            if (name.startsWith("system.")) {
                continue;
            }
            Document project = db.getCollection(name)
                    .find(Filters.and(Filters.eq("type", "project"), Filters.eq(identity.projectIdPath(), desired.trackerId())))
                    .first();
            if (project != null) {
                return project.append(COLLECTION, name);
            }
        }
        return null;
    }

    /**
     * The collection a tracker project found in no collection is written into. Two nodes syncing a new project at
     * once (or one reading it before a rename, one after) would each pick a name and create a collection: the first
     * to record its pick in {@code sync.state-db} ({@value #CLAIMS}, one document per tracker project, its {@code _id}
     * unique on every MongoDB) decides, and the other takes that name.
     */
    private String claim(DesiredProject desired, TrackerIdentity identity, String name) {
        MongoCollection<Document> claims = client.getDatabase(stateDb).getCollection(CLAIMS);
        String id = database + "/" + identity.source() + ":" + desired.trackerId();
        Document existing = claims.find(Filters.eq("_id", id)).first();
        if (existing == null) {
            try {
                claims.insertOne(new Document("_id", id).append("database", database).append("collection", name)
                        .append("source", identity.source()).append("trackerId", desired.trackerId())
                        .append("label", desired.label()).append("claimedAt", new java.util.Date()));
                return name;
            } catch (com.mongodb.MongoWriteException e) {
                if (e.getError().getCategory() != com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                existing = claims.find(Filters.eq("_id", id)).first();
            }
        }
        String claimed = existing.getString("collection");
        if (!claimed.equals(name)) {
            LOG.info("{} project '{}' ({}) goes into Avalon project '{}', the name it was given first ({} {})",
                    identity.source(), desired.label(), desired.trackerId(), claimed, CLAIMS, id);
        }
        return claimed;
    }

    /** The collection {@link #claim} would give, without recording it. */
    private String claimed(DesiredProject desired, TrackerIdentity identity, String name) {
        Document existing = client.getDatabase(stateDb).getCollection(CLAIMS)
                .find(Filters.eq("_id", database + "/" + identity.source() + ":" + desired.trackerId())).first();
        return existing == null ? name : existing.getString("collection");
    }

    /**
     * The tracker project id behind an Avalon project name: the id in its project document, else the one whose
     * collection was recorded under that name; null when neither.
     */
    public String trackerProjectOf(String collection, TrackerIdentity identity) {
        MongoDatabase db = client.getDatabase(database);
        for (String name : db.listCollectionNames()) {
            if (name.equalsIgnoreCase(collection)) {
                Document project = db.getCollection(name).find(Filters.eq("type", "project")).first();
                Object id = project == null ? null : TrackerIdentity.read(project, identity.projectIdPath());
                if (id != null) {
                    return id.toString();
                }
            }
        }
        Document claim = client.getDatabase(stateDb).getCollection(CLAIMS).find(Filters.and(
                Filters.eq("database", database), Filters.eq("source", identity.source()),
                Filters.eq("collection", collection))).first();
        return claim == null ? null : claim.getString("trackerId");
    }

    /**
     * Before writing into a project collection: the unique index on the tracker identity (see {@link IdentityGuard}),
     * checked again when {@code again}. False when duplicates already there keep it from being made.
     */
    public boolean ensureIndexes(String collection, TrackerIdentity identity, boolean again) {
        return guard.ensure(collection, identity, again);
    }

    public void ensureIndexes(String collection, TrackerIdentity identity) {
        ensureIndexes(collection, identity, false);
    }

    public MongoClient client() {
        return client;
    }

    public String database() {
        return database;
    }
}
