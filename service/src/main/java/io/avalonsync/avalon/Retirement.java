package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a project's pass leaves behind it: entities gone from the tracker (archived with {@code sync.deletes=archive},
 * never deleted: README "What it writes", Deletes), and other tools' documents below a renamed or moved entity, whose
 * {@code data.parents} must follow.
 */
final class Retirement {

    // the planner's logger: the lines keep the name operators filter on
    private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanner.class);

    private final TrackerIdentity identity;
    private final String projectLabel;
    private final SyncPlan plan;
    private final FinalDocuments documents;

    Retirement(TrackerIdentity identity, String projectLabel, SyncPlan plan, FinalDocuments documents) {
        this.identity = identity;
        this.projectLabel = projectLabel;
        this.plan = plan;
        this.documents = documents;
    }

    /**
     * Entities gone from the tracker or canceled: archived, unless something visible still hangs below them.
     *
     * @param scope null for a full sync; for an event, the tracker ids it is about (only those may be retired)
     */
    void retire(Map<String, Document> existingByTracker, Map<String, AssetNode> nodes, Set<String> scope) {
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
        for (Document doc : documents.all()) {
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
                            + " live children", identity.source(), projectLabel, doc.getString("name"),
                            entry.getKey(), identity.source());
                }
                continue;
            }
            if ("asset".equals(doc.getString("type"))) {
                plan.add(new UpdateOneModel<>(Filters.eq("_id", doc.getObjectId("_id")),
                        new Document("$set", new Document("type", "archived_asset"))));
                plan.archived();
                LOG.info("archived: {} project '{}' asset '{}' ({}) is gone or canceled in {}", identity.source(),
                        projectLabel, doc.getString("name"), entry.getKey(), identity.source());
            }
        }
    }

    /** Documents of other tools below a renamed or moved entity get their data.parents recomputed. */
    void repairForeignDescendants(List<AssetNode> ordered) {
        Set<ObjectId> moved = new HashSet<>();
        ordered.stream().filter(n -> n.moved).forEach(n -> moved.add(n.id));
        if (moved.isEmpty()) {
            return;
        }
        Set<ObjectId> managed = new HashSet<>();
        ordered.forEach(n -> managed.add(n.id));
        for (Document doc : new ArrayList<>(documents.all())) {
            ObjectId id = doc.getObjectId("_id");
            if (managed.contains(id) || !documents.below(doc, moved)) {
                continue;
            }
            List<String> chain = documents.chainOf(doc);
            DocumentChanges changes = new DocumentChanges(doc).set("data.parents", chain);
            if (!changes.isEmpty()) {
                plan.add(new UpdateOneModel<>(Filters.eq("_id", id), changes.toUpdate()));
                plan.updated();
            }
        }
    }
}
