package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;

/**
 * ShotGrid Sequence → a document under its {@code episode} when set (at the top otherwise), with status and
 * tasks. ShotGrid codes are usually unique already, so the name is the code; a clash gets the parent's name
 * as prefix (planner rule).
 */
public final class ShotGridSequenceMapper {

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();

    public DesiredAsset map(Map<String, Object> sequence, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(sequence);
        String episode = ShotGridValues.linkKey(sequence, "episode");
        return new DesiredAsset(key, "Sequence", episode, ShotGridValues.text(sequence, "code"), false, "Sequence",
                "shots", ShotGridShotMapper.status(sequence), tasks.tasksOf(key, lookups), false);
    }
}
