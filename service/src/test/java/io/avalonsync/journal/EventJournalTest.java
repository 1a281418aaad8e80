package io.avalonsync.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The journal against a real MongoDB-protocol store. */
class EventJournalTest {

    private EmbeddedMongo mongo;
    private MongoClient client;
    private EventJournal journal;
    private MongoCollection<Document> entries;

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
        journal = new EventJournal(client, "state", 2, Duration.ofMillis(10), Duration.ofMinutes(1));
        entries = client.getDatabase("state").getCollection("event_journal");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private static Map<String, Object> event(String id) {
        return Map.of("id", id, "name", "shot:update", "project_id", "p1", "created_at", "2026-11-24T07:00:00",
                "data", Map.of("shot_id", "s-" + id));
    }

    private String status(String id) {
        return entries.find(Filters.eq("_id", "kitsu:" + id)).first().getString("status");
    }

    @Test
    void aSecondCopyOfAnEventIsANoOp() {
        assertEquals(2, journal.append("kitsu", List.of(event("1"), event("2"))));
        assertEquals(1, journal.append("kitsu", List.of(event("2"), event("3"))));
        assertEquals(3, entries.countDocuments());
    }

    @Test
    void pruneDeletesOnlyEntriesAppliedLongerAgoThanKept() {
        journal.append("kitsu", List.of(event("old"), event("recent"), event("parked"), event("pending")));
        List<Document> all = journal.due("kitsu", 10);
        journal.done(all.subList(0, 2));
        entries.updateOne(Filters.eq("_id", "kitsu:old"), Updates.set("doneAt", Date.from(Instant.now().minus(Duration.ofDays(8)))));
        journal.failed(all.get(2), "boom", 1);
        journal.failed(entries.find(Filters.eq("_id", "kitsu:parked")).first(), "boom", 1); // 2 of 2 attempts: parked
        entries.updateOne(Filters.eq("_id", "kitsu:parked"), Updates.set("lastFailedAt", Date.from(Instant.now().minus(Duration.ofDays(30)))));

        assertEquals(1, journal.prune(7));
        assertEquals(3, entries.countDocuments());
        assertEquals("done", status("recent"));
        assertEquals("parked", status("parked"));
        assertEquals("pending", status("pending"));
        assertThrows(IllegalArgumentException.class, () -> journal.prune(0));
    }
}
