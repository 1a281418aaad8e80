package io.avalonsync.avalon;

/**
 * A tracker task of an entity.
 *
 * @param trackerId the tracker's task id
 * @param name      the tracker's task name ("main" for the usual one task per type)
 * @param type      the task type name (a key of the project's config.tasks once sanitised)
 * @param status    the task status name, or null
 */
public record DesiredTask(String trackerId, String name, String type, String status) {
}
