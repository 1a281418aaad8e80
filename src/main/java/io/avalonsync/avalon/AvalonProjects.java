package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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

    private final MongoClient client;
    private final String database;

    public AvalonProjects(MongoClient client, String database) {
        this.client = client;
        this.database = database;
    }

    /**
     * The project's collection and current documents. A collection named like the project whose project
     * document has no tracker id is adopted (the project was created in Avalon first); one that belongs to
     * another tracker project is an error.
     */
    public ExistingProject load(DesiredProject desired, TrackerIdentity identity) {
        MongoDatabase db = client.getDatabase(database);
        Document project = projectOf(db, desired, identity);
        String collection = project == null ? null : (String) project.remove(COLLECTION);
        if (collection == null) {
            collection = NameSanitizer.sanitize(desired.label());
            if (collection.isEmpty()) {
                throw new IllegalArgumentException(identity.source() + " project '" + desired.label() + "' ("
                        + desired.trackerId() + ") has no letters or digits to name an Avalon project after");
            }
            project = db.getCollection(collection).find(Filters.eq("type", "project")).first();
            if (project != null) {
                Object owner = TrackerIdentity.read(project, identity.projectIdPath());
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
        return new ExistingProject(collection, project, assets);
    }

    /**
     * The documents one event can touch, without reading the whole project: the entities it is about and
     * their parent chains, and the documents holding the names they may take. The planner needs no more
     * for one entity (its validation walks only the parent chain and checks only its own name).
     *
     */
    public ExistingProject loadAround(DesiredProject desired, TrackerIdentity identity, java.util.Collection<String> scope) {
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
        coll.find(Filters.and(Filters.in("type", "asset", "archived_asset"), Filters.in(identity.assetIdPath(), trackerIds)))
                .forEach(d -> found.put(d.get("_id"), d));
        // every name the planner may try: the plain name and the one prefixed with the parent's name
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (DesiredAsset asset : desired.assets()) {
            String base = NameSanitizer.sanitize(asset.label());
            names.add(base);
            for (Document doc : found.values()) {
                Object id = TrackerIdentity.read(doc, identity.assetIdPath());
                if (id != null && id.toString().equals(asset.parentTrackerId())) {
                    names.add(doc.getString("name") + "_" + base);
                }
                if (id != null && id.toString().equals(asset.trackerId())) {
                    names.add(doc.getString("name"));
                }
            }
        }
        // one query for every candidate name, case-insensitively (uniqueness in Avalon ignores case)
        List<org.bson.conversions.Bson> byName = new ArrayList<>();
        for (String name : names) {
            byName.add(Filters.regex("name", "^" + java.util.regex.Pattern.quote(name) + "$", "i"));
        }
        if (!byName.isEmpty()) {
            coll.find(Filters.and(Filters.in("type", "asset", "archived_asset"), Filters.or(byName)))
                    .forEach(d -> found.put(d.get("_id"), d));
        }
        // parent chains, so data.parents can be checked and recomputed
        List<Document> queue = new ArrayList<>(found.values());
        while (!queue.isEmpty()) {
            Document doc = queue.remove(0);
            Object parent = TrackerIdentity.read(doc, "data.visualParent");
            if (parent != null && !found.containsKey(parent)) {
                Document parentDoc = coll.find(Filters.eq("_id", parent)).first();
                if (parentDoc != null) {
                    found.put(parent, parentDoc);
                    queue.add(parentDoc);
                }
            }
        }
        return new ExistingProject(collection, project, new ArrayList<>(found.values()));
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

    /** Index on the tracker id so event handling finds documents without a scan; Avalon creates none itself. */
    public void ensureIndexes(String collection, TrackerIdentity identity) {
        MongoCollection<Document> coll = client.getDatabase(database).getCollection(collection);
        coll.createIndex(Indexes.ascending(identity.assetIdPath()), new IndexOptions().name(identity.source() + "_id"));
    }

    public MongoClient client() {
        return client;
    }

    public String database() {
        return database;
    }
}
