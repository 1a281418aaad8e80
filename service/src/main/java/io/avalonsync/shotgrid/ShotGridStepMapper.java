package io.avalonsync.shotgrid;

import java.util.Map;

import io.avalonsync.avalon.TaskType;

/** ShotGrid Step → a task type of the project's {@code config.tasks}: its {@code code}, with its short name. */
public final class ShotGridStepMapper {

    /** Task type of tasks without a step (ShotGrid allows them; they are still synced). */
    public static final String NO_STEP = "Generic";

    public TaskType map(Map<String, Object> step) {
        String code = ShotGridValues.nonBlank(step, "code");
        if (code == null) {
            throw new ShotGridResponseException("ShotGrid Step " + step.get("id") + " has no code");
        }
        return new TaskType(code, ShotGridValues.nonBlank(step, "short_name"));
    }

    /**
     * The task type of a task: {@code step.Step.code} (asked for as a dotted field), else the step link's name
     * (the step's display name), else {@value #NO_STEP}.
     */
    public String typeOf(Map<String, Object> task) {
        String code = ShotGridValues.nonBlank(task, "step.Step.code");
        if (code != null) {
            return code;
        }
        Map<String, Object> step = ShotGridValues.link(task, "step");
        if (step != null && step.get("name") != null && !step.get("name").toString().isBlank()) {
            return step.get("name").toString();
        }
        return NO_STEP;
    }
}
