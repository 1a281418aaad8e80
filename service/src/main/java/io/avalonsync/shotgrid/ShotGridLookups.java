package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mappers need beside the entity itself: the tasks of each entity (by identity key, e.g.
 * {@code "Shot:1234"}) and the project's name for log lines. Built once per project from a snapshot, or
 * per event batch from the re-read records.
 */
public final class ShotGridLookups {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridLookups.class);

    private final String projectName;
    private final Map<String, List<Map<String, Object>>> tasksByEntity = new HashMap<>();

    public ShotGridLookups(Map<String, Object> project, List<Map<String, Object>> tasks) {
        this.projectName = project == null ? null : ShotGridValues.text(project, "name");
        for (Map<String, Object> task : tasks) {
            String entity = ShotGridValues.linkKey(task, "entity");
            if (entity != null) {
                tasksByEntity.computeIfAbsent(entity, k -> new ArrayList<>()).add(task);
            }
        }
    }

    public List<Map<String, Object>> tasksOf(String entityKey) {
        return tasksByEntity.getOrDefault(entityKey, List.of());
    }

    public String projectName() {
        return projectName;
    }

    /** A value that could not be used; the entity is still synced without it. */
    public void warn(String what, Map<String, Object> record, String problem) {
        Object name = record.get("code") != null ? record.get("code") : record.get("content");
        LOG.warn("shotgrid project '{}': {} '{}' ({}): {}", projectName, what, name, record.get("id"), problem);
    }
}
