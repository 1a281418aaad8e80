package io.avalonsync.kitsu;

import io.avalonsync.SyncHarness;
import io.avalonsync.sync.SyncRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            SyncRun run = h.fullSync();
            System.out.println(run.summary());
            for (String c : h.client.getDatabase("avalon").listCollectionNames()) {
                System.out.println("collection " + c + " " + h.collection(c).countDocuments());
                h.collection(c).find().limit(6).forEach(d -> System.out.println(d.toJson()));
            }
            SyncRun again = h.fullSync();
            System.out.println(again.summary());
            assertEquals(0, run.exitCode());
        }
    }
}
