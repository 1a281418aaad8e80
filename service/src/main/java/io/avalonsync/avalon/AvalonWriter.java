package io.avalonsync.avalon;

import java.util.List;

import com.mongodb.client.model.WriteModel;
import io.avalonsync.sync.Progress;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * The Avalon side of a sync step for one tracker: reads the project's current documents, plans the
 * writes and hands them to the route's MongoDB bulkWrite endpoint (collection in the header).
 */
public final class AvalonWriter {

    /** camel-mongodb's dynamic database and collection headers. */
    public static final String DATABASE_HEADER = "CamelMongoDbDatabase";
    public static final String COLLECTION_HEADER = "CamelMongoDbCollection";
    /** Exchange property of a dry run ({@code sync-once --dry-run}): plan and print, write nothing at all. */
    public static final String DRY_RUN = "syncDryRun";
    private static final String EXISTING = "avalonExisting";

    private final AvalonProjects projects;
    private final ProjectPlanner planner;
    private final TrackerIdentity identity;
    private final AvalonLayout layout;

    public AvalonWriter(AvalonProjects projects, ProjectPlanner planner, TrackerIdentity identity) {
        this(projects, planner, identity, AvalonLayout.AVALON_SYNC);
    }

    /** @param layout the tracker's layout setting ({@code kitsu.layout}) */
    public AvalonWriter(AvalonProjects projects, ProjectPlanner planner, TrackerIdentity identity, AvalonLayout layout) {
        this.projects = projects;
        this.planner = planner;
        this.identity = identity;
        this.layout = layout;
    }

    /** Body in: a {@link DesiredProject}; body out: the ordered writes (maybe none). */
    public List<WriteModel<Document>> plan(Exchange exchange) throws Exception {
        DesiredProject desired = exchange.getMessage().getMandatoryBody(DesiredProject.class);
        boolean dryRun = exchange.getProperty(DRY_RUN, false, Boolean.class);
        ExistingProject existing = projects.load(desired, identity, dryRun);
        if (dryRun) {
            exchange.setProperty(EXISTING, existing);
        }
        List<WriteModel<Document>> writes = handOver(exchange, planner.plan(desired, existing, identity, null, layout),
                existing, !dryRun);
        // one bulk write: its line (when owed) comes once the write is acknowledged
        Progress.of(exchange).phase("written", "documents", writes.size(), "documents");
        return writes;
    }

    /**
     * The same for one event: only the documents around its entities are read, and only the entities in
     * the {@code <source>EventScope} property ({@code kitsuEventScope}, {@code shotgridEventScope}) may be retired.
     */
    @SuppressWarnings("unchecked")
    public List<WriteModel<Document>> planEvent(Exchange exchange) throws Exception {
        DesiredProject desired = exchange.getMessage().getMandatoryBody(DesiredProject.class);
        java.util.Set<String> scope = exchange.getProperty(identity.source() + "EventScope", java.util.Set.class);
        scope = scope == null ? java.util.Set.of() : scope;
        ExistingProject existing = projects.loadAround(desired, identity, scope, layout);
        SyncPlan plan = planner.plan(desired, existing, identity, scope, layout);
        if (plan.projectFailure() == null && !plan.rejections().isEmpty()) {
            // an event's entity that cannot be written is a failure of the event: retried, then parked
            throw new AvalonRejectedException(String.join("; ", plan.rejections()));
        }
        return handOver(exchange, plan, existing, existing.project() == null);
    }

