package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.avalonsync.avalon.DesiredTask;
import io.avalonsync.avalon.NameSanitizer;

/**
 * ShotGrid Task → an entry of its entity's {@code data.tasks}, keyed by its sanitised {@code content} (the
 * step's code when it has none), typed by its step, with its status and id. Two tasks of one entity with
 * the same name: the one with the higher id is keyed {@code <content>_<id>}, so neither blocks the other.
 */
public final class ShotGridTaskMapper {

    private final ShotGridStepMapper steps = new ShotGridStepMapper();

    public DesiredTask map(Map<String, Object> task) {
        return map(task, null);
    }

    private DesiredTask map(Map<String, Object> task, String key) {
        Integer id = ShotGridValues.integer(task.get("id"));
        if (id == null) {
            throw new ShotGridResponseException("ShotGrid Task without a numeric id: " + task);
        }
        String type = steps.typeOf(task);
        String content = ShotGridValues.nonBlank(task, "content");
        String name = content != null ? content : type;
        return new DesiredTask(String.valueOf(id), name, type, ShotGridValues.nonBlank(task, "sg_status_list"),
                key != null ? key : name);
    }

    /** The tasks of one entity, by id, each with a key unique within the entity. */
    public List<DesiredTask> tasksOf(String entityKey, ShotGridLookups lookups) {
        List<Map<String, Object>> tasks = new ArrayList<>(lookups.tasksOf(entityKey));
        tasks.sort(Comparator.comparing(t -> {
            Integer id = ShotGridValues.integer(t.get("id"));
            return id == null ? Integer.MAX_VALUE : id;
        }));
        List<DesiredTask> result = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Map<String, Object> task : tasks) {
            try {
                DesiredTask mapped = map(task);
                String key = mapped.key();
                if (!used.add(NameSanitizer.sanitize(key).toLowerCase(Locale.ROOT))) {
                    key = key + "_" + mapped.trackerId();
                    used.add(NameSanitizer.sanitize(key).toLowerCase(Locale.ROOT));
                    mapped = map(task, key);
                }
                result.add(mapped);
            } catch (RuntimeException e) {
                lookups.warn("Task", task, "cannot be mapped (" + e.getMessage() + "); task not synced");
            }
        }
        return result;
    }
}
