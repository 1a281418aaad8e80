package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pass's feed: one selection serves several claim rounds, and a file is taken once per pass. */
class PassWorkTest {

    // never connected: the feed does not touch the store
    private final MongoClient client = MongoClients.create("mongodb://127.0.0.1:1");
    private final PassWork work = new PassWork(new SiteOutcomes(new SiteRecords(client, "avalon", "studio", "gdrive", 3)),
            new SiteSyncPass(Instant.now()), List.of());
    private final PassBatch batch = new PassBatch("Test", Direction.UPLOAD);
    private final ObjectId representation = new ObjectId();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void oneSelectionFeedsSeveralRoundsAndAFileIsTakenOnce() {
        List<FileTask> queue = tasks(0, 23);
        AtomicInteger selections = new AtomicInteger();
        // the store answers with every due file, including those the pass already took (still unclaimed here)
        Supplier<List<FileTask>> select = () -> {
            selections.incrementAndGet();
            return queue;
        };
        List<Integer> rounds = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (List<FileTask> round = work.nextRound(batch, 5, select); !round.isEmpty();
                round = work.nextRound(batch, 5, select)) {
            rounds.add(round.size());
            round.forEach(t -> seen.add(t.fileId()));
        }
        assertEquals(List.of(5, 5, 5, 5, 3), rounds);
        assertEquals(23, seen.size());
        assertEquals(23, seen.stream().distinct().count(), "no file twice in a pass");
        // one selection for the five rounds, one more that found nothing new and ended the batch
        assertEquals(2, selections.get());
        assertFalse(batch.isMore(), "the batch has no more");
    }

    @Test
    void aNewBatchDropsWhatWasReadAhead() {
        List<FileTask> first = work.nextRound(batch, 2, () -> tasks(0, 6));
        assertEquals(2, first.size());
        PassBatch next = new PassBatch("Test", Direction.DOWNLOAD);
        List<FileTask> other = work.nextRound(next, 2, () -> tasks(100, 3));
        assertEquals(2, other.size());
        assertTrue(other.stream().allMatch(t -> (Integer) t.fileId() >= 100), "nothing of the previous batch: " + other);
    }

    private List<FileTask> tasks(int from, int n) {
        List<FileTask> tasks = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            tasks.add(new FileTask("Test", representation, i, "{root[work]}/Test/f" + i, 1, null, "gdrive", "studio",
                    Direction.UPLOAD, 0, FileTask.DEFAULT_PRIORITY, false, null));
        }
        return tasks;
    }
}