    /**
     * The plan goes on the exchange, the writes in the body, the target in camel-mongodb's headers. Before anything
     * is written into a collection, its unique tracker-identity index exists (checked again on each full sync), so a
     * second node's document for the same entity is refused by MongoDB itself.
     */
    private List<WriteModel<Document>> handOver(Exchange exchange, SyncPlan plan, ExistingProject existing, boolean recheck) {
        exchange.setProperty("syncPlan", plan);
        exchange.getMessage().setHeader(DATABASE_HEADER, projects.database());
        exchange.getMessage().setHeader(COLLECTION_HEADER, existing.collection());
        if (plan.projectFailure() != null) {
            throw new AvalonRejectedException("Avalon project '" + existing.collection() + "' rejected: "
                    + plan.projectFailure());
        }
        // a full sync checks even when it writes nothing: duplicates merged by hand are noticed there (a dry run
        // makes no index either)
        if (!exchange.getProperty(DRY_RUN, false, Boolean.class)
                && (!plan.writes().isEmpty() || (recheck && existing.project() != null))) {
            projects.ensureIndexes(existing.collection(), identity, recheck);
        }
        return plan.writes();
    }

    /**
     * A dry run instead of the write: the plan as lines for the summary, {@code create <type> <name>},
     * {@code rename <old> → <new>}, {@code update <name>: <key>: <old> → <new>}, {@code archive <name>}.
     */
    public void preview(Exchange exchange) {
        SyncPlan plan = exchange.getProperty("syncPlan", SyncPlan.class);
        ExistingProject existing = exchange.getProperty(EXISTING, ExistingProject.class);
        exchange.removeProperty(EXISTING);
        java.util.Map<Object, Document> byId = new java.util.HashMap<>();
        if (existing.project() != null) {
            byId.put(existing.project().get("_id"), existing.project());
        }
        existing.assets().forEach(doc -> byId.put(doc.get("_id"), doc));
        List<String> lines = new java.util.ArrayList<>();
        for (WriteModel<Document> write : plan.writes()) {
            if (write instanceof com.mongodb.client.model.InsertOneModel<Document> insert) {
                Document doc = insert.getDocument();
                Object parents = TrackerIdentity.read(doc, "data.parents");
                String where = parents instanceof List<?> l && !l.isEmpty()
                        ? " in " + String.join("/", l.stream().map(String::valueOf).toList()) : "";
                // OpenPype's layout writes no entityType: the tracker's type then, or a root folder
                Object kind = TrackerIdentity.read(doc, "data.entityType");
                kind = kind != null ? kind : identity.recordPath() == null ? null
                        : TrackerIdentity.read(doc, "data." + identity.recordPath() + ".type");
                lines.add("project".equals(doc.getString("type")) ? "create project " + doc.getString("name")
                        : "create " + (kind != null ? kind : "folder") + " " + doc.getString("name") + where);
            } else if (write instanceof com.mongodb.client.model.UpdateOneModel<Document> update) {
                Object id = update.getFilter().toBsonDocument().get("_id").asObjectId().getValue();
                Document old = byId.getOrDefault(id, new Document());
                Document change = (Document) update.getUpdate();
                String name = old.getString("name");
                Document set = change.get("$set", new Document());
                if ("archived_asset".equals(set.get("type")) && set.size() == 1) {
                    lines.add("archive " + name);
                    continue;
                }
                if (set.containsKey("name") && !set.get("name").equals(name)) {
                    lines.add("rename " + name + " → " + set.get("name"));
                }
                String what = ("project".equals(old.getString("type")) ? "project " : "") + name;
                set.forEach((key, value) -> {
                    if (!key.equals("name")) {
                        lines.add("update " + what + ": " + key + ": " + show(TrackerIdentity.read(old, key)) + " → " + show(value));
                    }
                });
                change.get("$unset", new Document()).keySet().forEach(key ->
                        lines.add("update " + what + ": " + key + ": " + show(TrackerIdentity.read(old, key)) + " → (removed)"));
            }
        }
        plan.rejections().forEach(r -> lines.add("reject " + r));
        plan.preview(lines);
    }

    private static String show(Object value) {
        String text = value == null ? "(none)" : value instanceof Document d ? d.toJson() : String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    /** After the write: progress. */
    public void written(Exchange exchange) {
        SyncPlan plan = exchange.getProperty("syncPlan", SyncPlan.class);
        Progress.of(exchange).advance(plan.writeCount());
    }
}
