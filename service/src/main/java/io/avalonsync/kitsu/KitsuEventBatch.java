package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.journal.JournalBatch;

/**
 * What a batch of one project's Kitsu events needs, decided from the events alone: a re-sync of the
 * project (a project, episode or sequence changed: names below may all change), a full sync (task types
 * or asset types changed), or re-reads of the assets and shots the events name.
 */
public final class KitsuEventBatch {

    public static final String ENTITIES = JournalBatch.ENTITIES;
    public static final String PROJECT = JournalBatch.PROJECT;
    public static final String ALL = JournalBatch.ALL;
    public static final String IGNORE = JournalBatch.IGNORE;

    private final String projectId;
    private String action = IGNORE;
    /** Assets and shots to re-read, by id: one read however many events name them. */
    private final Map<String, KitsuRead> entities = new LinkedHashMap<>();
    /** Tasks whose entity must be read from the task first. */
    private final Map<String, KitsuRead> taskReads = new LinkedHashMap<>();
    private Map<String, Object> project;
    /** Kitsu's task types (with their short names), as the full sync reads them. */
    private List<Map<String, Object>> taskTypes = List.of();

    KitsuEventBatch(String projectId) {
        this.projectId = projectId;
    }

    public String getProjectId() {
        return projectId;
    }

    public String getAction() {
        return action;
    }

    public List<KitsuRead> getTaskReads() {
        return new ArrayList<>(taskReads.values());
    }

    /** The assets and shots the events name, by Kitsu id: the only entities their write may retire. */
    public Set<String> getScope() {
        return Set.copyOf(entities.keySet());
    }

    /** The stronger need wins ({@link JournalBatch#stronger}). */
    void need(String wanted) {
        action = JournalBatch.stronger(action, wanted);
    }

    void entity(String kind, String id) {
        entities.computeIfAbsent(id, key -> new KitsuRead(kind, key));
        need(ENTITIES);
    }

    void task(String taskId) {
        taskReads.computeIfAbsent(taskId, key -> new KitsuRead(KitsuRead.TASK, key));
        need(ENTITIES);
    }

    Map<String, KitsuRead> entities() {
        return entities;
    }

    Map<String, Object> project() {
        return project;
    }

    void project(Map<String, Object> project) {
        this.project = project;
    }

    List<Map<String, Object>> taskTypes() {
        return taskTypes;
    }

    void taskTypes(List<Map<String, Object>> taskTypes) {
        this.taskTypes = taskTypes;
    }
}
