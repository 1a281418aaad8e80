package io.avalonsync.sitesync;

import java.time.Instant;

import org.bson.types.ObjectId;

/**
 * A file whose transfer to a site failed at least once and is not done yet (status page, reset button).
 *
 * @param exhausted true when {@code tries} reached the retry count: not selected again until reset
 * @param paused    paused by an operator
 * @param priority  the record's priority, null when unset (50)
 */
public record SiteFailure(String collection, ObjectId representationId, Object fileId, String path, String site,
                          int tries, String error, String errorKind, Instant lastFailedDt, Instant nextAttemptDt,
                          boolean exhausted, boolean paused, Integer priority) {
}
