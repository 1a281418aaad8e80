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
        String collection = null;
        Document project = null;
        for (String name : db.listCollectionNames()) {
            if (name.startsWith("system.")) {
                continue;
            }
            Document candidate = db.getCollection(name)
                    .find(Filters.and(Filters.eq("type", "project"), Filters.eq(identity.projectIdPath(), desired.trackerId())))
                    .first();
            if (candidate != null) {
                collection = name;
                project = candidate;
                break;
            }
        }
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
