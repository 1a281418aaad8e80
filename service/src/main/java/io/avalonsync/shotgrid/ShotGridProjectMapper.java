package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.avalonsync.avalon.TaskType;
import org.bson.Document;

/**
 * ShotGrid Project → the project {@code data} keys ShotGrid owns ({@code code}, {@code active}) and the task
 * types of {@code config.tasks}: the Steps of the entity types synced, plus any step a task uses that is not
 * among them (added rather than failing the sync), plus {@value ShotGridStepMapper#NO_STEP} when a task has no
 * step.
 */
public final class ShotGridProjectMapper {

    /** Step.entity_type values whose steps become task types (null: a step for every type). */
    private static final Set<String> STEP_TYPES = Set.of("Asset", "Shot", "Sequence", "Episode");

    private final ShotGridStepMapper steps = new ShotGridStepMapper();
    private final ShotGridFields fields;

    public ShotGridProjectMapper() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced ({@code shotgrid.fields.project.*}: on top of the built-in keys) */
    public ShotGridProjectMapper(ShotGridFields fields) {
        this.fields = fields;
    }

    /** The identity key of a project record, {@code "Project:<id>"}. */
    public String trackerId(Map<String, Object> project) {
        return ShotGridValues.keyOf(project);
    }

    public String label(Map<String, Object> project) {
        String name = ShotGridValues.nonBlank(project, "name");
        if (name == null) {
            throw new ShotGridResponseException("ShotGrid Project " + project.get("id") + " has no name");
        }
        return name;
    }

    public Document attributes(Map<String, Object> project) {
        Document data = new Document();
        String code = ShotGridValues.nonBlank(project, "code");
        if (code != null) {
            data.put("code", code);
        }
        if (project.containsKey("archived")) {
            data.put("active", !ShotGridValues.flag(project, "archived"));
        }
        fields.mapping().apply("project", project, data, problem -> new ShotGridLookups(project, java.util.List.of())
                .warn("Project", project, problem));
        return data;
    }

    public List<TaskType> taskTypes(List<Map<String, Object>> stepRecords, List<Map<String, Object>> tasks,
            ShotGridLookups lookups) {
        Map<String, TaskType> types = new LinkedHashMap<>();
        for (Map<String, Object> step : stepRecords) {
            Object entityType = step.get("entity_type");
            if (entityType != null && !STEP_TYPES.contains(entityType.toString())) {
                continue;
            }
            try {
                TaskType type = steps.map(step);
                types.putIfAbsent(type.name().toLowerCase(Locale.ROOT), type);
            } catch (RuntimeException e) {
                lookups.warn("Step", step, e.getMessage() + "; not a task type");
            }
        }
        for (Map<String, Object> task : tasks) {
            String name = steps.typeOf(task);
            types.putIfAbsent(name.toLowerCase(Locale.ROOT), new TaskType(name, null));
        }
        return new ArrayList<>(types.values());
    }
}
