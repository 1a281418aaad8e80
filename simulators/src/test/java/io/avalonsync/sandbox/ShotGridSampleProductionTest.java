package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ShotGridSampleProductionTest {

    @Test
    void demoHasASyncedProjectAndOneWithTheCheckboxOff() {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        assertEquals(2, data.count(ShotGridData.PROJECT));
        assertEquals(Boolean.TRUE, data.findOne(ShotGridData.PROJECT, "name", "demo_show").get(ShotGridData.SYNC_FIELD));
        assertEquals(Boolean.FALSE, data.findOne(ShotGridData.PROJECT, "name", "archive_show").get(ShotGridData.SYNC_FIELD));
        assertEquals(12 + 2, data.count(ShotGridData.SHOT));
        assertEquals(6 + 2, data.count(ShotGridData.ASSET));
        assertEquals(3 * (14 + 8), data.count(ShotGridData.TASK));
        assertEquals(12, data.count(ShotGridData.STEP));
        assertTrue(data.count(ShotGridData.HUMAN_USER) > 0);
        assertNotNull(data.findOne(ShotGridData.ASSET, "code", "Hero Mask (v2)"), "an awkward name to sanitise");
        Set<Object> assetTypes = new HashSet<>();
        for (int id : data.ids(ShotGridData.ASSET)) {
            assetTypes.add(data.get(ShotGridData.ASSET, id).get("sg_asset_type"));
        }
        assertEquals(Set.of("Character", "Prop", "Environment"), assetTypes);
        Map<String, Object> shot = data.get(ShotGridData.SHOT, data.ids(ShotGridData.SHOT).get(0));
        for (String field : List.of("code", "sg_sequence", "sg_cut_in", "sg_cut_out", "sg_head_in", "sg_tail_out",
                "sg_status_list", "project")) {
            assertNotNull(shot.get(field), field);
        }
        Map<String, Object> sequence = data.get(ShotGridData.SEQUENCE, (Integer) ((Map<?, ?>) shot.get("sg_sequence")).get("id"));
        assertEquals(ShotGridData.EPISODE, ((Map<?, ?>) sequence.get("episode")).get("type"));
        assertEquals(0, data.eventCount());
    }

    @Test
    void largeProductionIsGeneratedWithoutEvents() throws Exception {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.large());
        assertEquals(1, data.count(ShotGridData.PROJECT));
        assertEquals(20, data.count(ShotGridData.EPISODE));
        assertEquals(200, data.count(ShotGridData.SEQUENCE));
        assertEquals(10_000, data.count(ShotGridData.SHOT));
        assertEquals(2_000, data.count(ShotGridData.ASSET));
        assertEquals(6 * 12_000, data.count(ShotGridData.TASK));
        assertEquals(0, data.eventCount());
        assertEquals(0, data.lastEventId());

        try (ShotGridSimulator simulator = ShotGridSimulator.start(0, data)) {
            ShotGridTestClient sg = new ShotGridTestClient(simulator);
            JsonNode last = sg.ok(sg.searchArray("tasks", "{\"filters\":[[\"project\",\"is\",{\"type\":\"Project\",\"id\":1}]],"
                    + "\"fields\":[\"content\",\"step\",\"entity\",\"sg_status_list\",\"task_assignees\"],\"sort\":\"id\","
                    + "\"page\":{\"size\":500,\"number\":144}}"));
            assertEquals(500, last.get("data").size(), "72,000 tasks = 144 full pages");
            assertEquals(72_000, last.at("/data/499/id").asInt());
            assertEquals(0, sg.ok(sg.searchArray("tasks", "{\"filters\":[],\"page\":{\"size\":500,\"number\":145}}")).get("data").size());
            assertFalse(sg.ok(sg.searchArray("event_log_entries", "{\"filters\":[[\"id\",\"greater_than\",0]]}")).get("data").elements().hasNext());
        }
    }
}
