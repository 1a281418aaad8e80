package io.avalonsync.sandbox;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a {@link ShotGridData} with a production: projects (one per spec, plus optionally a small one with the
 * Avalon sync checkbox off), pipeline steps, artists, asset types and assets, episodes, sequences, shots with
 * cut ranges and handles, and tasks. Loaded in bulk, without EventLogEntry rows, so the event log of a fresh
 * site starts empty. Deterministic: the same spec gives the same ids and values.
 */
public final class SampleShotGridProduction {

    private static final String[][] SHOT_STEPS = {
        {"Layout", "lay"}, {"Animation", "anm"}, {"FX", "fx"}, {"Lighting", "lgt"}, {"Comp", "comp"}, {"Roto", "roto"}
    };
    private static final String[][] ASSET_STEPS = {
        {"Art", "art"}, {"Model", "mod"}, {"Rig", "rig"}, {"Surface", "srf"}, {"Lookdev", "lkd"}, {"Groom", "grm"}
    };
    private static final String[] ASSET_TYPES = {"Character", "Prop", "Environment", "Vehicle", "FX"};
    private static final String[] ARTISTS = {"Jane Doe", "John Smith", "Ana Lopez", "Kenji Sato", "Ola Nordmann"};
    private static final String[] SHOT_STATUSES = {"wtg", "rdy", "ip", "rev", "fin", "hld"};
    private static final String[] TASK_STATUSES = {"wtg", "rdy", "ip", "rev", "fin"};
    private static final int FIRST_FRAME = 1001;
    private static final int HANDLES = 8;

    /**
     * How big a production to make: {@code projects} synced projects of that size each, and when
     * {@code syncOffProject} one more small project whose {@code sg_avalon_auto_sync} is off.
     */
    public record Spec(int projects, int assetTypes, int assetsPerProject, int episodes, int sequencesPerEpisode,
                       int shotsPerSequence, int tasksPerEntity, boolean syncOffProject) {

        /** One synced project (3 asset types, 6 assets, 2 episodes × 2 sequences × 3 shots, 3 tasks each) and one off. */
        public static Spec demo() {
            return new Spec(1, 3, 6, 2, 2, 3, 3, true);
        }

        /** The benchmark: one project, 2,000 assets, 10,000 shots (20 × 10 × 50), 72,000 tasks. */
        public static Spec large() {
            return new Spec(1, 5, 2_000, 20, 10, 50, 6, false);
        }
    }

    private SampleShotGridProduction() {
    }

    public static void generate(ShotGridData data, Spec spec) {
        new Builder(data, spec).build();
    }

    private static final class Builder {
        private final ShotGridData data;
        private final Spec spec;
        private final Random random;
        private final List<Map<String, Object>> artists = new ArrayList<>();
        private final List<Map<String, Object>> shotSteps = new ArrayList<>();
        private final List<Map<String, Object>> assetSteps = new ArrayList<>();
        private int taskCount;

        Builder(ShotGridData data, Spec spec) {
            this.data = data;
            this.spec = spec;
            this.random = new Random(spec.hashCode());
        }

        void build() {
            for (String artist : ARTISTS) {
                String[] names = artist.split(" ");
                artists.add(ShotGridData.link(ShotGridData.HUMAN_USER, data.insertWithoutEvents(ShotGridData.HUMAN_USER,
                        fields("name", artist, "firstname", names[0], "lastname", names[1],
                                "login", names[0].toLowerCase() + "." + names[1].toLowerCase(),
                                "email", names[0].toLowerCase() + "@studio.example"))));
            }
            steps(SHOT_STEPS, ShotGridData.SHOT, shotSteps);
            steps(ASSET_STEPS, ShotGridData.ASSET, assetSteps);
            for (int p = 1; p <= spec.projects(); p++) {
                String name = spec.equals(Spec.demo()) ? "demo_show" : p == 1 ? "big_show" : "big_show_" + p;
                project(name, true, spec.assetsPerProject(), spec.episodes(), spec.sequencesPerEpisode(),
                        spec.shotsPerSequence());
            }
            if (spec.syncOffProject()) {
                project("archive_show", false, 2, 1, 1, 2);
            }
        }

