package io.avalonsync.sitesync;

/**
 * The state of one project's files for one site, as the status page shows it. Each file with a record for the
 * site falls in exactly one bucket, checked in this order: done, in progress, paused, failed (attempts used up),
 * waiting (backoff after a failure), queued (selectable now), blocked (not on the source site yet).
 *
 * @param done       {@code created_dt} present: the file is on the site
 * @param inProgress claimed by a node whose lease has not run out
 * @param paused     paused by an operator
 * @param failed     {@code tries} reached the retry count; waits for a reset
 * @param waiting    failed before, next attempt later
 * @param queued     would be selected now
 * @param blocked    wanted, but the other site does not have the file either
 */
public record SiteQueueCounts(String collection, String site, Direction direction, long done, long inProgress,
                              long paused, long failed, long waiting, long queued, long blocked) {
}
