package io.avalonsync.status;

import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.IdentityGuard;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The unique tracker-identity index of the project collections written so far. Collections that already held two
 * documents for one entity run without it: they are listed (collection, entity, both {@code _id}s) for a person to
 * merge by hand, without turning the service DOWN, since a restart would not merge them and the rest keeps syncing.
 */
public final class IdentityHealthCheck extends ReadinessCheck {

    private final IdentityGuard guard;

    public IdentityHealthCheck(IdentityGuard guard) {
        super("avalon-identity");
        this.guard = guard;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<IdentityGuard.Duplicate> duplicates = guard.duplicates();
        builder.detail("unguarded", String.join(", ", guard.unguarded()));
        builder.detail("duplicates", duplicates.size());
        builder.detail("converged", guard.converged());
        if (!duplicates.isEmpty()) {
            builder.message(duplicates.size() + " tracker entities have more than one document, the unique index is"
                    + " not made in their collections (README, 'Repairing duplicate documents'): "
                    + String.join("; ", duplicates.stream().limit(5).map(IdentityGuard.Duplicate::toString).toList())
                    + (duplicates.size() > 5 ? "; ..." : ""));
        }
        builder.up();
    }
}
