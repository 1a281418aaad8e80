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

    private final AvalonProjects projects;
    private final ProjectPlanner planner;
    private final TrackerIdentity identity;

    public AvalonWriter(AvalonProjects projects, ProjectPlanner planner, TrackerIdentity identity) {
        this.projects = projects;
        this.planner = planner;
        this.identity = identity;
    }

    /** Body in: a {@link DesiredProject}; body out: the ordered writes (maybe none). */
    public List<WriteModel<Document>> plan(Exchange exchange) throws Exception {
        DesiredProject desired = exchange.getMessage().getMandatoryBody(DesiredProject.class);
        ExistingProject existing = projects.load(desired, identity);
        List<WriteModel<Document>> writes = handOver(exchange, planner.plan(desired, existing, identity), existing, true);
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
        ExistingProject existing = projects.loadAround(desired, identity, scope);
        SyncPlan plan = planner.plan(desired, existing, identity, scope);
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
        // a full sync checks even when it writes nothing: duplicates merged by hand are noticed there
        if (!plan.writes().isEmpty() || (recheck && existing.project() != null)) {
            projects.ensureIndexes(existing.collection(), identity, recheck);
        }
        return plan.writes();
    }

    /** After the write: progress. */
    public void written(Exchange exchange) {
        SyncPlan plan = exchange.getProperty("syncPlan", SyncPlan.class);
        Progress.of(exchange).advance(plan.writeCount());
    }
}
