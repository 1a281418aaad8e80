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
        KitsuCatchUp catchUp = cursor.request();
        cursor.page(new ByteArrayInputStream(JSON.writeValueAsString(newestFirst).getBytes(StandardCharsets.UTF_8)), catchUp);
        return cursor.journal(catchUp);
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
    void anEmptyLogAtTheStartMakesEveryLaterEventNew() throws Exception {
        assertEquals(0, catchUp(List.of()), "the start: an empty log");
        assertTrue(journal.cursor(KitsuEventCursor.CURSOR) != null, "the cursor is placed on an empty log too");
        assertEquals(1, catchUp(List.of(event("e1", "05"))), "the first event after the start is new");
        assertEquals("e1", entries.find().first().getString("eventId"));
    }

    /** One catch-up against a log holding these events (newest first), paged as Zou pages it. */
    private int catchUpPaged(List<Map<String, Object>> log) throws Exception {
        KitsuCatchUp catchUp = cursor.request();
        int from = 0;
        do {
            String query = catchUp.getQuery();
            String after = query.contains("after=") ? "2026-11-24T08:00:" + query.replaceAll(".*after=[^&]*:(\\d\\d).*", "$1") : null;
            List<Map<String, Object>> matching = log.stream()
                    .filter(e -> after == null || ((String) e.get("created_at")).compareTo(after) > 0).toList();
            if (query.contains("cursor_event_id=")) {
                String id = query.replaceAll(".*cursor_event_id=([^&]*).*", "$1");
                from = matching.indexOf(matching.stream().filter(e -> id.equals(e.get("id"))).findFirst().orElseThrow()) + 1;
            } else {
                from = 0;
            }
            List<Map<String, Object>> page = matching.subList(from, Math.min(matching.size(), from + KitsuEventCursor.PAGE));
            cursor.page(new ByteArrayInputStream(JSON.writeValueAsString(page).getBytes(StandardCharsets.UTF_8)), catchUp);
        } while (catchUp.isMore());
        return cursor.journal(catchUp);
    }

    @Test
    void aStartSecondFullerThanAPageIsReadToTheEndSoLaterEventsOfThatSecondAreNew() throws Exception {
        List<Map<String, Object>> log = new ArrayList<>();
        for (int i = KitsuEventCursor.PAGE + 500; i > 0; i--) {
            log.add(event("b" + i, "05"));
        }
        log.add(event("old", "04"));
        assertEquals(0, catchUpPaged(log));
        Document start = journal.cursor(KitsuEventCursor.CURSOR);
        assertNull(start.get("wholeSecond"));
        assertEquals(KitsuEventCursor.PAGE + 500, start.getList("ids", String.class).size(), "every id of the newest second");
        List<Map<String, Object>> later = new ArrayList<>(List.of(event("n1", "05")));
        later.addAll(log);
        assertEquals(1, catchUpPaged(later), "an event logged later in the same second");
        assertEquals("n1", entries.find().first().getString("eventId"));
    }
}
