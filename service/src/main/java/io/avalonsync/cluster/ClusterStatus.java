package io.avalonsync.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.bson.Document;

/**
 * Which node leads what, as this node sees it: its own groups straight from the cluster service, the other groups'
 * leaders from the node records. Read by /health, the status page and /metrics.
 *
 * @param leads   group to "this node leads it"
 * @param leaders group to the node that leads it (this one, another, or null while none does)
 * @param nodes   the node records, running ones first
 */
public record ClusterStatus(String node, String kind, Map<String, Boolean> leads, Map<String, String> leaders,
        List<Document> nodes, String conflict) {

    public static ClusterStatus of(CamelContext context, NodeRegistry registry) {
        Map<String, Boolean> leads = Leadership.of(context);
        List<Document> nodes = registry.nodes();
        Map<String, String> leaders = new LinkedHashMap<>();
        leads.forEach((group, mine) -> leaders.put(group, mine ? registry.nodeId() : registry.leaderOf(group, nodes)));
        return new ClusterStatus(registry.nodeId(), registry.kind(), leads, leaders, nodes, registry.conflict());
    }

    /** e.g. {@code node-a (zookeeper): leads kitsu, journal; follows shotgrid (leader node-b)}. */
    public String summary() {
        List<String> led = new ArrayList<>();
        List<String> followed = new ArrayList<>();
        leads.forEach((group, mine) -> {
            if (mine) {
                led.add(group);
            } else {
                String leader = leaders.get(group);
                followed.add(group + " (leader " + (leader == null ? "not known yet" : leader) + ")");
            }
        });
        StringBuilder text = new StringBuilder(node).append(" (").append(kind).append(")");
        if (leads.isEmpty()) {
            return text.append(": no singleton routes running").toString();
        }
        text.append(": ");
        if (!led.isEmpty()) {
            text.append("leads ").append(String.join(", ", led));
        }
        if (!followed.isEmpty()) {
            text.append(led.isEmpty() ? "" : "; ").append("follows ").append(String.join(", ", followed));
        }
        return text.toString();
    }
}
