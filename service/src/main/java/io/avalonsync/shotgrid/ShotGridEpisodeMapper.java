package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;

/** ShotGrid Episode → a document at the top of the shot tree, with status and tasks. */
public final class ShotGridEpisodeMapper {

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();

    public DesiredAsset map(Map<String, Object> episode, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(episode);
        return new DesiredAsset(key, "Episode", null, ShotGridValues.text(episode, "code"), false, "Episode", "shots",
                ShotGridShotMapper.status(episode), tasks.tasksOf(key, lookups), false);
    }
}
