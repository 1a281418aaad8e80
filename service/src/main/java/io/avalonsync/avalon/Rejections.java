package io.avalonsync.avalon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What of a project cannot be written, and why: one log line each, and the plan's list of rejections. */
final class Rejections {

    // the planner's logger: the lines keep the name operators filter on
    private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanner.class);

    private final TrackerIdentity identity;
    private final String projectLabel;
    private final SyncPlan plan;

    Rejections(TrackerIdentity identity, String projectLabel, SyncPlan plan) {
        this.identity = identity;
        this.projectLabel = projectLabel;
        this.plan = plan;
    }

    void asset(DesiredAsset asset, String rule, String message) {
        String line = String.format("%s project '%s': %s rejected, %s: %s", identity.source(), projectLabel,
                asset.describe(), rule, message);
        LOG.warn("rejected: {}", line);
        plan.reject(line);
    }

    /** The entity is rejected; the entities below it follow. */
    void node(AssetNode node, String rule, String message) {
        node.rejected = true;
        asset(node.asset, rule, message);
    }

    /** One task of an entity; the entity itself is written without it. Said once per task. */
    void task(AssetNode node, DesiredTask task, String message) {
        String line = String.format("%s project '%s': task %s (%s) of %s rejected, tasks: %s", identity.source(),
                projectLabel, task.name(), task.trackerId(), node.asset.describe(), message);
        if (node.taskRejectionsLogged.add(task.trackerId())) {
            LOG.warn("rejected: {}", line);
            plan.reject(line);
        }
    }
}
