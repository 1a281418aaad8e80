package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.fields.FieldMapping;
import org.bson.Document;

/** Kitsu asset → an asset document under its asset type, with its tasks. */
public final class KitsuAssetMapper {

    private final KitsuTaskMapper tasks = new KitsuTaskMapper();
    private final FieldMapping fields;

    public KitsuAssetMapper() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}) */
    public KitsuAssetMapper(FieldMapping fields) {
        this.fields = fields;
    }

    public DesiredAsset map(Map<String, Object> asset, KitsuLookups lookups) {
        String id = KitsuValues.text(asset, "id");
        Document attributes = new Document();
        fields.apply("asset", asset, attributes, problem -> lookups.warn("Asset", asset, problem));
        return new DesiredAsset(id, "Asset", KitsuValues.text(asset, "entity_type_id"), KitsuValues.text(asset, "name"),
                false, "Asset", "assets", attributes, tasks.tasksOf(id, lookups),
                KitsuValues.flag(asset, "canceled"), KitsuValues.record(asset, "assets"));
    }
}
