package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.TaskType;

/** Kitsu task type → an entry of the project's {@code config.tasks}. */
public final class KitsuTaskTypeMapper {

    public TaskType map(Map<String, Object> taskType) {
        return new TaskType(KitsuValues.text(taskType, "name"), KitsuValues.text(taskType, "short_name"));
    }
}
