package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.fields.FieldMapping;
import org.bson.Document;

/** Kitsu project → the project {@code data} keys Kitsu owns: code, fps, resolution, active. */
public final class KitsuProjectMapper {

    private final FieldMapping fields;

    public KitsuProjectMapper() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.project.*}): on top of the built-in keys */
    public KitsuProjectMapper(FieldMapping fields) {
        this.fields = fields;
    }

    public Document attributes(Map<String, Object> project, KitsuLookups lookups) {
        Document data = new Document();
        String code = KitsuValues.text(project, "code");
        if (code != null && !code.isBlank()) {
            data.put("code", code);
        }
        Object rawFps = project.get("fps");
        Double fps = KitsuValues.decimal(rawFps);
        if (fps != null && fps > 0) {
            data.put("fps", fps);
        } else if (rawFps != null && !rawFps.toString().isBlank()) {
            lookups.warn("Project", project, "fps '" + rawFps + "' is not a number; fps not synced");
        }
        Object rawResolution = project.get("resolution");
        int[] resolution = KitsuValues.resolution(rawResolution);
        if (resolution != null) {
            data.put("resolutionWidth", resolution[0]);
            data.put("resolutionHeight", resolution[1]);
        } else if (rawResolution != null && !rawResolution.toString().isBlank()) {
            lookups.warn("Project", project, "resolution '" + rawResolution + "' is not WIDTHxHEIGHT; resolution not synced");
        }
        String status = KitsuValues.text(project, "project_status_name");
        if (status != null) {
            data.put("active", !status.equalsIgnoreCase("closed"));
        }
        fields.apply("project", project, data, problem -> lookups.warn("Project", project, problem));
        return data;
    }
}
