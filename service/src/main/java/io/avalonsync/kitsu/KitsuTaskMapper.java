package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredTask;

/** Kitsu task → an entry of its entity's {@code data.tasks}: named after its type, with its status. */
public final class KitsuTaskMapper {

    public DesiredTask map(Map<String, Object> task, KitsuLookups lookups) {
        Map<String, Object> type = lookups.taskType(KitsuValues.text(task, "task_type_id"));
        if (type == null) {
            lookups.warn("Task", task, "its task type " + task.get("task_type_id") + " is unknown; task not synced");
            return null;
        }
        Map<String, Object> status = lookups.taskStatus(KitsuValues.text(task, "task_status_id"));
        return new DesiredTask(KitsuValues.text(task, "id"), KitsuValues.text(task, "name"),
                KitsuValues.text(type, "name"), status == null ? null : KitsuValues.text(status, "name"));
    }

    /** The tasks of one entity, in Kitsu's order. */
    public List<DesiredTask> tasksOf(String entityId, KitsuLookups lookups) {
        List<DesiredTask> tasks = new ArrayList<>();
        for (Map<String, Object> task : lookups.tasksOf(entityId)) {
            DesiredTask mapped = map(task, lookups);
            if (mapped != null) {
                tasks.add(mapped);
            }
        }
        return tasks;
    }
}
