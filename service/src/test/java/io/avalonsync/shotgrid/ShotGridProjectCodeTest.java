package io.avalonsync.shotgrid;

import java.util.HashMap;
import java.util.Map;

import io.avalonsync.ShotGridHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.ShotGridData;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A ShotGrid project without a code gets a stable {@code data.code} derived from its name, as a Kitsu one does. */
class ShotGridProjectCodeTest {

    private static final long WAIT = 30_000;

    private static Object code(ShotGridHarness h) {
        return TrackerIdentity.read(h.project("demo_show"), "data.code");
    }

    @Test
    void aProjectWithoutCodeGetsAStableOneThroughFullSyncAndEvents() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            ShotGridData d = h.data;
            Map<String, Object> artist = ShotGridHarness.artist(d);
            int project = (Integer) d.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
            Map<String, Object> noCode = new HashMap<>();
            noCode.put("code", null);
            d.update(ShotGridData.PROJECT, project, noCode, artist);
            h.appWithEvents(Map.of());
            assertFalse(h.fullSync().failed());
            assertEquals("demo_show", code(h), "derived from the name");
            await("the leecher's first poll", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                    .countDocuments() > 0);

            // renamed: the code stays
            d.update(ShotGridData.PROJECT, project, Map.of("name", "Demo Show II"), artist);
            await("the rename event", WAIT, () -> "Demo Show II".equals(
                    TrackerIdentity.read(h.project("demo_show"), "data.label")));
            assertEquals("demo_show", code(h));
            assertFalse(h.fullSync().failed());
            assertEquals("demo_show", code(h));

            // a code set in ShotGrid wins
            d.update(ShotGridData.PROJECT, project, Map.of("code", "dms"), artist);
            await("ShotGrid's code", WAIT, () -> "dms".equals(code(h)));
        }
    }
}
