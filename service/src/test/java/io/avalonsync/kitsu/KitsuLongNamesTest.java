package io.avalonsync.kitsu;

import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.SyncHarness;
import io.avalonsync.avalon.NameSanitizer;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Avalon names become folder names (a 255-byte file-name limit, Windows path limits on workstations), so a tracker
 * name of any length gives an Avalon name of at most {@link NameSanitizer#MAX_LENGTH} characters; names that share
 * their first characters stay apart by a short stable suffix; the raw name stays in {@code data.label}.
 */
class KitsuLongNamesTest {

    @Test
    void aTenThousandCharacterNameIsBoundedStablyAndStaysApartFromItsNeighbour() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            KitsuData kitsu = h.kitsu.data();
            Map<String, Object> project = kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow();
            String projectId = (String) project.get("id");
            String assetTypeId = (String) kitsu.entities(projectId, "Asset").get(0).get("entity_type_id");
            String shared = "Très long nom d'asset " + "x".repeat(10_000);
            Map<String, Object> first = kitsu.addAsset(projectId, assetTypeId, shared + " one");
            Map<String, Object> second = kitsu.addAsset(projectId, assetTypeId, shared + " two");

            SyncRun run = h.fullSync();
            assertEquals(0, run.exitCode(), run.summary());
            Document a = h.collection("Agent_327").find(Filters.eq("data.zou.id", first.get("id"))).first();
            Document b = h.collection("Agent_327").find(Filters.eq("data.zou.id", second.get("id"))).first();
            for (Document doc : new Document[] {a, b}) {
                String name = doc.getString("name");
                assertTrue(name.length() <= NameSanitizer.MAX_LENGTH, name.length() + " characters: " + name);
                assertTrue(NameSanitizer.isValid(name), name);
                assertTrue(name.startsWith("Tres_long_nom_d_asset_xxx"), name);
            }
            assertNotEquals(a.getString("name"), b.getString("name"), "names that share their start stay apart");
            assertEquals(shared + " one", a.get("data", Document.class).getString("label"), "the raw name is the label");

            SyncRun again = h.fullSync();
            assertEquals(0, again.writes(), "the same names on the next sync: " + again.summary());
        }
    }
}
