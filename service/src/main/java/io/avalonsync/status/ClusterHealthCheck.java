package io.avalonsync.status;

import java.util.Map;

import io.avalonsync.cluster.ClusterStatus;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.sync.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * This node and the singleton route groups (tracker work, journal upkeep): which it leads, which it follows and who
 * leads them. A follower is as healthy as a leader (it takes over when the leader goes); DOWN only when another process
 * has taken this node's id.
 */
public final class ClusterHealthCheck extends ReadinessCheck {

    private final CamelContext context;
    private final NodeRegistry registry;

    public ClusterHealthCheck(CamelContext context, NodeRegistry registry) {
        super("cluster");
        this.context = context;
        this.registry = registry;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("node", registry.nodeId());
        builder.detail("cluster", registry.kind());
        try {
            ClusterStatus status = ClusterStatus.of(context, registry);
            status.leads().forEach((group, mine) -> builder.detail("leader." + group,
                    status.leaders().get(group) == null ? "" : status.leaders().get(group)));
            builder.detail("leads", String.join(",", status.leads().entrySet().stream().filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey).toList()));
            builder.message(status.summary());
            if (status.conflict() != null) {
                builder.message(status.conflict()).down();
            } else {
                builder.up();
            }
        } catch (RuntimeException e) {
            builder.message(registry.nodeId() + ": " + Failures.describe(e)).down();
        }
    }
}
