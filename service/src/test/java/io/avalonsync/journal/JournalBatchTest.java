package io.avalonsync.journal;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JournalBatchTest {

    private static Document entry(String id, String project, int attempts) {
        return new Document("_id", id).append("project", project).append("attempts", attempts);
    }

    private static List<List<Object>> ids(List<JournalBatch> batches) {
        return batches.stream().map(b -> b.getEntries().stream().map(e -> e.get("_id")).toList()).toList();
    }

    @Test
    void entriesOfOneProjectAreOneBatchInJournalOrder() {
        List<JournalBatch> batches = JournalBatch.group("kitsu", List.of(entry("a1", "A", 0), entry("b1", "B", 0),
                entry("a2", "A", 0), entry("b2", "B", 0), entry("a3", "A", 0)));
        assertEquals(List.of(List.of("a1", "a2", "a3"), List.of("b1", "b2")), ids(batches));
        assertEquals("A", batches.get(0).getProject());
        assertEquals(3, batches.get(0).size());
    }

    @Test
    void anEntryThatFailedBeforeIsAloneAndLaterEntriesComeAfterIt() {
        List<JournalBatch> batches = JournalBatch.group("kitsu", List.of(entry("a1", "A", 0), entry("a2", "A", 1),
                entry("a3", "A", 0), entry("a4", "A", 0), entry("b1", "B", 2), entry("b2", "B", 2)));
        assertEquals(List.of(List.of("a1"), List.of("a2"), List.of("a3", "a4"), List.of("b1"), List.of("b2")), ids(batches));
    }

    @Test
    void eventsWithoutAProjectShareTheNullBatch() {
        List<JournalBatch> batches = JournalBatch.group("kitsu", List.of(new Document("_id", "t1").append("attempts", 0),
                new Document("_id", "t2").append("project", null).append("attempts", 0)));
        assertEquals(List.of(List.of("t1", "t2")), ids(batches));
        assertEquals("null", batches.get(0).getProject());
    }
}
