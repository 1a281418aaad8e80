package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

/**
 * One Kitsu read of an event batch: an asset or shot (with its tasks), or a task whose entity is not known
 * yet. Filled by the route's parallel reads, each read on its own thread; the batch reads them after the
 * split has joined.
 */
public final class KitsuRead {

    static final String TASK = "Task";

    private final String kind;
    private final String id;
    private volatile boolean found;
    private volatile Map<String, Object> record;
    private volatile List<Map<String, Object>> tasks = List.of();

    KitsuRead(String kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    /** Asset, Shot, or Task. */
    public String getKind() {
        return kind;
    }

    public String getId() {
        return id;
    }

    /** The REST path that reads it (a task with its entity's type). */
    public String getPath() {
        return switch (kind) {
            case TASK -> "/data/tasks/" + id + "/full";
            case "Shot" -> "/data/shots/" + id;
            default -> "/data/assets/" + id;
        };
    }

    /** Whether the route reads the entity's tasks next: for assets and shots that still exist. */
    public boolean isTasksWanted() {
        return found && !TASK.equals(kind);
    }

    /** False when Kitsu answered 404: the entity was deleted. */
    public boolean isFound() {
        return found;
    }

    Map<String, Object> record() {
        return record;
    }

    List<Map<String, Object>> tasks() {
        return tasks;
    }

    void found(Map<String, Object> record) {
        this.record = record;
        this.found = true;
    }

    void tasks(List<Map<String, Object>> tasks) {
        this.tasks = tasks;
    }

    @Override
    public String toString() {
        return getPath();
    }
}
