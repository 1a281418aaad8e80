package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One pass over the assets of a project ({@link ProjectPlanner}): orders the entities parents first, has them named
 * and placed ({@link AssetNaming}), computes every document (tasks by {@link TaskMerge}) so validation sees the whole
 * final state ({@link FinalDocuments}), then validates and plans each write, parents first, and retires what is gone
 * ({@link Retirement}).
 */
final class AssetPass {

    /** Project values an asset inherits when it is created (later changes in Avalon are left alone). */
    private static final List<String> INHERITED_ON_CREATE = List.of("frameStart", "frameEnd", "handleStart",
            "handleEnd", "fps", "resolutionWidth", "resolutionHeight", "pixelAspect", "clipIn", "clipOut");

    private final Flavour flavour;
    private final AvalonValidator validator;
    private final boolean archiveDeletes;
    private final DesiredProject desired;
    private final TrackerIdentity identity;
    private final SyncPlan plan;
    private final Document project;
    private final ObjectId projectId;
    private final Set<String> scope;

    private final FinalDocuments documents;
    private final Rejections rejections;
    private final TaskMerge tasks;
    private final Map<String, Document> existingByTracker = new HashMap<>();
    private final Map<String, DesiredAsset> live = new LinkedHashMap<>();
    private final Map<String, AssetNode> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();

    AssetPass(Flavour flavour, AvalonValidator validator, boolean archiveDeletes, DesiredProject desired,
            ExistingProject existing, TrackerIdentity identity, SyncPlan plan, Document project, Set<String> scope) {
        this.flavour = flavour;
        this.validator = validator;
        this.archiveDeletes = archiveDeletes;
        this.desired = desired;
        this.identity = identity;
        this.plan = plan;
        this.project = project;
        this.projectId = project.getObjectId("_id");
        this.scope = scope;
        this.documents = new FinalDocuments(existing.assets());
        this.rejections = new Rejections(identity, desired.label(), plan);
        this.tasks = new TaskMerge(flavour, identity, rejections);
        for (Document doc : existing.assets()) {
            Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
            if (trackerId != null) {
                existingByTracker.putIfAbsent(trackerId.toString(), doc);
            }
        }
        for (DesiredAsset asset : desired.assets()) {
            if (!asset.retired() && live.putIfAbsent(asset.trackerId(), asset) != null) {
                rejections.asset(asset, "unique", "the tracker listed this id twice; the first one is used");
            }
        }
    }

    void run() {
        List<AssetNode> ordered = orderParentsFirst();
        new AssetNaming(nodes, existingByTracker, live, documents, identity, rejections).nameAndPlace(ordered);
        ordered.forEach(this::computeNode);
        ordered.forEach(this::planNode);
        Retirement retirement = new Retirement(identity, desired.label(), plan, documents);
        if (archiveDeletes) {
            retirement.retire(existingByTracker, nodes, scope);
        }
        retirement.repairForeignDescendants(ordered);
        plan.entities(desired.assets().size());
    }

    /** Live entities sorted by depth; entities whose parent is nowhere are rejected here. */
    private List<AssetNode> orderParentsFirst() {
        List<AssetNode> ordered = new ArrayList<>();
        for (DesiredAsset asset : live.values()) {
            int depth = depth(asset, new HashSet<>());
            if (depth < 0) {
                continue;
            }
            AssetNode node = new AssetNode(asset, depth, existingByTracker.get(asset.trackerId()));
            nodes.put(asset.trackerId(), node);
            ordered.add(node);
        }
        ordered.sort(Comparator.comparingInt((AssetNode n) -> n.depth).thenComparing(n -> n.asset.trackerId()));
        return ordered;
    }