        private void steps(String[][] steps, String entityType, List<Map<String, Object>> into) {
            for (String[] step : steps) {
                into.add(ShotGridData.link(ShotGridData.STEP, data.insertWithoutEvents(ShotGridData.STEP,
                        fields("code", step[0], "short_name", step[1], "entity_type", entityType))));
            }
        }

        private void project(String name, boolean synced, int assets, int episodes, int sequences, int shots) {
            Map<String, Object> project = ShotGridData.link(ShotGridData.PROJECT, data.insertWithoutEvents(
                    ShotGridData.PROJECT, fields("name", name, "code", name, "sg_status", "Active",
                            ShotGridData.SYNC_FIELD, synced)));
            int typeCount = Math.max(1, Math.min(spec.assetTypes(), ASSET_TYPES.length));
            for (int a = 0; a < assets; a++) {
                String assetType = ASSET_TYPES[a % typeCount];
                String code = spec.equals(Spec.demo()) && a == 1 ? "Hero Mask (v2)"
                        : String.format("%s%04d", assetType.toLowerCase(), a / typeCount + 1);
                Map<String, Object> asset = ShotGridData.link(ShotGridData.ASSET, data.insertWithoutEvents(
                        ShotGridData.ASSET, fields("code", code, "description", assetType + " " + code,
                                "sg_asset_type", assetType, "sg_status_list", pick(SHOT_STATUSES), "project", project)));
                tasks(project, asset, assetSteps);
            }
            for (int e = 1; e <= episodes; e++) {
                String episodeCode = String.format("ep%02d", e);
                Map<String, Object> episode = ShotGridData.link(ShotGridData.EPISODE, data.insertWithoutEvents(
                        ShotGridData.EPISODE, fields("code", episodeCode, "sg_status_list", "ip", "project", project)));
                for (int s = 1; s <= sequences; s++) {
                    String sequenceCode = String.format("%s_sq%03d", episodeCode, s * 10);
                    Map<String, Object> sequence = ShotGridData.link(ShotGridData.SEQUENCE, data.insertWithoutEvents(
                            ShotGridData.SEQUENCE, fields("code", sequenceCode, "episode", episode,
                                    "sg_status_list", "ip", "project", project)));
                    for (int h = 1; h <= shots; h++) {
                        int length = 24 + random.nextInt(200);
                        int cutOut = FIRST_FRAME + length - 1;
                        Map<String, Object> shot = ShotGridData.link(ShotGridData.SHOT, data.insertWithoutEvents(
                                ShotGridData.SHOT, fields("code", String.format("%s_sh%04d", sequenceCode, h * 10),
                                        "description", "Shot " + h + " of " + sequenceCode, "sg_sequence", sequence,
                                        "sg_cut_in", FIRST_FRAME, "sg_cut_out", cutOut,
                                        "sg_head_in", FIRST_FRAME - HANDLES, "sg_tail_out", cutOut + HANDLES,
                                        "sg_cut_duration", length, "sg_status_list", pick(SHOT_STATUSES),
                                        "project", project)));
                        tasks(project, shot, shotSteps);
                    }
                }
            }
        }

        private void tasks(Map<String, Object> project, Map<String, Object> entity, List<Map<String, Object>> steps) {
            LocalDate start = LocalDate.of(2026, 1, 5);
            for (int t = 0; t < spec.tasksPerEntity(); t++) {
                Map<String, Object> step = steps.get(t % steps.size());
                String content = data.displayName(ShotGridData.STEP, (Integer) step.get("id")).toLowerCase()
                        + (t < steps.size() ? "" : "_" + (t / steps.size() + 1));
                LocalDate begins = start.plusDays(taskCount % 120);
                data.insertWithoutEvents(ShotGridData.TASK, fields("content", content, "step", step, "entity", entity,
                        "sg_status_list", pick(TASK_STATUSES), "task_assignees", List.of(artists.get(taskCount % artists.size())),
                        "start_date", begins.toString(), "due_date", begins.plusDays(4).toString(), "project", project));
                taskCount++;
            }
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
