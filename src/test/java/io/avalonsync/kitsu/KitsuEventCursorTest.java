package io.avalonsync.kitsu;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the Kitsu event cursor starts and what it journals, against a real MongoDB-protocol store. */
class KitsuEventCursorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private EmbeddedMongo mongo;
    private MongoClient client;
    private EventJournal journal;
    private KitsuEventCursor cursor;
    private MongoCollection<Document> entries;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
        journal = new EventJournal(client, "state", 3, Duration.ofMillis(10), Duration.ofSeconds(1));
        cursor = new KitsuEventCursor(journal);
        entries = client.getDatabase("state").getCollection("event_journal");
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    private static Map<String, Object> event(String id, String second) {
        return Map.of("id", id, "name", "asset:update", "project_id", "p1", "created_at", "2026-11-24T08:00:" + second,
                "data", Map.of("asset_id", "a-" + id));
    }

    /** One catch-up against a log answering this page (newest first); returns how many were journaled. */
    private int catchUp(List<Map<String, Object>> newestFirst) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        cursor.request(exchange);
        exchange.getMessage().setBody(new ByteArrayInputStream(JSON.writeValueAsString(newestFirst).getBytes(StandardCharsets.UTF_8)));
        cursor.page(exchange);
        return cursor.journal(exchange);
    }

    @Test
    void eventsOfTheStartSecondThatCameAfterTheStartAreJournaled() throws Exception {
        assertEquals(0, catchUp(List.of(event("e2", "05"), event("e1", "05"))), "the start: the log's newest events are the full sync's");
        Document start = journal.cursor(KitsuEventCursor.CURSOR);
        assertNull(start.get("wholeSecond"));
        assertEquals(java.util.Set.of("e2", "e1"), java.util.Set.copyOf(start.getList("ids", String.class)));

        assertEquals(1, catchUp(List.of(event("e3", "05"), event("e2", "05"), event("e1", "05"))));
        assertEquals(1, entries.countDocuments());
        assertEquals("e3", entries.find().first().getString("eventId"));
        assertEquals(1, catchUp(List.of(event("e4", "06"), event("e3", "05"), event("e2", "05"))));
        assertEquals(2, entries.countDocuments());
    }

    @Test
    void aStartSecondFullOfABulkImportCountsAsSeenUntilTheLogMovesOn() throws Exception {
        List<Map<String, Object>> bulk = new ArrayList<>();
        for (int i = KitsuEventCursor.PAGE; i > 0; i--) {
            bulk.add(event("b" + i, "05"));
        }
        assertEquals(0, catchUp(bulk));
        assertTrue(journal.cursor(KitsuEventCursor.CURSOR).getBoolean("wholeSecond"));
        List<Map<String, Object>> later = new ArrayList<>(List.of(event("n1", "06")));
        later.addAll(bulk.subList(0, 10));
        assertEquals(1, catchUp(later), "only the event of the next second");
        assertEquals("n1", entries.find().first().getString("eventId"));
    }
}
