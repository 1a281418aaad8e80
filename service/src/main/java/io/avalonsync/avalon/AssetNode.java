package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.types.ObjectId;

/** Working state of one tracker entity while its project is planned ({@link AssetPass}). */
final class AssetNode {
    final DesiredAsset asset;
    final int depth;
    /** Its document as Avalon holds it now, or null when it is new. */
    final Document existing;
    final List<String> candidates = new ArrayList<>();
    final Set<String> taskRejectionsLogged = new HashSet<>();
    String name;
    ObjectId id;
    ObjectId visualParent;
    List<String> parents = List.of();
    boolean rejected;
    /** Renamed or moved: other tools' documents below it need their data.parents again. */
    boolean moved;
    Document planned;
    DocumentChanges changes;

    AssetNode(DesiredAsset asset, int depth, Document existing) {
        this.asset = asset;
        this.depth = depth;
        this.existing = existing;
    }
}
