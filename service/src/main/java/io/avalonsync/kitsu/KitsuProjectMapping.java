package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.avalon.TaskType;
import io.avalonsync.fields.FieldMapping;
import io.avalonsync.sync.ProjectPass;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full snapshot of a Kitsu project → what Avalon should say about it, through the per-entity mappers
 * the event handling uses as well.
 */
public final class KitsuProjectMapping {

    private static final Logger LOG = LoggerFactory.getLogger(KitsuProjectMapping.class);

    private final KitsuProjectMapper projects;
    private final KitsuTaskTypeMapper taskTypes = new KitsuTaskTypeMapper();
    private final KitsuAssetTypeMapper assetTypes = new KitsuAssetTypeMapper();
    private final KitsuAssetMapper assets;
    private final KitsuEpisodeMapper episodes;
    private final KitsuSequenceMapper sequences;
    private final KitsuShotMapper shots;

    public KitsuProjectMapping() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}), which the event handling gets too */
    public KitsuProjectMapping(FieldMapping fields) {
        projects = new KitsuProjectMapper(fields);
        assets = new KitsuAssetMapper(fields);
        episodes = new KitsuEpisodeMapper(fields);
        sequences = new KitsuSequenceMapper(fields);
        shots = new KitsuShotMapper(fields);
    }

    /** The project's {@link DesiredProject}, from the snapshot its pass read. */
    public DesiredProject map(@ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<KitsuSnapshot> pass) {
        DesiredProject desired = map(pass.reads());
        // the raw lists are not needed past this point; a large project's tasks alone are tens of MB
        pass.dropReads();
        return desired;
    }

    public DesiredProject map(KitsuSnapshot snapshot) {
        Map<String, Object> project = snapshot.project();
        KitsuLookups lookups = KitsuLookups.of(snapshot);
        LOG.info("kitsu project '{}': read {}", project.get("name"), snapshot);
        List<DesiredAsset> desired = new ArrayList<>();
        addAll(desired, snapshot.list("assetTypes"), assetTypes::map, "AssetType", lookups);
        addAll(desired, snapshot.list("assets"), a -> assets.map(a, lookups), "Asset", lookups);
        addAll(desired, snapshot.list("episodes"), e -> episodes.map(e, lookups), "Episode", lookups);
        addAll(desired, snapshot.list("sequences"), s -> sequences.map(s, lookups), "Sequence", lookups);
        addAll(desired, snapshot.list("shots"), s -> shots.map(s, lookups), "Shot", lookups);
        return new DesiredProject(KitsuValues.text(project, "id"), KitsuValues.text(project, "name"),
                projects.attributes(project, lookups), projectTaskTypes(snapshot, lookups), desired);
    }

    /** The project's task types, plus any type its tasks use that the project settings do not list. */
    private List<TaskType> projectTaskTypes(KitsuSnapshot snapshot, KitsuLookups lookups) {
        Map<String, Map<String, Object>> used = new LinkedHashMap<>();
        snapshot.list("projectTaskTypes").forEach(t -> used.put(KitsuValues.text(t, "id"), t));
        for (Map<String, Object> task : snapshot.list("tasks")) {
            String typeId = KitsuValues.text(task, "task_type_id");
            Map<String, Object> type = lookups.taskType(typeId);
            if (type != null) {
                used.putIfAbsent(typeId, type);
            }
        }
        List<TaskType> result = new ArrayList<>();
        used.values().forEach(t -> result.add(taskTypes.map(t)));
        return result;
    }

    /** Maps each record; one that cannot be mapped is reported and skipped, the rest goes on. */
    private static void addAll(List<DesiredAsset> into, List<Map<String, Object>> records,
            Function<Map<String, Object>, DesiredAsset> mapper, String what, KitsuLookups lookups) {
        for (Map<String, Object> record : records) {
            if (record.get("id") == null || record.get("name") == null) {
                lookups.warn(what, record, "record without id or name; skipped");
                continue;
            }
            try {
                into.add(mapper.apply(record));
            } catch (RuntimeException e) {
                lookups.warn(what, record, "cannot be mapped (" + e + "); skipped");
            }
        }
    }
}
