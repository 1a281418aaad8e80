package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;

/** Kitsu asset type → the folder document its assets are grouped under (top of the asset tree). */
public final class KitsuAssetTypeMapper {

    public DesiredAsset map(Map<String, Object> assetType) {
        return new DesiredAsset(KitsuValues.text(assetType, "id"), "AssetType", null,
                KitsuValues.text(assetType, "name"), false, "Folder", "assets", new Document(), null,
                KitsuValues.flag(assetType, "archived"), KitsuValues.record(assetType, "assetTypes"));
    }
}
