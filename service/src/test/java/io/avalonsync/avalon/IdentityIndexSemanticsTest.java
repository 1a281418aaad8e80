package io.avalonsync.avalon;

import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Which unique index form the embedded store (mongo-java-server) enforces the way real MongoDB 4.4 to 7 does, for a
 * project collection that also holds documents without a tracker id (other tools' subsets, versions,
 * representations, and the project document of the other tracker). The service relies on the answer: a unique
 * index that the embedded store applies differently would make the tests prove nothing about production.
 * <p>
 * Real MongoDB (documented, not run here): a {@code sparse} unique index skips documents that lack every key field
 * and indexes explicit nulls; a unique index with {@code partialFilterExpression: {field: {$exists: true}}} skips
 * documents that lack the field and indexes explicit nulls too ({@code $exists} matches null); the two options cannot
 * be combined.
 */
class IdentityIndexSemanticsTest {

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoCollection<Document> coll;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
        coll = client.getDatabase("avalon").getCollection("Agent_327");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private static Document withZouId(String id) {
        return new Document("type", "asset").append("data", new Document("zou", new Document("id", id)));
    }

    private static Document foreign() {
        return new Document("type", "subset").append("data", new Document("families", List.of("render")));
    }

    private static boolean duplicateKey(MongoServerException e) {
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    @Test
    void aSparseUniqueIndexSkipsDocumentsWithoutTheIdAndRefusesASecondDocumentWithIt() {
        coll.createIndex(Indexes.ascending("data.zou.id"), new IndexOptions().name("kitsu_identity").unique(true).sparse(true));
        coll.insertOne(foreign());
        coll.insertOne(foreign());
        coll.insertOne(new Document("type", "project").append("data", new Document("shotgridKey", "Project:1")));
        coll.insertOne(withZouId("a"));
        MongoWriteException second = assertThrows(MongoWriteException.class, () -> coll.insertOne(withZouId("a")));
        assertEquals(ErrorCategory.DUPLICATE_KEY, second.getError().getCategory());
        // an update that would give another document the same id is refused too
        coll.insertOne(withZouId("b"));
        MongoWriteException moved = assertThrows(MongoWriteException.class,
                () -> coll.updateOne(Filters.eq("data.zou.id", "b"), new Document("$set", new Document("data.zou.id", "a"))));
        assertEquals(ErrorCategory.DUPLICATE_KEY, moved.getError().getCategory());
        // explicit nulls are indexed, as real MongoDB does for sparse indexes: only one document may hold one
        coll.insertOne(new Document("type", "asset").append("data", new Document("zou", new Document("id", null))));
        assertThrows(MongoWriteException.class,
                () -> coll.insertOne(new Document("type", "asset").append("data", new Document("zou", new Document("id", null)))));
        assertEquals(5, coll.countDocuments(Filters.or(Filters.exists("data.zou.id", false), Filters.in("data.zou.id", "a", "b"))));
    }

    @Test
    void aSparseCompoundUniqueIndexKeysOnTypeAndIdTogether() {
        coll.createIndex(Indexes.ascending("data.shotgridType", "data.shotgridId"),
                new IndexOptions().name("shotgrid_identity").unique(true).sparse(true));
        coll.insertOne(foreign());
        coll.insertOne(foreign());
        coll.insertOne(withZouId("a"));
        coll.insertOne(new Document("data", new Document("shotgridType", "Shot").append("shotgridId", 12)));
        // ShotGrid ids are per type: Asset 12 is another entity
        coll.insertOne(new Document("data", new Document("shotgridType", "Asset").append("shotgridId", 12)));
        MongoWriteException second = assertThrows(MongoWriteException.class,
                () -> coll.insertOne(new Document("data", new Document("shotgridType", "Shot").append("shotgridId", 12))));
        assertEquals(ErrorCategory.DUPLICATE_KEY, second.getError().getCategory());
        assertEquals(5, coll.countDocuments());
    }

    /**
     * mongo-java-server accepts {@code partialFilterExpression} but does not apply it: the index covers every
     * document, so the second document without a tracker id collides with the first, which real MongoDB allows.
     * This is why the service uses {@code sparse}, the one form both enforce alike.
     */
    @Test
    void thePartialFilterFormIsNotAppliedByTheEmbeddedStore() {
        coll.createIndex(Indexes.ascending("data.zou.id"), new IndexOptions().name("kitsu_identity").unique(true)
                .partialFilterExpression(Filters.exists("data.zou.id")));
        coll.insertOne(foreign());
        MongoWriteException second = assertThrows(MongoWriteException.class, () -> coll.insertOne(foreign()));
        assertEquals(ErrorCategory.DUPLICATE_KEY, second.getError().getCategory());
    }

    @Test
    void aUniqueIndexOverACollectionHoldingDuplicatesIsRefusedAndNothingIsDeleted() {
        coll.insertOne(withZouId("a"));
        coll.insertOne(withZouId("a"));
        coll.insertOne(foreign());
        MongoServerException refused = assertThrows(MongoServerException.class, () -> coll.createIndex(
                Indexes.ascending("data.zou.id"), new IndexOptions().name("kitsu_identity").unique(true).sparse(true)));
        assertEquals(true, duplicateKey(refused), refused.getMessage());
        assertEquals(3, coll.countDocuments());
        assertEquals(1, coll.listIndexes().into(new java.util.ArrayList<>()).size(), "only _id_ is left");
    }
}
