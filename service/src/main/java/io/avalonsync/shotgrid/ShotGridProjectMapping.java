package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredProject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one ShotGrid project → what Avalon should say about it, through the per-entity mappers the
 * event handling uses as well. Asset-type groups come first, then assets, episodes, sequences, shots.
 */
public final class ShotGridProjectMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridProjectMapping.class);

    private final ShotGridProjectMapper projects;
    private final ShotGridAssetMapper assets;
    private final ShotGridEpisodeMapper episodes;
    private final ShotGridSequenceMapper sequences;
    private final ShotGridShotMapper shots;

    public ShotGridProjectMapping() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced; the event processor's mapping gets the same */
    public ShotGridProjectMapping(ShotGridFields fields) {
        projects = new ShotGridProjectMapper(fields);
        assets = new ShotGridAssetMapper(fields);
        episodes = new ShotGridEpisodeMapper(fields);
        sequences = new ShotGridSequenceMapper(fields);
        shots = new ShotGridShotMapper(fields);
    }

    public DesiredProject map(ShotGridSnapshot snapshot) {
        Map<String, Object> project = snapshot.project();
        ShotGridLookups lookups = new ShotGridLookups(project, snapshot.list("Task"));
        LOG.info("shotgrid project '{}': read {}", project.get("name"), snapshot);
        return map(project, snapshot.list("Step"), snapshot.list("Asset"), snapshot.list("Episode"),
                snapshot.list("Sequence"), snapshot.list("Shot"), snapshot.list("Task"), lookups);
    }

    /** The same mapping for any set of records of the project (a full snapshot, or an event batch's re-reads). */
    public DesiredProject map(Map<String, Object> project, List<Map<String, Object>> steps,
            List<Map<String, Object>> assetRecords, List<Map<String, Object>> episodeRecords,
            List<Map<String, Object>> sequenceRecords, List<Map<String, Object>> shotRecords,
            List<Map<String, Object>> tasks, ShotGridLookups lookups) {
        List<DesiredAsset> desired = new ArrayList<>();
        Map<String, DesiredAsset> categories = new LinkedHashMap<>();
        for (Map<String, Object> asset : assetRecords) {
            String assetType = ShotGridValues.nonBlank(asset, "sg_asset_type");
            String key = assetType == null ? null : ShotGridAssetMapper.categoryKey(assetType);
            if (key != null && !categories.containsKey(key)) {
                categories.put(key, assets.category(assetType));
            }
        }
        desired.addAll(categories.values());
        addAll(desired, assetRecords, a -> assets.map(a, lookups), "Asset", lookups);
        addAll(desired, episodeRecords, e -> episodes.map(e, lookups), "Episode", lookups);
        addAll(desired, sequenceRecords, s -> sequences.map(s, lookups), "Sequence", lookups);
        addAll(desired, shotRecords, s -> shots.map(s, lookups), "Shot", lookups);
        return new DesiredProject(projects.trackerId(project), projects.label(project), projects.attributes(project),
                projects.taskTypes(steps, tasks, lookups), desired);
    }

    /** Maps each record; one that cannot be mapped is reported and skipped, the rest goes on. */
    private static void addAll(List<DesiredAsset> into, List<Map<String, Object>> records,
            Function<Map<String, Object>, DesiredAsset> mapper, String what, ShotGridLookups lookups) {
        for (Map<String, Object> record : records) {
            if (ShotGridValues.integer(record.get("id")) == null || ShotGridValues.nonBlank(record, "code") == null) {
                lookups.warn(what, record, "record without id or code; skipped");
                continue;
            }
            try {
                into.add(mapper.apply(record));
            } catch (RuntimeException e) {
                lookups.warn(what, record, "cannot be mapped (" + e.getMessage() + "); skipped");
            }
        }
    }
}
