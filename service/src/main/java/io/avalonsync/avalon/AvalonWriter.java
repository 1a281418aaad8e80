package io.avalonsync.avalon;

import java.util.List;
import java.util.Set;

import com.mongodb.client.model.WriteModel;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;

/**
 * The Avalon side of a sync step for one tracker: reads the project's current documents and plans the writes; the
 * route hands them to its MongoDB bulkWrite endpoint, in the plan's collection.
 */
public final class AvalonWriter {

    /** Exchange property of a dry run ({@code sync-once --dry-run}): plan and print, write nothing at all. */
    public static final String DRY_RUN = "syncDryRun";

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

    /** The plan of a whole project: every entity the tracker has, against every document of its collection. */
    public SyncPlan plan(@Body DesiredProject desired, @ExchangeProperty(DRY_RUN) Boolean dryRun) {
        boolean dry = Boolean.TRUE.equals(dryRun);
        ExistingProject existing = projects.load(desired, identity, dry);
        SyncPlan plan = planner.plan(desired, existing, identity, null, layout);
        if (dry) {
            plan.existing(existing); // for the preview
        }
        return checked(plan, existing, !dry, true);
    }

    /**
     * The same for one event: only the documents around its entities are read, and only the entities in
     * {@code scope} (the tracker ids the events name) may be retired.
     */
    public SyncPlan planEvent(@Body DesiredProject desired, Set<String> scope) {
        Set<String> limit = scope == null ? Set.of() : scope;
        ExistingProject existing = projects.loadAround(desired, identity, limit, layout);
        SyncPlan plan = planner.plan(desired, existing, identity, limit, layout);
        if (plan.projectFailure() == null && !plan.rejections().isEmpty()) {
            // an event's entity that cannot be written is a failure of the event: retried, then parked
            throw new AvalonRejectedException(String.join("; ", plan.rejections()));
        }
        return checked(plan, existing, true, existing.project() == null);
    }

    /**
     * A plan whose project was rejected fails. Before anything is written into a collection, its unique
     * tracker-identity index exists (checked again on each full sync), so a second node's document for the same
     * entity is refused by MongoDB itself.
     */
    private SyncPlan checked(SyncPlan plan, ExistingProject existing, boolean writes, boolean recheck) {
        if (plan.projectFailure() != null) {
            throw new AvalonRejectedException("Avalon project '" + existing.collection() + "' rejected: "
                    + plan.projectFailure());
        }
        // a full sync checks even when it writes nothing: duplicates merged by hand are noticed there (a dry run
        // makes no index either)
        if (writes && (!plan.writes().isEmpty() || (recheck && existing.project() != null))) {
            projects.ensureIndexes(existing.collection(), identity, recheck);
        }
        return plan;
    }

    /**
     * A dry run instead of the write: the plan as lines for the summary, {@code create <type> <name>},
     * {@code rename <old> → <new>}, {@code update <name>: <key>: <old> → <new>}, {@code archive <name>}.
     */
    public void preview(@ExchangeProperty("syncPlan") SyncPlan plan) {
        ExistingProject existing = plan.existing();
        plan.existing(null);
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
}
