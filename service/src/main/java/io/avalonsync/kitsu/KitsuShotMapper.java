package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.fields.FieldMapping;
import org.bson.Document;

/**
 * Kitsu shot → a document under its sequence, named {@code <sequence doc name>_<shot>}, with frame range,
 * fps and resolution (the shot's own values, else the project's) and its tasks.
 */
public final class KitsuShotMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();
    private final FieldMapping fields;

    public KitsuShotMapper() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}): on top of the built-in keys above */
    public KitsuShotMapper(FieldMapping fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> shot, KitsuLookups lookups) {
        String id = KitsuValues.text(shot, "id");
        Map<String, Object> data = shotData(shot);
        Document attributes = new Document();
        frameRange(shot, data, lookups, attributes);
        Object rawFps = data.get("fps");
        Double fps = KitsuValues.decimal(rawFps);
        if (fps == null && rawFps != null && !rawFps.toString().isBlank()) {
            lookups.warn("Shot", shot, "data.fps '" + rawFps + "' is not a number; the project fps is used");
        }
        fps = fps != null && fps > 0 ? fps : lookups.projectFps();
        if (fps != null) {
            attributes.put("fps", fps);
        }
        int[] resolution = KitsuValues.resolution(data.get("resolution"));
        resolution = resolution != null ? resolution : lookups.projectResolution();
        if (resolution != null) {
            attributes.put("resolutionWidth", resolution[0]);
            attributes.put("resolutionHeight", resolution[1]);
        }
        fields.apply("shot", shot, attributes, problem -> lookups.warn("Shot", shot, problem));
        return new DesiredAsset(id, "Shot", KitsuValues.text(shot, "parent_id"), KitsuValues.text(shot, "name"), true,
                "Shot", "shots", attributes, tasks.tasksOf(id, lookups), KitsuValues.flag(shot, "canceled"),
                KitsuValues.record(shot, "shots"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shotData(Map<String, Object> shot) {
        Object data = shot.get("data");
        return data instanceof Map ? (Map<String, Object>) data : Map.of();
    }

    /** frame_in / frame_out, or frame_in + nb_frames − 1 when frame_out is missing (as OpenPype and Ayon do). */
    private static void frameRange(Map<String, Object> shot, Map<String, Object> data, KitsuLookups lookups,
            Document attributes) {
        Object rawIn = data.get("frame_in");
        Object rawOut = data.get("frame_out");
        Integer frameIn = KitsuValues.integer(rawIn);
        Integer frameOut = KitsuValues.integer(rawOut);
        Integer frames = KitsuValues.integer(shot.get("nb_frames"));
        if (frameIn == null) {
            if (rawIn != null && !rawIn.toString().isBlank()) {
                lookups.warn("Shot", shot, "data.frame_in '" + rawIn + "' is not a whole number; frame range not synced");
            }
            return;
        }
        if (frameOut == null && rawOut != null && !rawOut.toString().isBlank()) {
            lookups.warn("Shot", shot, "data.frame_out '" + rawOut + "' is not a whole number");
        }
        if (frameOut == null && frames != null && frames > 0) {
            frameOut = frameIn + frames - 1;
        }
        if (frameOut != null && frameOut < frameIn) {
            lookups.warn("Shot", shot, "frame_out " + frameOut + " is before frame_in " + frameIn + "; frame range not synced");
            return;
        }
        attributes.put("frameStart", frameIn);
        if (frameOut != null) {
            attributes.put("frameEnd", frameOut);
        }
    }
}
