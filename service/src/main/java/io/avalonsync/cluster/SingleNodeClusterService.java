package io.avalonsync.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * {@code sync.cluster = none}: one node, which leads every group as soon as it asks. It elects nothing; it only lets
 * the {@code master:} routes run unchanged when no coordination service is configured (today's single-node service).
 */
public final class SingleNodeClusterService extends AbstractCamelClusterService<SingleNodeClusterService.View> {

    public SingleNodeClusterService(String id) {
        super(id);
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    /** A group of one: this node. */
    public static final class View extends AbstractCamelClusterView {

        private final CamelClusterMember self;
        private volatile boolean leading;

        View(SingleNodeClusterService service, String namespace) {
            super(service, namespace);
            self = new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return leading;
                }

                @Override
                public boolean isLocal() {
                    return true;
                }

                @Override
                public String getId() {
                    return service.getId();
                }
            };
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leading ? Optional.of(self) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        /**
         * Leads once the Camel context has started. A {@code master:} route starts its delegate when leadership is
         * taken; a timer started while the context is still starting can miss Camel's started signal and never fire
         * (the at-start full sync did not run in one start out of several). A view starts with its route, before
         * the context's status is Started (see ClusterServices.whenStarted).
         */
        @Override
        protected void doStart() throws Exception {
            ClusterServices.whenStarted(getCamelContext(), this::lead);
        }

        synchronized void lead() {
            if (!leading && isRunAllowed()) {
                leading = true;
                fireLeadershipChangedEvent(self);
            }
        }

        @Override
        protected void doStop() {
            leading = false;
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }
}
