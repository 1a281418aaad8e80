package io.avalonsync.avalon;

/**
 * A tracker task of an entity.
 *
 * @param trackerId the tracker's task id
 * @param name      the tracker's task name ("main" for the usual one task per type)
 * @param type      the task type name (a key of the project's config.tasks once sanitised)
 * @param status    the task status name, or null
 * @param key       the {@code data.tasks} key (sanitised) for trackers whose tasks carry their own names
 *                  (ShotGrid's {@code content}); null: the key is derived from type and name
 */
public record DesiredTask(String trackerId, String name, String type, String status, String key) {

    /** A task keyed by its type (and name when it is not the type's "main" task). */
    public DesiredTask(String trackerId, String name, String type, String status) {
        this(trackerId, name, type, status, null);
    }
}
