package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;

/**
 * ShotGrid Shot → a document under its {@code sg_sequence} (at the top without one): {@code clipIn/clipOut}
 * from {@code sg_cut_in/sg_cut_out}; {@code frameStart/frameEnd} from {@code sg_frame_start/sg_frame_end}
 * when the site has them, else the cut; {@code handleStart = cut in − head in} and {@code handleEnd = tail out
 * − cut out} when both ends are set; {@code fps} from {@code sg_frame_rate} when the site has it (else the
 * project's, inherited at creation); {@code status} = {@code sg_status_list}; its tasks.
 */
public final class ShotGridShotMapper {

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();
    private final ShotGridFields fields;

    public ShotGridShotMapper() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}: on top of the built-in keys) */
    public ShotGridShotMapper(ShotGridFields fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> shot, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(shot);
        Document attributes = status(shot);
        frameRange(shot, lookups, attributes);
        Double fps = ShotGridValues.decimal(shot.get("sg_frame_rate"));
        if (fps != null && fps > 0) {
            attributes.put("fps", fps);
        }
        fields.mapping().apply("shot", shot, attributes, problem -> lookups.warn("Shot", shot, problem));
        // without sequences synced, a shot is at the top of the shot tree
        String sequence = fields.synced("Sequence") ? ShotGridValues.linkKey(shot, "sg_sequence") : null;
        return new DesiredAsset(key, "Shot", sequence, ShotGridValues.text(shot, "code"),
                false, "Shot", "shots", attributes, fields.synced("Task") ? tasks.tasksOf(key, lookups) : null, false);
    }

    /** {@code data.status}: the ShotGrid short status code, when set. */
    static Document status(Map<String, Object> record) {
        Document attributes = new Document();
        String status = ShotGridValues.nonBlank(record, "sg_status_list");
        if (status != null) {
            attributes.put("status", status);
        }
        return attributes;
    }

    private static void frameRange(Map<String, Object> shot, ShotGridLookups lookups, Document attributes) {
        Integer cutIn = whole(shot, "sg_cut_in", lookups);
        Integer cutOut = whole(shot, "sg_cut_out", lookups);
        if (cutIn != null && cutOut != null && cutOut < cutIn) {
            lookups.warn("Shot", shot, "sg_cut_out " + cutOut + " is before sg_cut_in " + cutIn + "; frame range not synced");
            return;
        }
        if (cutIn != null) {
            attributes.put("clipIn", cutIn);
        }
        if (cutOut != null) {
            attributes.put("clipOut", cutOut);
        }
        Integer start = whole(shot, "sg_frame_start", lookups);
        Integer end = whole(shot, "sg_frame_end", lookups);
        start = start != null ? start : cutIn;
        end = end != null ? end : cutOut;
        if (start != null && end != null && end < start) {
            lookups.warn("Shot", shot, "frame end " + end + " is before frame start " + start + "; frames not synced");
        } else {
            if (start != null) {
                attributes.put("frameStart", start);
            }
            if (end != null) {
                attributes.put("frameEnd", end);
            }
        }
        Integer headIn = whole(shot, "sg_head_in", lookups);
        Integer tailOut = whole(shot, "sg_tail_out", lookups);
        if (cutIn != null && headIn != null) {
            handle(shot, lookups, attributes, "handleStart", cutIn - headIn, "sg_head_in " + headIn + " is after sg_cut_in");
        }
        if (cutOut != null && tailOut != null) {
            handle(shot, lookups, attributes, "handleEnd", tailOut - cutOut, "sg_tail_out " + tailOut + " is before sg_cut_out");
        }
    }

    private static void handle(Map<String, Object> shot, ShotGridLookups lookups, Document attributes, String key,
            int frames, String problem) {
        if (frames < 0) {
            lookups.warn("Shot", shot, problem + "; " + key + " not synced");
        } else {
            attributes.put(key, frames);
        }
    }

    private static Integer whole(Map<String, Object> shot, String field, ShotGridLookups lookups) {
        Object raw = shot.get(field);
        Integer value = ShotGridValues.integer(raw);
        if (value == null && raw != null && !raw.toString().isBlank()) {
            lookups.warn("Shot", shot, field + " '" + raw + "' is not a whole number; not synced");
        }
        return value;
    }
}
