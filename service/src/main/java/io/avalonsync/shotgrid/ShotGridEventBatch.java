package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.journal.JournalBatch;

/**
 * What a batch of one project's ShotGrid events needs, decided from the events alone: re-reads of the entities
 * they name ({@link #ENTITIES}), a re-sync of the project ({@link #PROJECT}: the project changed, or a sequence
 * or episode was renamed or moved so names and parents below it change), or a full sync of every project
 * ({@link #ALL}: a Step changed, and steps are site-wide task types). The state of applying it (property
 * {@code shotgridEventBatch} of routes/shotgrid-events.camel.yaml): the records its reads brought back.
 */
public final class ShotGridEventBatch {

    public static final String ENTITIES = JournalBatch.ENTITIES;
    public static final String PROJECT = JournalBatch.PROJECT;
    public static final String ALL = JournalBatch.ALL;
    public static final String IGNORE = JournalBatch.IGNORE;

    private final String projectId;
    private String action = IGNORE;
    /** Entities to re-read, per type (Asset, Episode, Sequence, Shot). */
    private final Map<String, ShotGridRead> entities = new LinkedHashMap<>();
    /** Tasks whose entity is found by reading the task (retired ones too). */
    private final ShotGridRead tasks = new ShotGridRead("Task");
    private Map<String, Object> project;
    private final List<Map<String, Object>> entityTasks = new ArrayList<>();
    /** Levels of missing parents read so far (a shot's sequence, then its episode). */
    private int parentLevels;

    ShotGridEventBatch(String projectId) {
        this.projectId = projectId;
    }

    /** The ShotGrid project id ({@code "70"}), null for site-wide events. */
    public String getProjectId() {
        return projectId;
    }

    public String getAction() {
        return action;
    }

    /** The entity reads, one per type. */
    public List<ShotGridRead> getEntityReads() {
        return new ArrayList<>(entities.values());
    }

    /** The read of one entity type, made when the batch had none of it. */
    ShotGridRead entityRead(String type) {
        return entities.computeIfAbsent(type, ShotGridRead::new);
    }

    public ShotGridRead getTaskRead() {
        return tasks;
    }

    /** The stronger need wins ({@link JournalBatch#stronger}). */
    void need(String wanted) {
        action = JournalBatch.stronger(action, wanted);
    }

    /** Nothing to do after all (the project is not synced now). */
    void ignore() {
        action = IGNORE;
    }

    /** Counts one more level of missing parents read; the first counts 1. */
    int nextParentLevel() {
        return ++parentLevels;
    }

    /** A read of the batch starts over (a redelivery): parent levels count from the start again. */
    void restartReads() {
        parentLevels = 0;
    }

    void entity(String type, int id) {
        entities.computeIfAbsent(type, ShotGridRead::new).add(id);
        need(ENTITIES);
    }

    void task(int id) {
        tasks.add(id);
        need(ENTITIES);
    }

    /** Identity keys of the entities the batch is about: only those may be retired by its write. */
    public Set<String> scope() {
        Set<String> keys = new LinkedHashSet<>();
        entities.values().forEach(read -> read.getIds().forEach(id -> keys.add(ShotGridIdentity.key(read.getType(), id))));
        return keys;
    }

    public Map<String, Object> getProject() {
        return project;
    }

    public void setProject(Map<String, Object> project) {
        this.project = project;
    }

    /** Every task of the entities read (their {@code data.tasks} is rebuilt from these). */
    public List<Map<String, Object>> getEntityTasks() {
        return entityTasks;
    }

    /** The tasks of the entities, as read again: a redelivered read replaces them, never doubles them. */
    void entityTasks(List<Map<String, Object>> tasks) {
        entityTasks.clear();
        entityTasks.addAll(tasks);
    }

    @Override
    public String toString() {
        return "shotgrid events of project " + projectId + ": " + action + " " + entities.values()
                + (tasks.getIds().isEmpty() ? "" : " tasks " + tasks.getIds());
    }
}
