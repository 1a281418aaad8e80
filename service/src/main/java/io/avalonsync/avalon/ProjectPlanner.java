package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * Turns what a tracker says about a project into the Avalon writes it needs: the project document,
 * then every asset document parents first, each validated before it is planned. Tracker-neutral: Kitsu
 * and ShotGrid differ only in their {@link TrackerIdentity} and mappers.
 * <p>
 * Rules (SPEC §4, reference avalon.md §9): identity by tracker id; {@code parent} is always the project;
 * the tree is {@code data.visualParent} + {@code data.parents}, recomputed; names are sanitised, unique
 * per project case-insensitively, clashes get the parent's name as prefix, a document keeps the name it
 * already has when that name is still one of its candidates; updates are {@code $set} / {@code $unset}
 * on the keys the tracker owns; other tools' tasks are never dropped; nothing is ever hard-deleted.
 */
public final class ProjectPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanner.class);

    /** Project values an asset inherits when it is created (later changes in Avalon are left alone). */
    private static final List<String> INHERITED_ON_CREATE = List.of("frameStart", "frameEnd", "handleStart",
            "handleEnd", "fps", "resolutionWidth", "resolutionHeight", "pixelAspect", "clipIn", "clipOut");

    private final Flavour flavour;
    private final AvalonValidator validator;
    private final boolean archiveDeletes;

    public ProjectPlanner(Flavour flavour, boolean archiveDeletes) {
        this.flavour = flavour;
        this.validator = new AvalonValidator(flavour);
        this.archiveDeletes = archiveDeletes;
    }

    public Flavour flavour() {
        return flavour;
    }

    /** A full sync: the desired state covers the whole project; entities missing from it are retired. */
    public SyncPlan plan(DesiredProject desired, ExistingProject existing, TrackerIdentity identity) {
        return plan(desired, existing, identity, null);
    }

    /**
     * @param scope null for a full sync; for an event, the tracker ids it is about: only those may be
     *              retired, every other document is left as it is
     */
    public SyncPlan plan(DesiredProject desired, ExistingProject existing, TrackerIdentity identity, Set<String> scope) {
        SyncPlan plan = new SyncPlan(identity.source(), desired.label(), existing.collection());
        plan.entities(desired.assets().size());
        Document project = planProject(desired, existing, identity, plan);
        if (project == null) {
            return plan;
        }
        new AssetPass(desired, existing, identity, plan, project, scope).run();
        return plan;
    }

    // ---------------------------------------------------------------- project document

    private Document planProject(DesiredProject desired, ExistingProject existing, TrackerIdentity identity,
            SyncPlan plan) {
        Document project;
        DocumentChanges changes = null;
        if (existing.project() == null) {
            Document data = flavour.newProjectData();
            data.putAll(desired.attributes());
            if (!hasCode(data)) {
                data.put("code", derivedCode(desired.label(), existing.collection()));
            }
            data.put("label", desired.label());
            identity.projectIdentity(desired.trackerId()).forEach((path, value) -> DocumentChanges.put(data, path, value));
            Document config = flavour.newProjectConfig();
            project = new Document("_id", new ObjectId())
                    .append("type", "project")
                    .append("name", existing.collection())
                    .append("schema", flavour.projectSchema())
                    .append("data", data)
                    .append("config", config);
            if (flavour == Flavour.AVALON_CORE) {
                project.append("parent", null);
            }
            Document fresh = project;
            DocumentChanges configChanges = new DocumentChanges(fresh);
            mergeTaskTypes(fresh, configChanges, desired.taskTypes());
            project = configChanges.applied();
        } else {
            changes = new DocumentChanges(existing.project());
            changes.set("data.label", desired.label());
            for (Map.Entry<String, Object> attribute : desired.attributes().entrySet()) {
                changes.set("data." + attribute.getKey(), attribute.getValue());
            }
            // no code in the tracker: the one already written stays (published file names carry it), else derive
            if (!hasCode(desired.attributes()) && !(TrackerIdentity.read(existing.project(), "data") instanceof Document data
                    && hasCode(data))) {
                changes.set("data.code", derivedCode(desired.label(), existing.collection()));
            }
            DocumentChanges identityChanges = changes;
            identity.projectIdentity(desired.trackerId()).forEach((path, value) -> identityChanges.set("data." + path, value));
            mergeTaskTypes(existing.project(), changes, desired.taskTypes());
            project = changes.applied();
        }
        List<Violation> violations = validator.validateProject(project);
        if (!violations.isEmpty()) {
            String reason = violations.toString();
            LOG.error("rejected: {} project '{}' ({}) -> Avalon project '{}': {}; nothing of this project is written",
                    identity.source(), desired.label(), desired.trackerId(), existing.collection(), reason);
            plan.failProject(reason);
            return null;
        }
        if (changes == null) {
            plan.add(new InsertOneModel<>(project));
            plan.created();
        } else if (changes.isEmpty()) {
            plan.unchanged();
        } else {
            plan.add(new UpdateOneModel<>(Filters.eq("_id", project.get("_id")), changes.toUpdate()));
            plan.updated();
        }
        return project;
    }

    private static boolean hasCode(Map<String, Object> data) {
        return data.get("code") instanceof String code && !code.isBlank();
    }

    /**
     * The project code when the tracker has none: the name in lower case with spaces as {@code _}, as OpenPype's
     * Kitsu module made it, and sanitised (accents folded, other characters {@code _}) since templates put it in
     * every published file name ({@code {project[code]}}). Deterministic; written once, then kept.
     */
    static String derivedCode(String label, String collection) {
        String code = NameSanitizer.sanitize(label == null ? "" : label).toLowerCase(Locale.ROOT);
        return code.isEmpty() ? collection.toLowerCase(Locale.ROOT) : code;
    }

    /** Adds the tracker's task types to config.tasks; entries other tools added stay. */
    private void mergeTaskTypes(Document project, DocumentChanges changes, List<TaskType> taskTypes) {
        Object tasks = TrackerIdentity.read(project, "config.tasks");
        if (flavour.tasksAsDict()) {
            boolean missing = !(tasks instanceof Document);
            Document current = missing ? new Document() : (Document) tasks;
            for (TaskType type : taskTypes) {
                String key = NameSanitizer.sanitize(type.name());
                if (key.isEmpty()) {
                    continue;
                }
                String shortName = type.shortName() == null || type.shortName().isBlank()
                        ? key.toLowerCase(Locale.ROOT) : type.shortName();
                if (missing) {
                    current.put(key, new Document("short_name", shortName));
                } else if (current.get(key) instanceof Document entry) {
                    if (!shortName.equals(entry.get("short_name"))) {
                        changes.set("config.tasks." + key + ".short_name", shortName);
                    }
                } else {
                    changes.set("config.tasks." + key, new Document("short_name", shortName));
                }
            }
            if (missing) {
                // one $set of the whole dict: a parent path and its children in one update is refused by MongoDB
                changes.set("config.tasks", current);
            }
        } else {
            List<Object> current = tasks instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            List<Object> merged = new ArrayList<>(current);
            for (TaskType type : taskTypes) {
                String name = NameSanitizer.sanitize(type.name());
                if (name.isEmpty()) {
                    continue;
                }
                boolean present = merged.stream().anyMatch(
                        item -> item instanceof Document d && name.equalsIgnoreCase(String.valueOf(d.get("name"))));
                if (!present) {
                    merged.add(new Document("name", name).append("label", type.name()));
                }
            }
            if (!merged.equals(current) || !(tasks instanceof List)) {
                changes.set("config.tasks", merged);
            }
        }
    }

    // ---------------------------------------------------------------- asset documents

    /** One pass over the assets of a project; holds the working state of the plan. */
    private final class AssetPass implements AssetLookup {

        private final DesiredProject desired;
        private final TrackerIdentity identity;
        private final SyncPlan plan;
        private final Document project;
        private final ObjectId projectId;

        private final Map<String, Document> existingByTracker = new HashMap<>();
        private final Map<ObjectId, Document> finalById = new LinkedHashMap<>();
        private final Map<String, Set<ObjectId>> idsByName = new HashMap<>();
        private final Map<String, DesiredAsset> live = new LinkedHashMap<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, String> nameOwners = new HashMap<>();
        private final Map<String, Integer> depths = new HashMap<>();
        private final Set<String> scope;

        AssetPass(DesiredProject desired, ExistingProject existing, TrackerIdentity identity, SyncPlan plan,
                Document project, Set<String> scope) {
            this.scope = scope;
            this.desired = desired;
            this.identity = identity;
            this.plan = plan;
            this.project = project;
            this.projectId = project.getObjectId("_id");
            for (Document doc : existing.assets()) {
                finalById.put(doc.getObjectId("_id"), doc);
                Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
                if (trackerId != null) {
                    existingByTracker.putIfAbsent(trackerId.toString(), doc);
                }
            }
            for (DesiredAsset asset : desired.assets()) {
                if (!asset.retired() && live.putIfAbsent(asset.trackerId(), asset) != null) {
                    reject(asset, "unique", "the tracker listed this id twice; the first one is used");
                }
            }
        }

        void run() {
            List<Node> ordered = orderParentsFirst();
            claimForeignNames();
            assignNames(ordered);
            finalById.values().forEach(this::indexName);
            ordered.forEach(this::computeNode);
            ordered.forEach(this::planNode);
            retire();
            repairForeignDescendants(ordered);
            plan.entities(desired.assets().size());
        }

        /** Live entities sorted by depth; entities whose parent is nowhere are rejected here. */
        private List<Node> orderParentsFirst() {
            List<Node> ordered = new ArrayList<>();
            for (DesiredAsset asset : live.values()) {
                int depth = depth(asset, new HashSet<>());
                if (depth < 0) {
                    continue;
                }
                Node node = new Node(asset, depth, existingByTracker.get(asset.trackerId()));
                nodes.put(asset.trackerId(), node);
                ordered.add(node);
            }
            ordered.sort(Comparator.comparingInt((Node n) -> n.depth).thenComparing(n -> n.asset.trackerId()));
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
                reject(asset, "cycle", "its parent chain loops back to itself");
                depth = -1;
            } else if (live.containsKey(asset.parentTrackerId())) {
                DesiredAsset parent = live.get(asset.parentTrackerId());
                int parentDepth = depth(parent, seen);
                if (parentDepth < 0) {
                    reject(asset, "parent", "its parent " + parent.describe() + " was rejected");
                }
                depth = parentDepth < 0 ? -1 : parentDepth + 1;
            } else if (existingByTracker.containsKey(asset.parentTrackerId())) {
                depth = 1;
            } else {
                reject(asset, "parent", "its parent " + asset.parentTrackerId() + " is neither in "
                        + identity.source() + " nor in Avalon");
                depth = -1;
            }
            depths.put(asset.trackerId(), depth);
            return depth;
        }

        /** Names held by documents this sync does not manage (other tools, retired entities) stay theirs. */
        private void claimForeignNames() {
            for (Document doc : finalById.values()) {
                Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
                if (trackerId == null || !nodes.containsKey(trackerId.toString())) {
                    nameOwners.putIfAbsent(lower(doc.getString("name")), "doc:" + doc.getObjectId("_id"));
                }
            }
        }

        private void assignNames(List<Node> ordered) {
            int index = 0;
            while (index < ordered.size()) {
                int depth = ordered.get(index).depth;
                List<Node> level = new ArrayList<>();
                while (index < ordered.size() && ordered.get(index).depth == depth) {
                    level.add(ordered.get(index++));
                }
                level.forEach(this::computeCandidates);
                // documents that already carry one of their candidate names keep it, then the rest
                for (Node node : level) {
                    if (node.existing != null && node.candidates.contains(node.existing.getString("name"))) {
                        claim(node, node.existing.getString("name"));
                    }
                }
                // then the rest: an entity already named exactly like the candidate first ("Teacup" before
                // "Teacup!"), then by tracker id, so the same input always gives the same names
                List<Node> rest = new ArrayList<>(level);
                rest.sort(Comparator.comparingInt((Node n) -> n.candidates.isEmpty()
                        || !n.candidates.get(0).endsWith(String.valueOf(n.asset.label())) ? 1 : 0)
                        .thenComparing(n -> n.asset.trackerId()));
                for (Node node : rest) {
                    if (node.name == null && !node.rejected) {
                        node.candidates.stream().filter(c -> isFree(c, node)).findFirst()
                                .ifPresentOrElse(c -> claim(node, c), () -> {
                                    String holder = nameOwners.get(lower(node.candidates.get(0)));
                                    rejectNode(node, "unique", "name '" + node.candidates.get(0)
                                            + "' is already used in this project by " + describeOwner(holder));
                                });
                    }
                }
                for (Node node : level) {
                    if (!node.rejected) {
                        placeInTree(node);
                    }
                }
            }
        }

        private void computeCandidates(Node node) {
            String base = NameSanitizer.sanitize(node.asset.label());
            if (base.isEmpty()) {
                rejectNode(node, "name", "name '" + node.asset.label() + "' has no letters or digits left after"
                        + " sanitising");
                return;
            }
            String parentName = parentName(node);
            if (parentName == null && node.asset.parentTrackerId() != null) {
                rejectNode(node, "parent", "its parent " + node.asset.parentTrackerId() + " was rejected");
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

        private String parentName(Node node) {
            String parentId = node.asset.parentTrackerId();
            if (parentId == null) {
                return null;
            }
            Node parent = nodes.get(parentId);
            if (parent != null) {
                return parent.rejected && parent.existing == null ? null
                        : parent.name != null ? parent.name : parent.existing.getString("name");
            }
            Document parentDoc = existingByTracker.get(parentId);
            return parentDoc == null ? null : parentDoc.getString("name");
        }

        private boolean isFree(String name, Node node) {
            String owner = nameOwners.get(lower(name));
            return owner == null || owner.equals(node.asset.trackerId());
        }

        private void claim(Node node, String name) {
            if (!isFree(name, node)) {
                return;
            }
            nameOwners.put(lower(name), node.asset.trackerId());
            node.name = name;
        }

        private void placeInTree(Node node) {
            node.id = node.existing != null ? node.existing.getObjectId("_id") : new ObjectId();
            String parentId = node.asset.parentTrackerId();
            if (parentId == null) {
                node.visualParent = null;
                node.parents = List.of();
                return;
            }
            Node parent = nodes.get(parentId);
            if (parent != null) {
                node.visualParent = parent.id;
                node.parents = append(parent.parents, parent.name);
            } else {
                Document parentDoc = existingByTracker.get(parentId);
                node.visualParent = parentDoc.getObjectId("_id");
                node.parents = append(chainOf(parentDoc), parentDoc.getString("name"));
            }
        }

        /** Names of the visualParent chain of a document as it stands (root first). */
        private List<String> chainOf(Document doc) {
            List<String> chain = new ArrayList<>();
            Set<ObjectId> seen = new HashSet<>();
            Object parent = TrackerIdentity.read(doc, "data.visualParent");
            while (parent instanceof ObjectId parentId && seen.add(parentId)) {
                Document parentDoc = finalById.get(parentId);
                if (parentDoc == null) {
                    break;
                }
                chain.add(0, parentDoc.getString("name"));
                parent = TrackerIdentity.read(parentDoc, "data.visualParent");
            }
            return chain;
        }

        /** Phase one: the document each entity will have, so validation sees the whole final state. */
        private void computeNode(Node node) {
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
            replaceFinal(node.id, node.planned);
        }

        /** Phase two, parents first: validate and emit the write, or reject (children then follow). */
        private void planNode(Node node) {
            if (node.rejected || node.planned == null) {
                return;
            }
            if (node.visualParent != null && byId(node.visualParent) == null) {
                replaceFinal(node.id, node.existing);
                rejectNode(node, "visual-parent", "its parent document " + node.visualParent + " was rejected");
                return;
            }
            List<Violation> violations = validator.validateAsset(node.planned, project, this);
            if (!violations.isEmpty()) {
                replaceFinal(node.id, node.existing);
                rejectNode(node, violations.get(0).rule(), violations.toString());
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

        private Document newAssetDocument(Node node) {
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
            data.put("tasks", flavour.tasksAsDict() ? taskDict(node) : taskList(node, List.of(), List.of()));
            if (!flavour.tasksAsDict()) {
                DocumentChanges.put(data, identity.ownedTaskNamesPath(), new ArrayList<>(taskKeys(node).keySet()));
            }
            identity.assetIdentity(asset.trackerId(), asset.trackerType())
                    .forEach((path, value) -> DocumentChanges.put(data, path, value));
            Document doc = new Document("_id", node.id).append("schema", flavour.assetSchema())
                    .append("type", "asset").append("name", node.name).append("parent", projectId);
            if (flavour.usesSilo() && asset.silo() != null) {
                doc.append("silo", asset.silo());
            }
            return doc.append("data", data);
        }

        private DocumentChanges updateOf(Node node) {
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
                if (flavour.tasksAsDict()) {
                    mergeTaskDict(node, changes);
                } else {
                    mergeTaskList(node, changes);
                }
            }
            return changes;
        }

        // ------------------------------------------------------------ tasks

        /** Task key -> task; "main" tasks are named after their type, others {@code <type>_<name>}. */
        private Map<String, DesiredTask> taskKeys(Node node) {
            Map<String, DesiredTask> keys = new LinkedHashMap<>();
            if (node.asset.tasks() == null) {
                return keys;
            }
            for (DesiredTask task : node.asset.tasks()) {
                String type = NameSanitizer.sanitize(task.type());
                boolean main = task.name() == null || task.name().isBlank() || task.name().equalsIgnoreCase("main");
                // list-shaped tasks are task type names (they must be config.tasks names): one entry per type
                String key = main || !flavour.tasksAsDict() ? type : NameSanitizer.sanitize(task.type() + "_" + task.name());
                if (task.key() != null && flavour.tasksAsDict()) {
                    key = NameSanitizer.sanitize(task.key()); // the tracker names its tasks itself
                }
                if (type.isEmpty() || key.isEmpty()) {
                    rejectTask(node, task, "task type '" + task.type() + "' has no letters or digits");
                } else if (!flavour.tasksAsDict() && keys.containsKey(key)) {
                    continue;
                } else if (keys.keySet().stream().anyMatch(key::equalsIgnoreCase)) {
                    rejectTask(node, task, "task name '" + key + "' is already used by another task of this entity");
                } else {
                    keys.put(key, task);
                }
            }
            return keys;
        }

        private Document taskEntry(DesiredTask task) {
            Document entry = new Document("type", NameSanitizer.sanitize(task.type()));
            if (task.status() != null) {
                entry.put("status", task.status());
            }
            identity.taskIdentity(task.trackerId()).forEach((path, value) -> DocumentChanges.put(entry, path, value));
            return entry;
        }

        private Document taskDict(Node node) {
            Document tasks = new Document();
            taskKeys(node).forEach((key, task) -> tasks.put(key, taskEntry(task)));
            return tasks;
        }

        private void mergeTaskDict(Node node, DocumentChanges changes) {
            Object current = TrackerIdentity.read(node.existing, "data.tasks");
            Map<String, DesiredTask> keys = taskKeys(node);
            if (current == null) {
                changes.set("data.tasks", taskDict(node));
                return;
            }
            if (!(current instanceof Document existingTasks)) {
                return; // another tool wrote a list here; the validator reports it and nothing is overwritten
            }
            keys.forEach((key, task) -> {
                Document entry = taskEntry(task);
                if (existingTasks.get(key) instanceof Document) {
                    entry.forEach((field, value) -> {
                        if (value instanceof Document nested) {
                            nested.forEach((sub, subValue) -> changes.set("data.tasks." + key + "." + field + "." + sub, subValue));
                        } else {
                            changes.set("data.tasks." + key + "." + field, value);
                        }
                    });
                } else {
                    changes.set("data.tasks." + key, entry);
                }
            });
            existingTasks.forEach((key, value) -> {
                if (value instanceof Document entry) {
                    String taskId = identity.taskIdOf(entry);
                    // ours and no longer wanted under this key (deleted, or its type changed)
                    if (taskId != null && !keys.containsKey(key)) {
                        changes.unset("data.tasks." + key);
                    }
                }
            });
        }

        private List<String> taskList(Node node, List<?> current, List<?> owned) {
            List<String> result = new ArrayList<>();
            Set<String> ownedLower = new HashSet<>();
            owned.forEach(name -> ownedLower.add(lower(String.valueOf(name))));
            for (Object name : current) {
                if (name instanceof String s && !ownedLower.contains(lower(s))) {
                    result.add(s);
                }
            }
            for (String key : taskKeys(node).keySet()) {
                if (result.stream().noneMatch(key::equalsIgnoreCase)) {
                    result.add(key);
                }
            }
            return result;
        }

        private void mergeTaskList(Node node, DocumentChanges changes) {
            Object current = TrackerIdentity.read(node.existing, "data.tasks");
            Object owned = TrackerIdentity.read(node.existing, "data." + identity.ownedTaskNamesPath());
            if (current != null && !(current instanceof List)) {
                return;
            }
            changes.set("data.tasks", taskList(node, current == null ? List.of() : (List<?>) current,
                    owned instanceof List<?> l ? l : List.of()));
            changes.set("data." + identity.ownedTaskNamesPath(), new ArrayList<>(taskKeys(node).keySet()));
        }

        // ------------------------------------------------------------ deletes and foreign descendants

        /** Entities gone from the tracker or canceled: kept, or archived with sync.deletes=archive. */
        private void retire() {
            if (!archiveDeletes) {
                return;
            }
            Set<String> retiring = new HashSet<>();
            for (String trackerId : existingByTracker.keySet()) {
                if (!nodes.containsKey(trackerId) && (scope == null || scope.contains(trackerId))) {
                    retiring.add(trackerId);
                }
            }
            // parents of anything that stays visible: entities of this sync, other tools' documents, and
            // (for an event) every document the event is not about
            Set<ObjectId> liveParents = new HashSet<>();
            nodes.values().stream().filter(n -> !n.rejected && n.visualParent != null).forEach(n -> liveParents.add(n.visualParent));
            for (Document doc : finalById.values()) {
                Object trackerId = TrackerIdentity.read(doc, identity.assetIdPath());
                boolean staying = trackerId == null || !retiring.contains(trackerId.toString());
                if (staying && "asset".equals(doc.getString("type"))
                        && TrackerIdentity.read(doc, "data.visualParent") instanceof ObjectId parent) {
                    liveParents.add(parent);
                }
            }
            for (Map.Entry<String, Document> entry : existingByTracker.entrySet()) {
                if (!retiring.contains(entry.getKey())) {
                    continue;
                }
                Document doc = entry.getValue();
                if (liveParents.contains(doc.getObjectId("_id"))) {
                    // archiving it would hide its live children from every Avalon tree view
                    if ("asset".equals(doc.getString("type"))) {
                        LOG.warn("not archived: {} project '{}' asset '{}' ({}) is gone or canceled in {} but still has"
                                + " live children", identity.source(), desired.label(), doc.getString("name"),
                                entry.getKey(), identity.source());
                    }
                    continue;
                }
                if ("asset".equals(doc.getString("type"))) {
                    plan.add(new UpdateOneModel<>(Filters.eq("_id", doc.getObjectId("_id")),
                            new Document("$set", new Document("type", "archived_asset"))));
                    plan.archived();
                    LOG.info("archived: {} project '{}' asset '{}' ({}) is gone or canceled in {}", identity.source(),
                            desired.label(), doc.getString("name"), entry.getKey(), identity.source());
                }
            }
        }

        /** Documents of other tools below a renamed or moved entity get their data.parents recomputed. */
        private void repairForeignDescendants(List<Node> ordered) {
            Set<ObjectId> moved = new HashSet<>();
            ordered.stream().filter(n -> n.moved).forEach(n -> moved.add(n.id));
            if (moved.isEmpty()) {
                return;
            }
            Set<ObjectId> managed = new HashSet<>();
            ordered.forEach(n -> managed.add(n.id));
            for (Document doc : new ArrayList<>(finalById.values())) {
                ObjectId id = doc.getObjectId("_id");
                if (managed.contains(id) || !passesThrough(doc, moved)) {
                    continue;
                }
                List<String> chain = chainOf(doc);
                DocumentChanges changes = new DocumentChanges(doc).set("data.parents", chain);
                if (!changes.isEmpty()) {
                    plan.add(new UpdateOneModel<>(Filters.eq("_id", id), changes.toUpdate()));
                    plan.updated();
                }
            }
        }

        private boolean passesThrough(Document doc, Set<ObjectId> moved) {
            Set<ObjectId> seen = new HashSet<>();
            Object parent = TrackerIdentity.read(doc, "data.visualParent");
            while (parent instanceof ObjectId parentId && seen.add(parentId)) {
                if (moved.contains(parentId)) {
                    return true;
                }
                Document parentDoc = finalById.get(parentId);
                parent = parentDoc == null ? null : TrackerIdentity.read(parentDoc, "data.visualParent");
            }
            return false;
        }

        // ------------------------------------------------------------ lookup of the final state

        @Override
        public Document byId(ObjectId id) {
            return finalById.get(id);
        }

        @Override
        public List<ObjectId> idsWithName(String name) {
            return new ArrayList<>(idsByName.getOrDefault(lower(name), Set.of()));
        }

        private void replaceFinal(ObjectId id, Document doc) {
            Document previous = finalById.remove(id);
            if (previous != null) {
                Set<ObjectId> ids = idsByName.get(lower(previous.getString("name")));
                if (ids != null) {
                    ids.remove(id);
                }
            }
            if (doc != null) {
                finalById.put(id, doc);
                indexName(doc);
            }
        }

        private void indexName(Document doc) {
            idsByName.computeIfAbsent(lower(doc.getString("name")), k -> new HashSet<>()).add(doc.getObjectId("_id"));
        }

        // ------------------------------------------------------------ rejections

        private void reject(DesiredAsset asset, String rule, String message) {
            String line = String.format("%s project '%s': %s rejected, %s: %s", identity.source(), desired.label(),
                    asset.describe(), rule, message);
            LOG.warn("rejected: {}", line);
            plan.reject(line);
        }

        private void rejectNode(Node node, String rule, String message) {
            node.rejected = true;
            reject(node.asset, rule, message);
        }

        private void rejectTask(Node node, DesiredTask task, String message) {
            String line = String.format("%s project '%s': task %s (%s) of %s rejected, tasks: %s", identity.source(),
                    desired.label(), task.name(), task.trackerId(), node.asset.describe(), message);
            if (node.taskRejectionsLogged.add(task.trackerId())) {
                LOG.warn("rejected: {}", line);
                plan.reject(line);
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
    }

    private static String lower(String name) {
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    private static List<String> append(List<String> list, String item) {
        List<String> result = new ArrayList<>(list);
        result.add(item);
        return result;
    }

    /** Working state of one entity during planning. */
    private static final class Node {
        final DesiredAsset asset;
        final int depth;
        final Document existing;
        final List<String> candidates = new ArrayList<>();
        final Set<String> taskRejectionsLogged = new HashSet<>();
        String name;
        ObjectId id;
        ObjectId visualParent;
        List<String> parents = List.of();
        boolean rejected;
        boolean moved;
        Document planned;
        DocumentChanges changes;

        Node(DesiredAsset asset, int depth, Document existing) {
            this.asset = asset;
            this.depth = depth;
            this.existing = existing;
        }
    }
}
