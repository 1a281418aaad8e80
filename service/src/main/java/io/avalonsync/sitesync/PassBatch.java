package io.avalonsync.sitesync;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One project and direction of a pass (an element of {@link PassWork#getBatches()}): the route selects and claims
 * its files round by round while {@link #isMore()}. Used by the pass's own thread only.
 */
public final class PassBatch {

    private final String collection;
    private final Direction direction;
    // selected and not yet handed to a claim round
    private final ArrayDeque<FileTask> ahead = new ArrayDeque<>();
    private volatile boolean more = true;

    public PassBatch(String collection, Direction direction) {
        this.collection = Objects.requireNonNull(collection, "collection");
        this.direction = Objects.requireNonNull(direction, "direction");
    }

    public String getCollection() {
        return collection;
    }

    public Direction getDirection() {
        return direction;
    }

    /** True until a selection finds nothing new for this pass. */
    public boolean isMore() {
        return more;
    }

    void done() {
        more = false;
    }

    ArrayDeque<FileTask> ahead() {
        return ahead;
    }

    @Override
    public String toString() {
        return direction.name().toLowerCase() + "s of " + collection;
    }
}
