package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Id → record tables the mappers need beside the entity itself (task types, statuses, the tasks of each
 * entity, project defaults). Built once per project from a snapshot, or per event from single reads.
 */
public final class KitsuLookups {

    private static final Logger LOG = LoggerFactory.getLogger(KitsuLookups.class);

    private final String projectName;
    private final Map<String, Map<String, Object>> taskTypes = new HashMap<>();
    private final Map<String, Map<String, Object>> taskStatuses = new HashMap<>();
    private final Map<String, List<Map<String, Object>>> tasksByEntity = new HashMap<>();
    private final Double projectFps;
    private final int[] projectResolution;

    public KitsuLookups(Map<String, Object> project, List<Map<String, Object>> taskTypes,
            List<Map<String, Object>> taskStatuses, List<Map<String, Object>> tasks) {
        this.projectName = KitsuValues.text(project, "name");
        taskTypes.forEach(t -> this.taskTypes.put(KitsuValues.text(t, "id"), t));
        taskStatuses.forEach(s -> this.taskStatuses.put(KitsuValues.text(s, "id"), s));
        tasks.forEach(t -> tasksByEntity.computeIfAbsent(KitsuValues.text(t, "entity_id"), k -> new ArrayList<>()).add(t));
        this.projectFps = KitsuValues.decimal(project.get("fps"));
        this.projectResolution = KitsuValues.resolution(project.get("resolution"));
    }

    public static KitsuLookups of(KitsuSnapshot snapshot) {
        List<Map<String, Object>> types = new ArrayList<>(snapshot.list("taskTypes"));
        types.addAll(snapshot.list("projectTaskTypes"));
        return new KitsuLookups(snapshot.project(), types, snapshot.list("taskStatuses"), snapshot.list("tasks"));
    }

    public Map<String, Object> taskType(String id) {
        return taskTypes.get(id);
    }

    public Map<String, Object> taskStatus(String id) {
        return taskStatuses.get(id);
    }

    public List<Map<String, Object>> tasksOf(String entityId) {
        return tasksByEntity.getOrDefault(entityId, List.of());
    }

    public Double projectFps() {
        return projectFps;
    }

    public int[] projectResolution() {
        return projectResolution;
    }

    public String projectName() {
        return projectName;
    }

    /** A value that could not be used; the entity is still synced without it. */
    public void warn(String what, Map<String, Object> record, String problem) {
        LOG.warn("kitsu project '{}': {} '{}' ({}): {}", projectName, what, record.get("name"), record.get("id"), problem);
    }
}
