package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;

/** The assets of one project collection, held in memory. */
final class InMemoryAssetLookup implements AssetLookup {

    private final Map<ObjectId, Document> assets = new LinkedHashMap<>();

    InMemoryAssetLookup add(Document asset) {
        assets.put(asset.getObjectId("_id"), asset);
        return this;
    }

    List<Document> all() {
        return new ArrayList<>(assets.values());
    }

    @Override
    public Document byId(ObjectId id) {
        return assets.get(id);
    }

    @Override
    public List<ObjectId> idsWithName(String name) {
        List<ObjectId> ids = new ArrayList<>();
        for (Map.Entry<ObjectId, Document> entry : assets.entrySet()) {
            if (name.equalsIgnoreCase(entry.getValue().getString("name"))) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }
}