    private int depth(DesiredAsset asset, Set<String> seen) {
        Integer known = depths.get(asset.trackerId());
        if (known != null) {
            return known;
        }
        int depth;
        if (asset.parentTrackerId() == null) {
            depth = 0;
        } else if (!seen.add(asset.trackerId())) {
            rejections.asset(asset, "cycle", "its parent chain loops back to itself");
            depth = -1;
        } else if (live.containsKey(asset.parentTrackerId())) {
            DesiredAsset parent = live.get(asset.parentTrackerId());
            int parentDepth = depth(parent, seen);
            if (parentDepth < 0) {
                rejections.asset(asset, "parent", "its parent " + parent.describe() + " was rejected");
            }
            depth = parentDepth < 0 ? -1 : parentDepth + 1;
        } else if (existingByTracker.containsKey(asset.parentTrackerId())) {
            depth = 1;
        } else {
            rejections.asset(asset, "parent", "its parent " + asset.parentTrackerId() + " is neither in "
                    + identity.source() + " nor in Avalon");
            depth = -1;
        }
        depths.put(asset.trackerId(), depth);
        return depth;
    }

    /** Phase one: the document each entity will have, so validation sees the whole final state. */
    private void computeNode(AssetNode node) {
        if (node.rejected || node.name == null) {
            return;
        }
        if (node.existing == null) {
            node.changes = null;
            node.planned = newAssetDocument(node);
        } else {
            node.changes = updateOf(node);
            node.planned = node.changes.applied();
        }
        documents.replace(node.id, node.planned);
    }

    /** Phase two, parents first: validate and emit the write, or reject (children then follow). */
    private void planNode(AssetNode node) {
        if (node.rejected || node.planned == null) {
            return;
        }
        if (node.visualParent != null && documents.byId(node.visualParent) == null) {
            documents.replace(node.id, node.existing);
            rejections.node(node, "visual-parent", "its parent document " + node.visualParent + " was rejected");
            return;
        }
        List<Violation> violations = validator.validateAsset(node.planned, project, documents);
        if (!violations.isEmpty()) {
            documents.replace(node.id, node.existing);
            rejections.node(node, violations.get(0).rule(), violations.toString());
            return;
        }
        DocumentChanges changes = node.changes;
        if (changes == null) {
            plan.add(new InsertOneModel<>(node.planned));
            plan.created();
        } else if (changes.isEmpty()) {
            plan.unchanged();
        } else {
            plan.add(new UpdateOneModel<>(Filters.eq("_id", node.id), changes.toUpdate()));
            if ("archived_asset".equals(node.existing.getString("type"))) {
                plan.restored();
            }
            plan.updated();
            node.moved = !node.name.equals(node.existing.getString("name"))
                    || !DocumentChanges.sameValue(node.visualParent,
                            TrackerIdentity.read(node.existing, "data.visualParent"));
        }
    }

    private Document newAssetDocument(AssetNode node) {
        DesiredAsset asset = node.asset;
        Document data = new Document("label", asset.label()).append("entityType", asset.entityType())
                .append("visualParent", node.visualParent).append("parents", node.parents);
        Document projectData = project.get("data", Document.class);
        for (String key : INHERITED_ON_CREATE) {
            if (projectData != null && projectData.get(key) != null) {
                data.put(key, projectData.get(key));
            }
        }
        data.putAll(asset.attributes());
        tasks.intoNew(node, data);
        identity.assetIdentity(asset.trackerId(), asset.trackerType())
                .forEach((path, value) -> DocumentChanges.put(data, path, value));
        Document doc = new Document("_id", node.id).append("schema", flavour.assetSchema())
                .append("type", "asset").append("name", node.name).append("parent", projectId);
        if (flavour.usesSilo() && asset.silo() != null) {
            doc.append("silo", asset.silo());
        }
        return doc.append("data", data);
    }

    private DocumentChanges updateOf(AssetNode node) {
        DesiredAsset asset = node.asset;
        Document existing = node.existing;
        DocumentChanges changes = new DocumentChanges(existing);
        changes.set("type", "asset");
        changes.set("name", node.name);
        changes.set("parent", projectId);
        if (flavour.usesSilo() && asset.silo() != null && existing.get("silo") == null) {
            changes.set("silo", asset.silo());
        }
        changes.set("data.label", asset.label());
        changes.set("data.entityType", asset.entityType());
        changes.set("data.visualParent", node.visualParent);
        changes.set("data.parents", node.parents);
        asset.attributes().forEach((key, value) -> changes.set("data." + key, value));
        identity.assetIdentity(asset.trackerId(), asset.trackerType())
                .forEach((path, value) -> changes.set("data." + path, value));
        if (asset.tasks() != null) {
            tasks.merge(node, changes);
        }
        return changes;
    }
}
