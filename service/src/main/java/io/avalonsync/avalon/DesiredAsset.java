package io.avalonsync.avalon;

import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * What a tracker says about one entity that becomes an Avalon asset document. Only tracker-owned facts:
 * the planner turns them into a new document or a merge update of an existing one.
 *
 * @param trackerId        the tracker's id (identity; never the name)
 * @param trackerType      the tracker's entity type, e.g. {@code Shot}
 * @param parentTrackerId  tracker id of the visual parent, null at the top of the tree
 * @param label            the raw tracker name, kept in {@code data.label}
 * @param prefixParentName compose the name as {@code <parent name>_<name>} (sequences, shots)
 * @param entityType       {@code data.entityType}
 * @param silo             {@code assets} or {@code shots} (written by the avalon-core flavour only)
 * @param attributes       tracker-owned {@code data} keys (frame range, fps, ...), updated on every sync
 * @param tasks            the entity's tasks, or null when the tracker manages none for it
 * @param retired          deleted or canceled in the tracker
 * @param trackerRecord    the tracker's own fields of the entity, for a layout that keeps them in the document
 *                         ({@link AvalonLayout#OPENPYPE}: {@code data.zou}); null when the tracker keeps none
 */
public record DesiredAsset(String trackerId, String trackerType, String parentTrackerId, String label,
        boolean prefixParentName, String entityType, String silo, Document attributes, List<DesiredTask> tasks,
        boolean retired, Map<String, Object> trackerRecord) {

    /** An entity without a tracker record. */
    public DesiredAsset(String trackerId, String trackerType, String parentTrackerId, String label,
            boolean prefixParentName, String entityType, String silo, Document attributes, List<DesiredTask> tasks,
            boolean retired) {
        this(trackerId, trackerType, parentTrackerId, label, prefixParentName, entityType, silo, attributes, tasks,
                retired, null);
    }

    public String describe() {
        return trackerType + " '" + label + "' (" + trackerId + ")";
    }
}
