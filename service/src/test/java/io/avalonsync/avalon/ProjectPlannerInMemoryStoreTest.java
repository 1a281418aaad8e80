package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-memory project collection the planner tests apply their plans to ({@link Store}), and tests of the
 * store itself: the planner tests are only as good as this stand-in for MongoDB.
 */
public class ProjectPlannerInMemoryStoreTest {

    /**
     * One Avalon project collection in memory. Executes {@link InsertOneModel} and {@link UpdateOneModel} with
     * a {@code {_id: ...}} filter and {@code $set} / {@code $unset} on dotted paths, as MongoDB would, and fails
     * loudly on everything the planner must never produce: other operators, replacements, updates that match
     * nothing, duplicate {@code _id}s and conflicting paths in one update (MongoDB rejects those).
     */
    public static final class Store implements AssetLookup {

        private final Map<ObjectId, Document> docs = new LinkedHashMap<>();

        public Store() {
        }

        /** A store that already holds these documents (copied). */
        public static Store of(Document... documents) {
            Store store = new Store();
            for (Document doc : documents) {
                store.insert(doc);
            }
            return store;
        }

        public Store apply(SyncPlan plan) {
            return apply(plan.writes());
        }

        public Store apply(List<WriteModel<Document>> writes) {
            for (WriteModel<Document> write : writes) {
                if (write instanceof InsertOneModel<Document> insert) {
                    insert(insert.getDocument());
                } else if (write instanceof UpdateOneModel<Document> update) {
                    update(update);
                } else {
                    throw new AssertionError("unexpected write model " + write);
                }
            }
            return this;
        }

        public void insert(Document doc) {
            Object id = doc.get("_id");
            if (!(id instanceof ObjectId objectId)) {
                throw new AssertionError("insert without an ObjectId _id: " + doc.toJson());
            }
            if (docs.containsKey(objectId)) {
                throw new AssertionError("duplicate key _id " + objectId);
            }
            docs.put(objectId, DocumentChanges.deepCopy(doc));
        }

        private void update(UpdateOneModel<Document> model) {
            if (model.getUpdate() == null) {
                throw new AssertionError("pipeline updates are not supported: " + model);
            }
            if (!(model.getUpdate() instanceof Document update)) {
                throw new AssertionError("update is not a Document: " + model.getUpdate());
            }
            ObjectId id = idOf(model.getFilter());
            Document target = docs.get(id);
            if (target == null) {
                throw new AssertionError("update matched no document: _id " + id);
            }
            List<String> paths = new ArrayList<>();
            for (String operator : update.keySet()) {
                if (!operator.equals("$set") && !operator.equals("$unset")) {
                    throw new AssertionError("only $set and $unset are expected, found " + operator + " in " + update);
                }
                paths.addAll(update.get(operator, Document.class).keySet());
            }
            checkNoConflicts(paths, update);
            Document sets = update.get("$set", Document.class);
            if (sets != null) {
                sets.forEach((path, value) -> set(target, path, copy(value)));
            }
            Document unsets = update.get("$unset", Document.class);
            if (unsets != null) {
                unsets.keySet().forEach(path -> unset(target, path));
            }
        }

        /** MongoDB: "Updating the path 'a.b' would create a conflict at 'a'". */
        private static void checkNoConflicts(List<String> paths, Document update) {
            for (int i = 0; i < paths.size(); i++) {
                for (int j = 0; j < paths.size(); j++) {
                    String a = paths.get(i);
                    String b = paths.get(j);
                    if (i != j && (a.equals(b) || b.startsWith(a + "."))) {
                        throw new AssertionError("Updating the path '" + b + "' would create a conflict at '" + a
                                + "': " + update.toJson());
                    }
                }
            }
        }

        private static ObjectId idOf(Bson filter) {
            BsonDocument bson = filter.toBsonDocument(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry());
            BsonValue id = bson.get("_id");
            if (bson.size() != 1 || !(id instanceof BsonObjectId objectId)) {
                throw new AssertionError("expected a filter {_id: ObjectId}, found " + bson.toJson());
            }
            return objectId.getValue();
        }

        private static void set(Document doc, String path, Object value) {
            String[] parts = path.split("\\.");
            Document current = doc;
            for (int i = 0; i < parts.length - 1; i++) {
                Object next = current.get(parts[i]);
                if (next == null && !current.containsKey(parts[i])) {
                    next = new Document();
                    current.put(parts[i], next);
                }
                if (!(next instanceof Document nested)) {
                    // MongoDB: "Cannot create field 'x' in element {y: ...}"
                    throw new AssertionError("cannot $set " + path + ": " + parts[i] + " is " + next);
                }
                current = nested;
            }
            current.put(parts[parts.length - 1], value);
        }

        private static void unset(Document doc, String path) {
            String[] parts = path.split("\\.");
            Object current = doc;
            for (int i = 0; i < parts.length - 1; i++) {
                if (!(current instanceof Document d)) {
                    return;
                }
                current = d.get(parts[i]);
            }
            if (current instanceof Document d) {
                d.remove(parts[parts.length - 1]);
            }
        }

        private static Object copy(Object value) {
            return value instanceof Document d ? DocumentChanges.deepCopy(d)
                    : DocumentChanges.deepCopy(new Document("v", value)).get("v");
        }

        /** Every document, in insertion order (the live objects: read, do not modify). */
        public List<Document> all() {
            return new ArrayList<>(docs.values());
        }

        public Document get(ObjectId id) {
            return docs.get(id);
        }

