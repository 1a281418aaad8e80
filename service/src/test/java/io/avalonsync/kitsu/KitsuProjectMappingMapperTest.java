package io.avalonsync.kitsu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.avalon.DesiredTask;
import io.avalonsync.avalon.TaskType;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.ASSETS;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.ASSET_TYPES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.EPISODES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.PROJECT;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.PROJECT_TASK_TYPES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.SEQUENCES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.SHOTS;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.TASKS;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.TASK_STATUSES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.TASK_TYPES;
import static io.avalonsync.kitsu.KitsuFullSyncMapperTest.snapshot;
import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A whole Kitsu snapshot → DesiredProject through the per-entity mappers, and the lookups built from it. */
class KitsuProjectMappingMapperTest {

    private static Map<String, String> lists() {
        Map<String, String> lists = new HashMap<>(Map.of("taskTypes", TASK_TYPES, "projectTaskTypes", PROJECT_TASK_TYPES,
                "taskStatuses", TASK_STATUSES, "assetTypes", ASSET_TYPES, "assets", ASSETS, "episodes", EPISODES,
                "sequences", SEQUENCES, "shots", SHOTS, "tasks", TASKS));
        return lists;
    }

    private static DesiredProject map(Map<String, String> lists) {
        return new KitsuProjectMapping().map(snapshot(PROJECT, lists));
    }

    private static DesiredAsset byId(DesiredProject project, String trackerId) {
        return project.assets().stream().filter(a -> a.trackerId().equals(trackerId)).findFirst().orElse(null);
    }

    @Test
    void mapsTheProjectIdLabelAndAttributes() {
        DesiredProject project = map(lists());

        assertEquals("p-1", project.trackerId());
        assertEquals("My Show", project.label());
        assertEquals(new Document("code", "ms").append("fps", 25.0).append("resolutionWidth", 1920)
                .append("resolutionHeight", 1080).append("active", true), project.attributes());
    }

    @Test
    void taskTypesAreTheProjectsPlusTheOnesItsTasksUse() {
        DesiredProject project = map(lists());

        // Rigging exists in Kitsu but is neither enabled in the project nor used: not in config.tasks
        assertEquals(List.of(new TaskType("Modeling", "mdl"), new TaskType("Animation", "anim"),
                new TaskType("Compositing", "comp")), project.taskTypes());
    }

    @Test
    void everyEntityIsMappedTypesFirstThenAssetsEpisodesSequencesShots() {
        DesiredProject project = map(lists());

        assertEquals(List.of("at-chr", "at-prop", "a-hero", "a-tree", "e-01", "q-010", "q-020", "s-010", "s-020", "s-210"),
                project.assets().stream().map(DesiredAsset::trackerId).toList());
        assertEquals(new DesiredAsset("s-020", "Shot", "q-010", "SH020", true, "Shot", "shots",
                new Document("frameStart", 1001).append("frameEnd", 1048).append("fps", 25.0)
                        .append("resolutionWidth", 1920).append("resolutionHeight", 1080),
                List.of(new DesiredTask("t-020-anim", "main", "Animation", "Todo")), false,
                // the fields a full sync reads of a shot, kept for OpenPype's layout (data.zou)
                // frame_in as Kitsu gave it (a string): the record is what Kitsu answered, not the parsed values
                Map.of("id", "s-020", "type", "Shot", "name", "SH020", "canceled", false, "nb_frames", 48,
                        "project_id", "p-1", "parent_id", "q-010", "data", Map.of("frame_in", "1001"))),
                byId(project, "s-020"));
        assertEquals(List.of(new DesiredTask("t-hero-mdl", "main", "Modeling", "Work In Progress")),
                byId(project, "a-hero").tasks());
    }

    @Test
    void recordsWithoutIdOrNameAreSkippedAndTheRestIsMapped() {
        Map<String, String> lists = lists();
        lists.put("assets", ASSETS.replace("\"name\": \"Tree\",", "\"name\": null,"));
        lists.put("shots", SHOTS.replace("\"id\": \"s-020\",", ""));

        DesiredProject project = map(lists);

        assertNull(byId(project, "a-tree"));
        assertNotNull(byId(project, "a-hero"));
        assertEquals(List.of("s-010", "s-210"), project.assets().stream()
                .filter(a -> a.trackerType().equals("Shot")).map(DesiredAsset::trackerId).toList());
    }

    @Test
    void aTaskOfAnUnknownTypeIsSkippedAndAddsNoTaskType() {
        Map<String, String> lists = lists();
        lists.put("tasks", TASKS.replace("\"task_type_id\": \"tt-comp\"", "\"task_type_id\": \"tt-deleted\""));

        DesiredProject project = map(lists);

        assertEquals(List.of(new DesiredTask("t-010-anim", "main", "Animation", "Work In Progress")),
                byId(project, "s-010").tasks());
        assertEquals(List.of(new TaskType("Modeling", "mdl"), new TaskType("Animation", "anim")), project.taskTypes());
    }

    @Test
    void anEmptySnapshotGivesTheProjectWithoutEntities() {
        DesiredProject project = new KitsuProjectMapping().map(new KitsuSnapshot(object(PROJECT)));

        assertEquals(List.of(), project.assets());
        assertEquals(List.of(), project.taskTypes());
    }

    @Test
    void lookupsResolveTaskTypesFromTheGlobalAndTheProjectListAndReadProjectDefaults() {
        Map<String, String> lists = lists();
        lists.put("taskTypes", "[]");

        KitsuLookups lookups = KitsuLookups.of(snapshot(PROJECT, lists));

        assertEquals("Animation", lookups.taskType("tt-anim").get("name"));
        assertNull(lookups.taskType("tt-comp"));
        assertEquals("Todo", lookups.taskStatus("ts-todo").get("name"));
        assertEquals(2, lookups.tasksOf("s-010").size());
        assertEquals(25.0, lookups.projectFps());
        assertArrayEquals(new int[] {1920, 1080}, lookups.projectResolution());
        assertEquals("My Show", lookups.projectName());
    }
}
