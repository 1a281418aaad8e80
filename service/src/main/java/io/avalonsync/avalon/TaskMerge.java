package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bson.Document;

/**
 * The tracker's tasks in the flavour's shape (README "What it writes", Tasks): a dict of task entries
 * ({@code openpype}, {@code pype2}) or a list of task type names ({@code avalon-core}); the project's task types in
 * {@code config.tasks}. Tasks other tools added are never dropped.
 */
final class TaskMerge {

    private final Flavour flavour;
    private final TrackerIdentity identity;
    private final Rejections rejections;
    /** OpenPype's Kitsu module's layout: its task entries are {type, zou} only. */
    private final boolean openpype;

    TaskMerge(Flavour flavour, TrackerIdentity identity, Rejections rejections, boolean openpype) {
        this.openpype = openpype;
        this.flavour = flavour;
        this.identity = identity;
        this.rejections = rejections;
    }

    /** Adds the tracker's task types to the project's config.tasks; entries other tools added stay. */
    static void mergeTaskTypes(Flavour flavour, Document project, DocumentChanges changes, List<TaskType> taskTypes) {
        Object tasks = TrackerIdentity.read(project, "config.tasks");
        if (flavour.tasksAsDict()) {
            boolean missing = !(tasks instanceof Document);
            Document current = missing ? new Document() : (Document) tasks;
            for (TaskType type : taskTypes) {
                String key = NameSanitizer.sanitize(type.name());
                if (key.isEmpty()) {
                    continue;
                }
                String shortName = type.shortName() == null || type.shortName().isBlank()
                        ? key.toLowerCase(Locale.ROOT) : type.shortName();
                if (missing) {
                    current.put(key, new Document("short_name", shortName));
                } else if (current.get(key) instanceof Document entry) {
                    if (!shortName.equals(entry.get("short_name"))) {
                        changes.set("config.tasks." + key + ".short_name", shortName);
                    }
                } else {
                    changes.set("config.tasks." + key, new Document("short_name", shortName));
                }
            }
            if (missing) {
                // one $set of the whole dict: a parent path and its children in one update is refused by MongoDB
                changes.set("config.tasks", current);
            }
        } else {
            List<Object> current = tasks instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            List<Object> merged = new ArrayList<>(current);
            for (TaskType type : taskTypes) {
                String name = NameSanitizer.sanitize(type.name());
                if (name.isEmpty()) {
                    continue;
                }
                boolean present = merged.stream().anyMatch(
                        item -> item instanceof Document d && name.equalsIgnoreCase(String.valueOf(d.get("name"))));
                if (!present) {
                    merged.add(new Document("name", name).append("label", type.name()));
                }
            }
            if (!merged.equals(current) || !(tasks instanceof List)) {
                changes.set("config.tasks", merged);
            }
        }
    }

    /** A new asset document's {@code data.tasks} (and, for a list, the names this tracker owns). */
    void intoNew(AssetNode node, Document data) {
        data.put("tasks", flavour.tasksAsDict() ? taskDict(node) : taskList(node, List.of(), List.of()));
        if (!flavour.tasksAsDict()) {
            DocumentChanges.put(data, identity.ownedTaskNamesPath(), new ArrayList<>(taskKeys(node).keySet()));
        }
    }

    /** The changes an existing document's tasks need; a shape another tool wrote is left alone. */
    void merge(AssetNode node, DocumentChanges changes) {
        if (flavour.tasksAsDict()) {
            mergeTaskDict(node, changes);
        } else {
            mergeTaskList(node, changes);
        }
    }

