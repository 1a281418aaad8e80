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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the assets of a project ({@link ProjectPlanner}): orders the entities parents first, has them named
 * and placed ({@link AssetNaming}), computes every document (tasks by {@link TaskMerge}) so validation sees the whole
 * final state ({@link FinalDocuments}), then validates and plans each write, parents first, and retires what is gone
 * ({@link Retirement}).
 */
final class AssetPass {

    // the planner's logger: the lines keep the name operators filter on
    private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanner.class);

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
    /** OpenPype's Kitsu module's layout ({@link AvalonLayout#OPENPYPE}) and its root folders by silo. */
    private final boolean openpype;
    private final Map<String, Document> roots = new HashMap<>();

    AssetPass(Flavour flavour, AvalonValidator validator, boolean archiveDeletes, DesiredProject desired,
            ExistingProject existing, TrackerIdentity identity, SyncPlan plan, Document project, Set<String> scope,
            boolean openpype) {
        this.openpype = openpype;
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
        this.tasks = new TaskMerge(flavour, identity, rejections, openpype);
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
        if (openpype) {
            rootFolders();
        }
        List<AssetNode> ordered = orderParentsFirst();
        new AssetNaming(nodes, existingByTracker, live, roots, documents, identity, rejections).nameAndPlace(ordered);
        ordered.forEach(this::computeNode);
        ordered.forEach(this::planNode);
        Retirement retirement = new Retirement(identity, desired.label(), plan, documents);
        if (archiveDeletes) {
            retirement.retire(existingByTracker, nodes, scope);
        }
        retirement.repairForeignDescendants(ordered);
        plan.entities(desired.assets().size());
    }

    /**
     * The root folders of OpenPype's Kitsu module: the ones the project has, and the missing ones created first,
     * as that module creates them (plus {@code parent}, which every Avalon reader expects). A name already held
     * by another document is left to it, and that tree stays at the top (logged).
     */
    private void rootFolders() {
        roots.putAll(RootFolders.find(documents.all(), identity));
        for (Map.Entry<String, String> root : RootFolders.NAMES.entrySet()) {
            if (roots.containsKey(root.getKey())) {
                continue;
            }
            String name = root.getValue();
            if (!documents.idsWithName(name).isEmpty()) {
                LOG.warn("{} project '{}': no root folder '{}' is created, another document has that name; the"
                        + " top of the {} tree stays at the top", identity.source(), desired.label(), name, root.getKey());
                continue;
            }
            Document data = new Document("root_of", name)
                    .append("tasks", flavour.tasksAsDict() ? new Document() : new ArrayList<>())
                    .append("visualParent", null).append("parents", new ArrayList<>());
            Document doc = new Document("_id", new ObjectId()).append("schema", flavour.assetSchema())
                    .append("type", "asset").append("name", name).append("parent", projectId);
            if (flavour.usesSilo()) {
                doc.append("silo", root.getKey());
            }
            doc.append("data", data);
            documents.replace(doc.getObjectId("_id"), doc);
            List<Violation> violations = validator.validateAsset(doc, project, documents);
            if (!violations.isEmpty()) {
                documents.replace(doc.getObjectId("_id"), null);
                LOG.warn("{} project '{}': root folder '{}' not created: {}", identity.source(), desired.label(),
                        name, violations);
                continue;
            }
            roots.put(root.getKey(), doc);
            plan.add(new InsertOneModel<>(doc));
            plan.created();
        }
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
        Document data = new Document();
        if (!openpype) {
            data.append("label", asset.label()).append("entityType", asset.entityType());
        }
        data.append("visualParent", node.visualParent).append("parents", node.parents);
        Document projectData = project.get("data", Document.class);
        for (String key : INHERITED_ON_CREATE) {
            if (projectData != null && projectData.get(key) != null) {
                data.put(key, projectData.get(key));
            }
        }
        data.putAll(asset.attributes());
        if (openpype && asset.trackerRecord() != null && identity.recordPath() != null) {
            DocumentChanges.put(data, identity.recordPath(), DocumentChanges.deepCopy(new Document(asset.trackerRecord())));
        }
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
        if (!openpype) {
            changes.set("data.label", asset.label());
            changes.set("data.entityType", asset.entityType());
        } else if (asset.trackerRecord() != null && identity.recordPath() != null) {
            // merged key by key: what the module stored beside the fields read here stays
            asset.trackerRecord().forEach((key, value) -> changes.set("data." + identity.recordPath() + "." + key, value));
        }
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
