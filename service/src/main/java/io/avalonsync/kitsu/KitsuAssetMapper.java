package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;

/** Kitsu asset → an asset document under its asset type, with its tasks. */
public final class KitsuAssetMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();

    public DesiredAsset map(Map<String, Object> asset, KitsuLookups lookups) {
        String id = KitsuValues.text(asset, "id");
        return new DesiredAsset(id, "Asset", KitsuValues.text(asset, "entity_type_id"), KitsuValues.text(asset, "name"),
                false, "Asset", "assets", new Document(), tasks.tasksOf(id, lookups),
                KitsuValues.flag(asset, "canceled"));
    }
}
