package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Names the entities of one project and places them in its tree, level by level (a child's candidate names need its
 * parent's name): README "What it writes", Names and Tree. Names held by documents this sync does not manage stay
 * theirs; a document that already has one of its candidate names keeps it; the rest take the first free candidate.
 */
final class AssetNaming {

    private final Map<String, AssetNode> nodes;
    private final Map<String, Document> existingByTracker;
    private final Map<String, DesiredAsset> live;
    /** OpenPype's layout: the root folder of each silo, where the entities without a parent go; else empty. */
    private final Map<String, Document> roots;
    private final FinalDocuments documents;
    private final TrackerIdentity identity;
    private final Rejections rejections;
    /** Case key of a name → who holds it: a tracker id, or {@code doc:<_id>} for a document not managed here. */
    private final Map<String, String> owners = new HashMap<>();

    AssetNaming(Map<String, AssetNode> nodes, Map<String, Document> existingByTracker, Map<String, DesiredAsset> live,
            Map<String, Document> roots, FinalDocuments documents, TrackerIdentity identity, Rejections rejections) {
        this.roots = roots;
        this.nodes = nodes;
        this.existingByTracker = existingByTracker;
        this.live = live;
        this.documents = documents;
        this.identity = identity;
        this.rejections = rejections;
    }

    /** Names and places every node ({@code ordered} parents first); a node that cannot be named is rejected. */
    void nameAndPlace(List<AssetNode> ordered) {
        claimForeignNames();
        int index = 0;
        while (index < ordered.size()) {
            int depth = ordered.get(index).depth;
            List<AssetNode> level = new ArrayList<>();
            while (index < ordered.size() && ordered.get(index).depth == depth) {
                level.add(ordered.get(index++));
            }
            level.forEach(this::computeCandidates);
            // documents that already carry one of their candidate names keep it, then the rest
            for (AssetNode node : level) {
                if (node.existing != null && node.candidates.contains(node.existing.getString("name"))) {
                    claim(node, node.existing.getString("name"));
                }
            }
            // then the rest: an entity already named exactly like the candidate first ("Teacup" before
            // "Teacup!"), then by tracker id, so the same input always gives the same names
            List<AssetNode> rest = new ArrayList<>(level);
            rest.sort(Comparator.comparingInt((AssetNode n) -> n.candidates.isEmpty()
                    || !n.candidates.get(0).endsWith(String.valueOf(n.asset.label())) ? 1 : 0)
                    .thenComparing(n -> n.asset.trackerId()));
            for (AssetNode node : rest) {
                if (node.name == null && !node.rejected) {
                    node.candidates.stream().filter(c -> isFree(c, node)).findFirst()
                            .ifPresentOrElse(c -> claim(node, c), () -> {
                                String holder = owners.get(NameSanitizer.caseKey(node.candidates.get(0)));
                                rejections.node(node, "unique", "name '" + node.candidates.get(0)
                                        + "' is already used in this project by " + describeOwner(holder));
                            });
                }
            }
            for (AssetNode node : level) {
                if (!node.rejected) {
                    placeInTree(node);
                }
            }
        }
    }

    /** Names held by documents this sync does not manage (other tools, retired entities) stay theirs. */
    private void claimForeignNames() {
        for (Document doc : documents.all()) {
            Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
            if (trackerId == null || !nodes.containsKey(trackerId.toString())) {
                owners.putIfAbsent(NameSanitizer.caseKey(doc.getString("name")), "doc:" + doc.getObjectId("_id"));
            }
        }
    }

    private void computeCandidates(AssetNode node) {
        String base = NameSanitizer.sanitize(node.asset.label());
        if (base.isEmpty()) {
            rejections.node(node, "name", "name '" + node.asset.label() + "' has no letters or digits left after"
                    + " sanitising");
            return;
        }
        String parentName = parentName(node);
        if (parentName == null && node.asset.parentTrackerId() != null) {
            rejections.node(node, "parent", "its parent " + node.asset.parentTrackerId() + " was rejected");
            return;
        }
        if (node.asset.prefixParentName() && parentName != null) {
            node.candidates.add(parentName + "_" + base);
        } else {
            node.candidates.add(base);
            if (parentName != null) {
                node.candidates.add(parentName + "_" + base);
            }
        }
    }

    private String parentName(AssetNode node) {
        String parentId = node.asset.parentTrackerId();
        if (parentId == null) {
            return null;
        }
        AssetNode parent = nodes.get(parentId);
        if (parent != null) {
            return parent.rejected && parent.existing == null ? null
                    : parent.name != null ? parent.name : parent.existing.getString("name");
        }
        Document parentDoc = existingByTracker.get(parentId);
        return parentDoc == null ? null : parentDoc.getString("name");
    }

    private boolean isFree(String name, AssetNode node) {
        String owner = owners.get(NameSanitizer.caseKey(name));
        return owner == null || owner.equals(node.asset.trackerId());
    }

    private void claim(AssetNode node, String name) {
        if (!isFree(name, node)) {
            return;
        }
        owners.put(NameSanitizer.caseKey(name), node.asset.trackerId());
        node.name = name;
    }

    private void placeInTree(AssetNode node) {
        node.id = node.existing != null ? node.existing.getObjectId("_id") : new ObjectId();
        String parentId = node.asset.parentTrackerId();
        if (parentId == null) {
            Document root = roots.get(node.asset.silo());
            node.visualParent = root == null ? null : root.getObjectId("_id");
            node.parents = root == null ? List.of() : append(documents.chainOf(root), root.getString("name"));
            return;
        }
        AssetNode parent = nodes.get(parentId);
        if (parent != null) {
            node.visualParent = parent.id;
            node.parents = append(parent.parents, parent.name);
        } else {
            Document parentDoc = existingByTracker.get(parentId);
            node.visualParent = parentDoc.getObjectId("_id");
            node.parents = append(documents.chainOf(parentDoc), parentDoc.getString("name"));
        }
    }

    private String describeOwner(String owner) {
        if (owner == null) {
            return "another document";
        }
        if (owner.startsWith("doc:")) {
            return "document " + owner.substring(4) + " (not from " + identity.source() + ")";
        }
        DesiredAsset other = live.get(owner);
        return other == null ? owner : other.describe();
    }

    private static List<String> append(List<String> list, String item) {
        List<String> result = new ArrayList<>(list);
        result.add(item);
        return result;
    }
}
