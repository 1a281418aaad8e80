package io.avalonsync.cluster;

import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.master.MasterEndpoint;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * Which singleton route groups this node runs: the namespaces of the routes that start with {@code master:} (only
 * routes that are started: a tracker that is not configured has no group), each with whether this node leads it now.
 */
public final class Leadership {

    private Leadership() {
    }

    /** Group (the {@code master:} namespace) to "this node leads it", sorted by group. */
    public static Map<String, Boolean> of(CamelContext context) {
        Map<String, Boolean> groups = new TreeMap<>();
        CamelClusterService service = ClusterServiceHelper.lookupService(context).orElse(null);
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof MasterEndpoint master
                    && context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                String group = master.getNamespace();
                groups.put(group, groups.getOrDefault(group, false) || (service != null && service.isLeader(group)));
            }
        }
        return groups;
    }
}
