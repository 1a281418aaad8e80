package io.avalonsync.kitsu;

import java.util.HashMap;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.avalonsync.SyncHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.KitsuData;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Kitsu project without a code still gets {@code data.code} (templates use {@code {project[code]}}): derived from
 * its name as OpenPype's Kitsu module did, kept once written, replaced only by a code set in Kitsu.
 */
class KitsuProjectCodeTest {

    private static final long WAIT = 30_000;

    private static Map<String, Object> codeless() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("code", null);
        return fields;
    }

    private static Object code(SyncHarness h) {
        return TrackerIdentity.read(h.project("Agent_327"), "data.code");
    }

    @Test
    void aProjectWithoutCodeGetsAStableOneThroughFullSyncAndEvents() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            KitsuData kitsu = h.kitsu.data();
            String project = (String) kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow().get("id");
            kitsu.update(project, codeless());
            h.appWithEvents(Map.of());
            await("the listener to connect", WAIT, () -> h.kitsu.eventClients() > 0);
            await("the event cursor", WAIT, () -> h.client.getDatabase("avalon_sync").getCollection("cursors")
                    .find(Filters.eq("_id", KitsuEventCursor.CURSOR)).first() != null);
            assertEquals(0, h.fullSync().exitCode());
            assertEquals("agent_327", code(h), "the name, lower case, spaces as _");
            assertEquals("spf", TrackerIdentity.read(h.project("Sprite_Fright"), "data.code"), "Kitsu's own code");

            // renamed in Kitsu: the code already written stays (published paths keep their prefix)
            kitsu.update(project, Map.of("name", "Agent 327 Redux"));
            await("the rename event", WAIT, () -> "Agent 327 Redux".equals(
                    TrackerIdentity.read(h.project("Agent_327"), "data.label")));
            assertEquals("agent_327", code(h));
            assertEquals(0, h.fullSync().exitCode());
            assertEquals("agent_327", code(h));

            // a project document written without a code (an older version) gets one at the next sync
            h.collection("Agent_327").updateOne(Filters.eq("type", "project"), Updates.unset("data.code"));
            assertEquals(0, h.fullSync().exitCode());
            assertEquals("agent_327_redux", code(h));

            // a code set in Kitsu wins, through the event
            kitsu.update(project, Map.of("code", "A327"));
            await("Kitsu's code", WAIT, () -> "A327".equals(code(h)));
            Document doc = h.project("Agent_327");
            assertEquals("Agent 327 Redux", TrackerIdentity.read(doc, "data.label"));
        }
    }
}