    /** Task key -> task; "main" tasks are named after their type, others {@code <type>_<name>}. */
    private Map<String, DesiredTask> taskKeys(AssetNode node) {
        Map<String, DesiredTask> keys = new LinkedHashMap<>();
        if (node.asset.tasks() == null) {
            return keys;
        }
        for (DesiredTask task : node.asset.tasks()) {
            String type = NameSanitizer.sanitize(task.type());
            boolean main = task.name() == null || task.name().isBlank() || task.name().equalsIgnoreCase("main");
            // list-shaped tasks are task type names (they must be config.tasks names): one entry per type
            String key = main || !flavour.tasksAsDict() ? type : NameSanitizer.sanitize(task.type() + "_" + task.name());
            if (task.key() != null && flavour.tasksAsDict()) {
                key = NameSanitizer.sanitize(task.key()); // the tracker names its tasks itself
            }
            if (type.isEmpty() || key.isEmpty()) {
                rejections.task(node, task, "task type '" + task.type() + "' has no letters or digits");
            } else if (!flavour.tasksAsDict() && keys.containsKey(key)) {
                continue;
            } else if (keys.keySet().stream().anyMatch(key::equalsIgnoreCase)) {
                rejections.task(node, task, "task name '" + key + "' is already used by another task of this entity");
            } else {
                keys.put(key, task);
            }
        }
        return keys;
    }

    private Document taskEntry(DesiredTask task) {
        Document entry = new Document("type", NameSanitizer.sanitize(task.type()));
        if (task.status() != null && !openpype) { // OpenPype's Kitsu module writes {type, zou} only
            entry.put("status", task.status());
        }
        identity.taskIdentity(task.trackerId()).forEach((path, value) -> DocumentChanges.put(entry, path, value));
        return entry;
    }

    private Document taskDict(AssetNode node) {
        Document tasks = new Document();
        taskKeys(node).forEach((key, task) -> tasks.put(key, taskEntry(task)));
        return tasks;
    }

    private void mergeTaskDict(AssetNode node, DocumentChanges changes) {
        Object current = TrackerIdentity.read(node.existing, "data.tasks");
        Map<String, DesiredTask> keys = taskKeys(node);
        if (current == null) {
            changes.set("data.tasks", taskDict(node));
            return;
        }
        if (!(current instanceof Document existingTasks)) {
            return; // another tool wrote a list here; the validator reports it and nothing is overwritten
        }
        keys.forEach((key, task) -> {
            Document entry = taskEntry(task);
            if (existingTasks.get(key) instanceof Document) {
                entry.forEach((field, value) -> {
                    if (value instanceof Document nested) {
                        nested.forEach((sub, subValue) -> changes.set("data.tasks." + key + "." + field + "." + sub, subValue));
                    } else {
                        changes.set("data.tasks." + key + "." + field, value);
                    }
                });
            } else {
                changes.set("data.tasks." + key, entry);
            }
        });
        existingTasks.forEach((key, value) -> {
            if (value instanceof Document entry) {
                String taskId = identity.taskIdOf(entry);
                // ours and no longer wanted under this key (deleted, or its type changed)
                if (taskId != null && !keys.containsKey(key)) {
                    changes.unset("data.tasks." + key);
                }
            }
        });
    }

    private List<String> taskList(AssetNode node, List<?> current, List<?> owned) {
        List<String> result = new ArrayList<>();
        Set<String> ownedKeys = new HashSet<>();
        owned.forEach(name -> ownedKeys.add(NameSanitizer.caseKey(String.valueOf(name))));
        for (Object name : current) {
            if (name instanceof String s && !ownedKeys.contains(NameSanitizer.caseKey(s))) {
                result.add(s);
            }
        }
        for (String key : taskKeys(node).keySet()) {
            if (result.stream().noneMatch(key::equalsIgnoreCase)) {
                result.add(key);
            }
        }
        return result;
    }

    private void mergeTaskList(AssetNode node, DocumentChanges changes) {
        Object current = TrackerIdentity.read(node.existing, "data.tasks");
        Object owned = TrackerIdentity.read(node.existing, "data." + identity.ownedTaskNamesPath());
        if (current != null && !(current instanceof List)) {
            return;
        }
        changes.set("data.tasks", taskList(node, current == null ? List.of() : (List<?>) current,
                owned instanceof List<?> l ? l : List.of()));
        changes.set("data." + identity.ownedTaskNamesPath(), new ArrayList<>(taskKeys(node).keySet()));
    }
}
