package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.SyncHarness;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** sync.deletes=archive: deleted or canceled entities become archived_asset, never disappear. */
class KitsuArchiveTest {

    @Test
    void deletedAndCanceledEntitiesAreArchivedAndComeBack() throws Exception {
        try (SyncHarness h = SyncHarness.demo(Map.of("sync.deletes", "archive"))) {
            h.fullSync();
            KitsuData kitsu = h.kitsu.data();
            String projectId = (String) kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow().get("id");
            Map<String, Object> teacup = kitsu.entities(projectId, "Asset").stream()
                    .filter(a -> "Teacup".equals(a.get("name"))).findFirst().orElseThrow();
            Map<String, Object> briefcase = kitsu.entities(projectId, "Asset").stream()
                    .filter(a -> "Briefcase".equals(a.get("name"))).findFirst().orElseThrow();
            kitsu.remove((String) teacup.get("id"));
            kitsu.update((String) briefcase.get("id"), Map.of("canceled", true));

            SyncRun run = h.fullSync();
            assertEquals(0, run.exitCode(), run.summary());
            Document archived = h.byZouId("Agent_327", (String) teacup.get("id"));
            assertEquals("archived_asset", archived.getString("type"), "never a hard delete");
            assertEquals("archived_asset", h.byZouId("Agent_327", (String) briefcase.get("id")).getString("type"));

            kitsu.update((String) briefcase.get("id"), Map.of("canceled", false));
            h.fullSync();
            assertEquals("asset", h.byZouId("Agent_327", (String) briefcase.get("id")).getString("type"));
            assertEquals(0, h.fullSync().writes());
        }
    }
}
