package io.avalonsync.kitsu;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zou asset type dict → the folder document its assets are grouped under. */
class KitsuAssetTypeMapperTest {

    /** As Zou answers GET /api/data/projects/{id}/asset-types. */
    private static final String CHARACTER = """
            { "id": "at-chr", "type": "AssetType", "name": "Character", "short_name": "chr", "description": null,
              "archived": false, "created_at": "2024-01-08T09:12:44", "updated_at": "2024-01-08T09:12:44" }
            """;

    private final KitsuAssetTypeMapper mapper = new KitsuAssetTypeMapper();

    @Test
    void mapsToATopLevelFolderWithoutTasks() {
        DesiredAsset folder = mapper.map(object(CHARACTER));

        assertEquals(new DesiredAsset("at-chr", "AssetType", null, "Character", false, "Folder", "assets",
                new Document(), null, false,
                // the fields a full sync reads of an asset type, kept for OpenPype's layout (data.zou)
                Map.of("id", "at-chr", "name", "Character", "archived", false)), folder);
    }

    @Test
    void anArchivedAssetTypeIsRetired() {
        Map<String, Object> type = object(CHARACTER);
        type.put("archived", true);

        assertTrue(mapper.map(type).retired());
    }

    @Test
    void theFullSyncRecordOfAnAssetTypeMapsLikeTheFullRecord() throws Exception {
        Map<String, Object> full = object(CHARACTER);
        full.put("archived", true);
        String answer = "[" + CHARACTER.replace("\"archived\": false", "\"archived\": true") + "]";

        List<Map<String, Object>> kept = KitsuSnapshot.readList(
                new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), KitsuSnapshot.fieldsOf("assetTypes"));

        assertEquals(mapper.map(full), mapper.map(kept.get(0)));
    }
}
