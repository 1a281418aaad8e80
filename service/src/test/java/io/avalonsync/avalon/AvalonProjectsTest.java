package io.avalonsync.avalon;

import java.util.List;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.avalonsync.kitsu.KitsuIdentity;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an event reads around its entities, against a real MongoDB-protocol store, also after other tools changed it. */
class AvalonProjectsTest {

    private static final TrackerIdentity ZOU = KitsuIdentity.INSTANCE;
    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoCollection<Document> coll;
    private AvalonProjects projects;
    private final ObjectId episode = new ObjectId();
    private final ObjectId shot = new ObjectId();
    private final ObjectId other = new ObjectId();

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
        coll = client.getDatabase("avalon").getCollection("Proj");
        coll.insertOne(new Document("_id", new ObjectId()).append("type", "project").append("name", "Proj")
                .append("data", new Document("zou_id", "p1").append("zou", new Document("id", "p1"))));
        coll.insertOne(asset(episode, "E01", "e1", null));
        coll.insertOne(asset(shot, "E01_SH010", "s1", episode));
        coll.insertOne(asset(other, "Chair", "a1", null));
        projects = new AvalonProjects(client, "avalon");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private static Document asset(ObjectId id, String name, String zouId, ObjectId parent) {
        return new Document("_id", id).append("type", "asset").append("name", name)
                .append("data", new Document("zou", new Document("id", zouId)).append("visualParent", parent));
    }

    private static DesiredProject desired(DesiredAsset... assets) {
        return new DesiredProject("p1", "Proj", new Document(), List.of(), List.of(assets));
    }

    private static DesiredAsset shot(String label) {
        return new DesiredAsset("s1", "Shot", "e1", label, false, "Shot", null, new Document(), List.of(), false);
    }

    private static Set<Object> ids(ExistingProject existing) {
        return Set.copyOf(existing.assets().stream().map(d -> d.get("_id")).toList());
    }

    @Test
    void readsTheEntityItsParentChainAndNothingElse() {
        ExistingProject existing = projects.loadAround(desired(shot("E01_SH010")), ZOU, Set.of("s1"));
        assertEquals("Proj", existing.collection());
        assertEquals(Set.of(shot, episode), ids(existing));
    }

    @Test
    void aRenamedEntityAlsoReadsTheDocumentsHoldingTheNamesItMayTake() {
        ExistingProject existing = projects.loadAround(desired(shot("chair")), ZOU, Set.of("s1"));
        assertEquals(Set.of(shot, episode, other), ids(existing), "Chair holds the new name, case-insensitively");
    }

    @Test
    void aDocumentAnotherToolDeletedOrReassignedIsNotReadFromMemory() {
        projects.load(desired(shot("E01_SH010")), ZOU); // remembers where s1 lives
        coll.updateOne(Filters.eq("_id", shot), Updates.set("data.zou.id", "s9"));
        ObjectId moved = new ObjectId();
        coll.insertOne(asset(moved, "E01_SH010_v2", "s1", episode));
        ExistingProject existing = projects.loadAround(desired(shot("E01_SH010_v2")), ZOU, Set.of("s1"));
        assertTrue(ids(existing).contains(moved), "the document carrying s1 now");
        assertTrue(!ids(existing).contains(shot), "no longer carries s1 and holds no wanted name");

        coll.deleteOne(Filters.eq("_id", moved));
        existing = projects.loadAround(desired(shot("E01_SH010_v2")), ZOU, Set.of("s1"));
        assertTrue(!ids(existing).contains(moved), "deleted by another tool");
    }

    /**
     * Two nodes read a new tracker project before either wrote it, one before a rename in the tracker and one after:
     * both write into the collection recorded first in sync.state-db, never into two collections.
     */
    @Test
    void twoNodesGiveANewProjectOneCollectionEvenAcrossARename() {
        AvalonProjects otherNode = new AvalonProjects(client, "avalon", "avalon_sync");
        ExistingProject first = projects.load(new DesiredProject("p2", "Hero Film", new Document(), List.of(), List.of()), ZOU);
        ExistingProject second = otherNode.load(new DesiredProject("p2", "Hero Film (final)", new Document(), List.of(),
                List.of()), ZOU);
        assertEquals("Hero_Film", first.collection());
        assertEquals("Hero_Film", second.collection());
        Document claim = client.getDatabase("avalon_sync").getCollection(AvalonProjects.CLAIMS)
                .find(Filters.eq("_id", "avalon/kitsu:p2")).first();
        assertEquals("Hero_Film", claim.getString("collection"));
        // an existing project is found by its tracker id as before, without a claim
        assertEquals("Proj", otherNode.load(desired(), ZOU).collection());
    }
}
