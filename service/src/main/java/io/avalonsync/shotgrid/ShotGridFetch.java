package io.avalonsync.shotgrid;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One read of {@code direct:shotgrid-fetch}: a search and where its records go (a type of a full sync's snapshot,
 * or one of an event batch's re-reads). The records are handed over once, when every page has been read, so a
 * read redelivered after a failure starts over without leaving half of its pages behind.
 */
public record ShotGridFetch(ShotGridSearch search, Consumer<List<Map<String, Object>>> into) {

    /** The search's type, e.g. {@code Shot}. */
    public String type() {
        return search.type();
    }

    void found(List<Map<String, Object>> records) {
        into.accept(records);
    }

    @Override
    public String toString() {
        return search.toString();
    }
}
