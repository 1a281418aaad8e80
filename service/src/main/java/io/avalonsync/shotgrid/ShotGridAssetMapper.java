package io.avalonsync.shotgrid;

import java.util.Locale;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.NameSanitizer;
import org.bson.Document;

/**
 * ShotGrid Asset → an asset document under the group of its {@code sg_asset_type} (a list value, not an
 * entity, so the group is synthetic: {@code data.shotgridType = "AssetCategory"}, {@code data.shotgridId} = the
 * lower-case sanitised type), with status and tasks. An asset without a type sits at the top of the tree.
 */
public final class ShotGridAssetMapper {

    public static final String CATEGORY = "AssetCategory";

    private final ShotGridTaskMapper tasks = new ShotGridTaskMapper();
    private final ShotGridFields fields;

    public ShotGridAssetMapper() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}) */
    public ShotGridAssetMapper(ShotGridFields fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> asset, ShotGridLookups lookups) {
        String key = ShotGridValues.keyOf(asset);
        String assetType = ShotGridValues.nonBlank(asset, "sg_asset_type");
        String parent = assetType == null ? null : categoryKey(assetType);
        if (assetType != null && parent == null) {
            lookups.warn("Asset", asset, "asset type '" + assetType + "' has no letters or digits; placed at the top");
        }
        Document attributes = ShotGridShotMapper.status(asset);
        fields.mapping().apply("asset", asset, attributes, problem -> lookups.warn("Asset", asset, problem));
        return new DesiredAsset(key, "Asset", parent, ShotGridValues.text(asset, "code"), false, "Asset", "assets",
                attributes, fields.synced("Task") ? tasks.tasksOf(key, lookups) : null, false);
    }

    /** The group document of an asset type. */
    public DesiredAsset category(String assetType) {
        String key = categoryKey(assetType);
        if (key == null) {
            throw new ShotGridResponseException("asset type '" + assetType + "' has no letters or digits");
        }
        return new DesiredAsset(key, CATEGORY, null, assetType, false, "Folder", "assets", new Document(), null, false);
    }

    /** {@code "AssetCategory:<sanitised lower-case type>"}, or null when nothing is left of the name. */
    public static String categoryKey(String assetType) {
        String name = NameSanitizer.sanitize(assetType).toLowerCase(Locale.ROOT);
        return name.isEmpty() ? null : ShotGridIdentity.key(CATEGORY, name);
    }
}