        /** The one {@code type: project} document, or null. */
        public Document project() {
            Document found = null;
            for (Document doc : docs.values()) {
                if ("project".equals(doc.get("type"))) {
                    if (found != null) {
                        throw new AssertionError("two project documents in one collection");
                    }
                    found = doc;
                }
            }
            return found;
        }

        /** Asset documents, archived ones included (what AvalonProjects loads). */
        public List<Document> assets() {
            List<Document> assets = new ArrayList<>();
            for (Document doc : docs.values()) {
                if ("asset".equals(doc.get("type")) || "archived_asset".equals(doc.get("type"))) {
                    assets.add(doc);
                }
            }
            return assets;
        }

        /** The asset whose {@code data.zou.id} (or any dotted path) has this value. */
        public Document byPath(String path, Object value) {
            for (Document doc : docs.values()) {
                if (value.equals(TrackerIdentity.read(doc, path))) {
                    return doc;
                }
            }
            return null;
        }

        /** The asset with this name, or null. */
        public Document named(String name) {
            for (Document doc : assets()) {
                if (name.equals(doc.get("name"))) {
                    return doc;
                }
            }
            return null;
        }

        /** What the planner gets to see on the next sync: deep copies, so it cannot touch the store. */
        public ExistingProject existing(String collection) {
            Document project = project();
            List<Document> assets = new ArrayList<>();
            assets().forEach(doc -> assets.add(DocumentChanges.deepCopy(doc)));
            return new ExistingProject(collection, project == null ? null : DocumentChanges.deepCopy(project), assets);
        }

        @Override
        public Document byId(ObjectId id) {
            Document doc = docs.get(id);
            return doc == null || "project".equals(doc.get("type")) ? null : doc;
        }

        @Override
        public List<ObjectId> idsWithName(String name) {
            List<ObjectId> ids = new ArrayList<>();
            for (Document doc : assets()) {
                if (name.equalsIgnoreCase(doc.getString("name"))) {
                    ids.add(doc.getObjectId("_id"));
                }
            }
            return ids;
        }
    }

    // ---------------------------------------------------------------- tests of the store

    private static final ObjectId ID = new ObjectId("650000000000000000000001");

    private static UpdateOneModel<Document> update(ObjectId id, Document update) {
        return new UpdateOneModel<>(Filters.eq("_id", id), update);
    }

    @Test
    void insertStoresACopyThatLaterChangesOfTheInputDoNotReach() {
        Document doc = new Document("_id", ID).append("type", "asset").append("data", new Document("a", 1));
        Store store = Store.of(doc);

        doc.get("data", Document.class).put("a", 2);

        assertEquals(1, store.get(ID).get("data", Document.class).get("a"));
    }

    @Test
    void setOnDottedPathCreatesMissingLevelsAndKeepsSiblings() {
        Store store = Store.of(new Document("_id", ID).append("data", new Document("keep", "me")));

        store.apply(List.of(update(ID, new Document("$set", new Document("data.zou.id", "z1").append("name", "N")))));

        Document data = store.get(ID).get("data", Document.class);
        assertEquals("me", data.get("keep"));
        assertEquals(new Document("id", "z1"), data.get("zou"));
        assertEquals("N", store.get(ID).get("name"));
    }

    @Test
    void unsetRemovesOnlyTheDottedPathAndIgnoresMissingOnes() {
        Store store = Store.of(new Document("_id", ID).append("data",
                new Document("tasks", new Document("A", new Document("type", "A")).append("B", new Document()))));

        store.apply(List.of(update(ID, new Document("$unset", new Document("data.tasks.A", "").append("data.nope.x", "")))));

        assertEquals(new Document("B", new Document()), TrackerIdentity.read(store.get(ID), "data.tasks"));
    }

    @Test
    void conflictingPathsInOneUpdateAreRefusedLikeMongoDb() {
        Store store = Store.of(new Document("_id", ID).append("config", new Document()));

        Document conflicting = new Document("$set",
                new Document("config.tasks", new Document()).append("config.tasks.Anim", new Document("short_name", "a")));

        AssertionError error = assertThrows(AssertionError.class, () -> store.apply(List.of(update(ID, conflicting))));
        assertTrue(error.getMessage().contains("conflict"), error.getMessage());
    }

    @Test
    void replacementsOtherOperatorsAndUnmatchedUpdatesAreRefused() {
        Store store = Store.of(new Document("_id", ID));

        assertThrows(AssertionError.class,
                () -> store.apply(List.of(update(ID, new Document("$inc", new Document("n", 1))))));
        assertThrows(AssertionError.class,
                () -> store.apply(List.of(update(new ObjectId(), new Document("$set", new Document("n", 1))))));
        assertThrows(AssertionError.class,
                () -> store.apply(List.of(new UpdateOneModel<>(Filters.eq("_id", ID), Updates.set("n", 1)))));
        assertThrows(AssertionError.class, () -> store.insert(new Document("_id", ID)));
        assertFalse(store.get(ID).containsKey("n"));
    }

    @Test
    void existingProjectSplitsProjectAndAssetsAsCopies() {
        ObjectId assetId = new ObjectId();
        Store store = Store.of(new Document("_id", ID).append("type", "project"),
                new Document("_id", assetId).append("type", "asset").append("name", "Tree"),
                new Document("_id", new ObjectId()).append("type", "archived_asset").append("name", "Old"));

        ExistingProject existing = store.existing("My_Show");

        assertEquals(ID, existing.project().get("_id"));
        assertEquals(2, existing.assets().size());
        existing.assets().get(0).put("name", "Changed");
        assertEquals("Tree", store.get(assetId).get("name"));
        assertEquals(List.of(assetId), store.idsWithName("TREE"));
        assertNull(store.byId(ID));
    }
}
