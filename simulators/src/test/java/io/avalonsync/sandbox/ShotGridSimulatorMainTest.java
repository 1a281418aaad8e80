package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The benchmark driver's burst: reported changes, one event each, some committed late. */
class ShotGridSimulatorMainTest {

    @Test
    void burstReportsEachChangeAndSomeEventsBecomeVisibleOutOfOrder() throws Exception {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (ShotGridSimulator simulator = ShotGridSimulator.start(0, data)) {
            ShotGridTestClient sg = new ShotGridTestClient(simulator);
            sg.token();
            Thread burst = ShotGridSimulatorMain.startBurst(data, out, 50, 0.6, 0.5, 300);
            assertThrows(IllegalStateException.class, () -> ShotGridSimulatorMain.startBurst(data, out, 1, 1));
            boolean gapSeen = false;
            while (burst.isAlive()) {
                List<Integer> ids = new ArrayList<>();
                poll(sg).forEach(event -> ids.add(event.get("id").asInt()));
                for (int i = 0; i < ids.size(); i++) {
                    gapSeen |= ids.get(i) != i + 1; // a higher id is visible while a lower one is not
                }
                Thread.sleep(20);
            }
            assertTrue(gapSeen, "a poller saw a higher id before a lower one");

            String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
            List<String[]> changes = new ArrayList<>();
            String done = null;
            for (String line : lines) {
                if (line.startsWith("SIM CHANGE ")) {
                    changes.add(line.split(" "));
                } else if (line.startsWith("SIM BURST-DONE ")) {
                    done = line;
                }
            }
            assertEquals(30, changes.size());
            assertTrue(done != null && done.startsWith("SIM BURST-DONE 30 "), done);
            assertTrue(Integer.parseInt(done.split(" ")[5]) > 0, "some events were late: " + done);

            long deadline = System.currentTimeMillis() + 5_000;
            while (data.eventCount() < 30 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            JsonNode events = poll(sg);
            assertEquals(30, events.size(), "one event per change, all committed in the end");
            Map<Integer, JsonNode> byValue = new HashMap<>();
            for (JsonNode event : events) {
                assertEquals("Shotgun_Shot_Change", event.at("/attributes/event_type").asText());
                assertEquals("HumanUser", event.at("/relationships/user/data/type").asText());
                byValue.put(event.at("/attributes/meta/new_value").asInt(), event);
            }
            for (String[] change : changes) {
                // SIM CHANGE i shotId sg_cut_out value t
                assertEquals("sg_cut_out", change[4]);
                JsonNode event = byValue.get(Integer.parseInt(change[5]));
                assertEquals(Integer.parseInt(change[3]), event.at("/attributes/meta/entity_id").asInt(), String.join(" ", change));
                int current = (Integer) data.get(ShotGridData.SHOT, Integer.parseInt(change[3])).get("sg_cut_out");
                assertTrue(current >= Integer.parseInt(change[5]), "values grow: the shot holds its latest");
                assertTrue(Long.parseLong(change[6]) > 0);
            }
        }
    }

    @Test
    void specNamesAndNumbers() {
        assertEquals(SampleShotGridProduction.Spec.large(), ShotGridSimulatorMain.spec("large"));
        assertEquals(new SampleShotGridProduction.Spec(1, 2, 3, 4, 5, 6, 7, false), ShotGridSimulatorMain.spec("1,2,3,4,5,6,7"));
        assertThrows(IllegalArgumentException.class, () -> ShotGridSimulatorMain.spec("huge"));
    }

    private static JsonNode poll(ShotGridTestClient sg) throws Exception {
        return sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"id\",\"greater_than\",0]],"
                + "\"fields\":[\"id\",\"event_type\",\"meta\",\"entity\",\"user\"],\"sort\":\"id\",\"page\":{\"size\":500}}")).get("data");
    }
}
