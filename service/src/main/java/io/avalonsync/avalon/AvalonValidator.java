package io.avalonsync.avalon;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Checks project and asset documents against the rules Avalon, pype 2.x and OpenPype clients depend on, for one
 * {@link Flavour}, before they are written.
 * <p/>
 * Upstream only validates on insert and never checks the things that make clients crash or silently hide data (a hex
 * string as {@code visualParent}, list tasks in a dict-task project, duplicate asset names, ...), so this validator
 * covers both the upstream JSON schemas and those reader expectations. An empty result means the document is valid;
 * each {@link Violation} names the field and the offending value.
 * <p/>
 * Embedded documents may be any {@link Map} and arrays any {@link List}: the driver encodes them the same way.
 * Instances hold no state besides the flavour and can be shared between threads.
 */
public final class AvalonValidator {

    // hosts format frames with {frame:0>4} and compare them as ints; OpenPype's Kitsu sync casts the same way
    private static final List<String> INT32_FIELDS = List.of(
            "frameStart", "frameEnd", "handleStart", "handleEnd", "clipIn", "clipOut",
            "resolutionWidth", "resolutionHeight");
    private static final List<String> DOUBLE_FIELDS = List.of("fps", "pixelAspect");

    private static final Pattern SILO = Pattern.compile("^[a-zA-Z0-9_.]*$");
    private static final int MAX_VALUE_LENGTH = 120;

    private final Flavour flavour;

    public AvalonValidator(Flavour flavour) {
        this.flavour = Objects.requireNonNull(flavour, "flavour");
    }

    public Flavour flavour() {
        return flavour;
    }

    /**
     * Validates a complete project document.
     *
     * @return the violations found, empty when the document is valid
     */
    public List<Violation> validateProject(Document project) {
        Objects.requireNonNull(project, "project");
        List<Violation> violations = new ArrayList<>();
        checkIdentity(project, "project", flavour.projectSchema(), violations);

        // clients walk `parent` until it is None; a project with a parent breaks every parenthood() call
        if (project.get("parent") != null) {
            violations.add(new Violation(Violation.PARENT,
                    "project parent must be null or absent, found " + describe(project.get("parent"))));
        }

        Map<?, ?> data = embeddedDocument(project, "data", "data", violations);
        if (data != null) {
            checkNumberTypes(data, violations);
            // OpenPype and Pype 2 templates put {project[code]} in every published file name: "None_..." without it
            if (!(data.get("code") instanceof String code) || code.isBlank()) {
                violations.add(new Violation(Violation.CODE, "project data.code must be a non-blank string, found "
                        + describe(data.get("code"))));
            }
        }
        Map<?, ?> config = embeddedDocument(project, "config", "config", violations);
        if (config != null) {
            checkConfig(config, violations);
        }
        return violations;
    }

    /**
     * Validates a complete asset document of {@code project}.
     *
     * @param  lookup the project's assets as they will be after the pending writes, for the hierarchy and uniqueness
     * @return        the violations found, empty when the document is valid
     */
    public List<Violation> validateAsset(Document asset, Document project, AssetLookup lookup) {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(lookup, "lookup");
        List<Violation> violations = new ArrayList<>();
        checkIdentity(asset, "asset", flavour.assetSchema(), violations);
        checkAssetParent(asset, project, violations);
        checkSilo(asset, violations);

        Map<?, ?> data = embeddedDocument(asset, "data", "data", violations);
        if (data != null) {
            checkNumberTypes(data, violations);
            checkHierarchy(asset, data, lookup, violations);
            checkTasks(data, project, violations);
        }
        checkUniqueName(asset, lookup, violations);
        return violations;
    }

    // ---------------------------------------------------------------- shared

    private static void checkIdentity(Document doc, String type, String schema, List<Violation> violations) {
        if (!doc.containsKey("schema")) {
            violations.add(new Violation(Violation.REQUIRED, "schema is missing; expected " + quote(schema)));
        } else if (!schema.equals(doc.get("schema"))) {
            violations.add(new Violation(Violation.SCHEMA,
                    "schema must be " + quote(schema) + ", found " + describe(doc.get("schema"))));
        }

        if (!doc.containsKey("type")) {
            violations.add(new Violation(Violation.REQUIRED, "type is missing; expected " + quote(type)));
        } else if (!type.equals(doc.get("type"))) {
            violations.add(new Violation(Violation.TYPE,
                    "type must be " + quote(type) + ", found " + describe(doc.get("type"))));
        }

        if (!doc.containsKey("name")) {
            violations.add(new Violation(Violation.REQUIRED, type + " name is missing"));
        } else if (!(doc.get("name") instanceof String name)) {
            violations.add(new Violation(Violation.BSON_TYPE,
                    type + " name must be a string, found " + describe(doc.get("name"))));
        } else if (!NameSanitizer.isValid(name)) {
            violations.add(new Violation(Violation.NAME,
                    type + " name " + quote(name) + " must match " + NameSanitizer.NAME.pattern()));
        }

        // the writer assigns _id up front: children reference it before the insert
        if (!doc.containsKey("_id")) {
            violations.add(new Violation(Violation.REQUIRED, "_id is missing"));
        } else if (!(doc.get("_id") instanceof ObjectId)) {
            violations.add(new Violation(Violation.BSON_TYPE,
                    "_id must be an ObjectId, found " + describe(doc.get("_id"))));
        }
    }

    private static Map<?, ?> embeddedDocument(Map<?, ?> parent, String key, String path, List<Violation> violations) {
        if (!parent.containsKey(key)) {
            violations.add(new Violation(Violation.REQUIRED, path + " is missing"));
            return null;
        }
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> document) {
            return document;
        }
        violations.add(new Violation(Violation.BSON_TYPE,
                path + " must be an embedded document, found " + describe(value)));
        return null;
    }

    private static void checkNumberTypes(Map<?, ?> data, List<Violation> violations) {
        for (String field : INT32_FIELDS) {
            if (data.containsKey(field) && !(data.get(field) instanceof Integer)) {
                violations.add(new Violation(Violation.BSON_TYPE,
                        "data." + field + " must be an Int32 (Integer), found " + describe(data.get(field))));
            }
        }
        for (String field : DOUBLE_FIELDS) {
            if (data.containsKey(field) && !(data.get(field) instanceof Double)) {
                violations.add(new Violation(Violation.BSON_TYPE,
                        "data." + field + " must be a Double, found " + describe(data.get(field))));
            }
        }
    }

    // ---------------------------------------------------------------- project config

    private void checkConfig(Map<?, ?> config, List<Violation> violations) {
        String schema = flavour.configSchema();
        if (!config.containsKey("schema")) {
            // OpenPype's create_project and settings save never write config.schema and config-2.0 does not require
            // it; avalon-core validates the config on its own by that string, and pype's sync always wrote it
            if (flavour != Flavour.OPENPYPE) {
                violations.add(new Violation(Violation.SCHEMA, "config.schema is missing; expected " + quote(schema)));
            }
        } else if (!schema.equals(config.get("schema"))) {
            violations.add(new Violation(Violation.SCHEMA,
                    "config.schema must be " + quote(schema) + ", found " + describe(config.get("schema"))));
        }

        // additionalProperties is false in every config schema: one stray key fails the whole project
        for (Object key : config.keySet()) {
            if (!flavour.allowedConfigKeys().contains(String.valueOf(key))) {
                violations.add(new Violation(Violation.CONFIG,
                        "config." + key + " is not allowed in " + schema + " (allowed: "
                                + sorted(flavour.allowedConfigKeys()) + ")"));
            }
        }
        for (String key : sorted(flavour.requiredConfigKeys())) {
            if (!config.containsKey(key)) {
                violations.add(new Violation(Violation.CONFIG, "config." + key + " is required by " + schema));
            }
        }

        checkNamedList(config, "apps", violations);
        checkNamedList(config, "families", violations);
        checkNamedList(config, "groups", violations);
        if (config.containsKey("tasks")) {
            if (flavour.tasksAsDict()) {
                checkConfigTasksAsDict(config.get("tasks"), violations);
            } else {
                checkConfigTasksAsList(config.get("tasks"), violations);
            }
        }
        if (config.containsKey("template") && flavour.allowedConfigKeys().contains("template")) {
            checkTemplate(config.get("template"), violations);
        }
        for (String key : List.of("templates", "roots", "imageio", "copy")) {
            if (config.containsKey(key) && flavour.allowedConfigKeys().contains(key)
                    && !(config.get(key) instanceof Map)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config." + key + " must be an embedded document, found " + describe(config.get(key))));
            }
        }
    }

    // apps, families and groups are all arrays of {name, ...}; launchers iterate them and read name
    private static void checkNamedList(Map<?, ?> config, String key, List<Violation> violations) {
        if (!config.containsKey(key)) {
            return;
        }
        if (!(config.get(key) instanceof List<?> items)) {
            violations.add(new Violation(Violation.CONFIG,
                    "config." + key + " must be a list of {name} documents, found " + describe(config.get(key))));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name) || name.isEmpty()) {
                violations.add(new Violation(Violation.CONFIG,
                        "config." + key + "[" + i + "] must be a document with a non-empty string name, found "
                                + describe(item)));
            }
        }
    }

    private void checkConfigTasksAsDict(Object tasks, List<Violation> violations) {
        if (!(tasks instanceof Map<?, ?> taskTypes)) {
            violations.add(new Violation(Violation.CONFIG,
                    "config.tasks must be an embedded document {TaskType: {short_name}} in " + flavour.key()
                            + ", found " + describe(tasks)));
            return;
        }
        for (Map.Entry<?, ?> entry : taskTypes.entrySet()) {
            String taskType = String.valueOf(entry.getKey());
            if (!isSafeMongoKey(taskType)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.tasks key " + quote(taskType)
                                + " must be non-empty, without '.' and not start with '$'"));
            }
            if (!(entry.getValue() instanceof Map<?, ?> settings)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.tasks." + taskType + " must be an embedded document, found "
                                + describe(entry.getValue())));
            } else if (settings.containsKey("short_name") && !(settings.get("short_name") instanceof String)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.tasks." + taskType + ".short_name must be a string, found "
                                + describe(settings.get("short_name"))));
            }
        }
    }

    private void checkConfigTasksAsList(Object tasks, List<Violation> violations) {
        if (!(tasks instanceof List<?> taskList)) {
            violations.add(new Violation(Violation.CONFIG,
                    "config.tasks must be a list of {name} documents in " + flavour.key() + ", found "
                            + describe(tasks)));
            return;
        }
        for (int i = 0; i < taskList.size(); i++) {
            Object item = taskList.get(i);
            if (!(item instanceof Map<?, ?> task) || !(task.get("name") instanceof String name)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.tasks[" + i + "] must be a document with a string name, found " + describe(item)));
            } else if (!NameSanitizer.isValid(name)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.tasks[" + i + "].name " + quote(name) + " must match " + NameSanitizer.NAME.pattern()));
            }
        }
    }

    private void checkTemplate(Object template, List<Violation> violations) {
        if (!(template instanceof Map<?, ?> templates)) {
            violations.add(new Violation(Violation.CONFIG,
                    "config.template must be an embedded document of strings, found " + describe(template)));
            return;
        }
        for (Map.Entry<?, ?> entry : templates.entrySet()) {
            if (!(entry.getValue() instanceof String)) {
                violations.add(new Violation(Violation.CONFIG,
                        "config.template." + entry.getKey() + " must be a string, found "
                                + describe(entry.getValue())));
            }
        }
        // avalon-core builds AVALON_WORKDIR from template.work and fails with KeyError without it
        if (flavour == Flavour.AVALON_CORE && !templates.containsKey("work")) {
            violations.add(new Violation(Violation.CONFIG,
                    "config.template.work is required by " + flavour.configSchema()));
        }
    }

    // ---------------------------------------------------------------- asset

    private static void checkAssetParent(Document asset, Document project, List<Violation> violations) {
        Object parent = asset.get("parent");
        Object projectId = project.get("_id");
        if (parent == null) {
            // AC loaders unpack parenthood(representation) into four documents; a parentless asset breaks it
            violations.add(new Violation(Violation.PARENT,
                    "parent is missing; it must be the project _id " + describe(projectId)));
        } else if (!(parent instanceof ObjectId)) {
            violations.add(new Violation(Violation.BSON_TYPE,
                    "parent must be an ObjectId, found " + describe(parent)));
        } else if (!parent.equals(projectId)) {
            violations.add(new Violation(Violation.PARENT,
                    "parent must be the project _id " + describe(projectId) + ", found " + describe(parent)
                            + " (nest assets with data.visualParent, not parent)"));
        }
    }

    private void checkSilo(Document asset, List<Violation> violations) {
        if (!asset.containsKey("silo")) {
            if (flavour.usesSilo()) {
                violations.add(new Violation(Violation.REQUIRED,
                        "silo is missing; " + flavour.assetSchema() + " requires it ('assets' or 'shots')"));
            }
            return;
        }
        Object silo = asset.get("silo");
        if (!(silo instanceof String siloName)) {
            // asset-3.0 types silo as string when present, so null fails: the key must be omitted instead
            violations.add(new Violation(Violation.BSON_TYPE,
                    "silo must be a string" + (flavour.usesSilo() ? "" : " or absent") + ", found " + describe(silo)));
        } else if (!SILO.matcher(siloName).matches()) {
            violations.add(new Violation(Violation.NAME,
                    "silo " + quote(siloName) + " must match " + SILO.pattern()));
        }
    }

    private void checkHierarchy(Document asset, Map<?, ?> data, AssetLookup lookup, List<Violation> violations) {
        // names along the visualParent chain, root first; null when the chain cannot be followed
        List<Object> expectedParents = null;
        Object visualParent = data.get("visualParent");
        if (visualParent == null) {
            expectedParents = List.of();
        } else if (!(visualParent instanceof ObjectId)) {
            // tree views group on ObjectId: any other type makes the asset and its subtree vanish without an error
            violations.add(new Violation(Violation.BSON_TYPE,
                    "data.visualParent must be an ObjectId or null, found " + describe(visualParent)));
        } else {
            Object ownId = asset.get("_id");
            expectedParents = namesAlongChain(ownId, (ObjectId) visualParent, lookup, violations);
        }

        if (!data.containsKey("parents")) {
            // OpenPype and pype read data["parents"] directly (KeyError); avalon-core derives paths from silo
            if (flavour != Flavour.AVALON_CORE) {
                String expected = expectedParents != null ? "; expected " + describeList(expectedParents) : "";
                violations.add(new Violation(Violation.REQUIRED, "data.parents is missing" + expected));
            }
            return;
        }
        Object parents = data.get("parents");
        if (!(parents instanceof List<?> parentNames)) {
            violations.add(new Violation(Violation.BSON_TYPE,
                    "data.parents must be a list of strings, found " + describe(parents)));
        } else if (expectedParents != null && !expectedParents.equals(parentNames)) {
            violations.add(new Violation(Violation.PARENTS,
                    "data.parents must be " + describeList(expectedParents)
                            + " (asset names along data.visualParent, root first), found "
                            + describeList(parentNames)));
        }
    }

    private static List<Object> namesAlongChain(
            Object ownId, ObjectId visualParent, AssetLookup lookup, List<Violation> violations) {
        Deque<Object> names = new ArrayDeque<>();
        List<String> path = new ArrayList<>();
        Set<Object> visited = new HashSet<>();
        if (ownId != null) {
            visited.add(ownId);
        }
        ObjectId current = visualParent;
        while (true) {
            if (!visited.add(current)) {
                String reason = current.equals(ownId) && path.isEmpty()
                        ? "data.visualParent is the asset's own _id " + current
                        : "data.visualParent chain loops: " + String.join(" -> ", path) + " -> " + current;
                violations.add(new Violation(Violation.CYCLE, reason));
                return null;
            }
            Document ancestor = lookup.byId(current);
            if (ancestor == null) {
                String reason = path.isEmpty()
                        ? "data.visualParent " + current + " matches no asset in the project"
                        : "data.visualParent chain is broken: " + path.get(path.size() - 1)
                                + " has data.visualParent " + current + ", which matches no asset in the project";
                violations.add(new Violation(Violation.VISUAL_PARENT, reason));
                return null;
            }
            Object name = ancestor.get("name");
            names.addFirst(name);
            path.add(name + " (" + current + ")");

            Object next = ancestor.get("data") instanceof Map<?, ?> ancestorData
                    ? ancestorData.get("visualParent") : null;
            if (next == null) {
                return new ArrayList<>(names);
            }
            if (!(next instanceof ObjectId nextId)) {
                violations.add(new Violation(Violation.VISUAL_PARENT,
                        "data.visualParent chain is broken: " + path.get(path.size() - 1)
                                + " has data.visualParent " + describe(next)
                                + ", which is not an ObjectId"));
                return null;
            }
            current = nextId;
        }
    }

    private void checkTasks(Map<?, ?> data, Document project, List<Violation> violations) {
        if (!data.containsKey("tasks")) {
            return;
        }
        Object tasks = data.get("tasks");
        Set<String> declared = declaredTaskTypes(project);
        // Mongo keys: task names must not contain '.' or start with '$', which the name pattern already excludes
        Map<String, String> namesIgnoringCase = new HashMap<>();
        if (flavour.tasksAsDict()) {
            if (!(tasks instanceof Map<?, ?> taskMap)) {
                violations.add(new Violation(Violation.TASKS,
                        "data.tasks must be an embedded document {taskName: {type}} in " + flavour.key() + ", found "
                                + describe(tasks)));
                return;
            }
            for (Map.Entry<?, ?> entry : taskMap.entrySet()) {
                String taskName = String.valueOf(entry.getKey());
                checkTaskName(taskName, "data.tasks key " + quote(taskName), namesIgnoringCase, violations);
                if (!(entry.getValue() instanceof Map<?, ?> task)) {
                    violations.add(new Violation(Violation.TASKS,
                            "data.tasks." + taskName + " must be an embedded document {type}, found "
                                    + describe(entry.getValue())));
                } else if (!(task.get("type") instanceof String taskType)) {
                    violations.add(new Violation(Violation.TASKS,
                            "data.tasks." + taskName + ".type must be a string, found " + describe(task.get("type"))));
                } else if (!declared.contains(taskType)) {
                    violations.add(new Violation(Violation.TASK_TYPE,
                            "data.tasks." + taskName + ".type " + quote(taskType)
                                    + " is not a key of the project config.tasks "
                                    + sorted(declared)));
                }
            }
        } else {
            if (!(tasks instanceof List<?> taskList)) {
                violations.add(new Violation(Violation.TASKS,
                        "data.tasks must be a list of task names in " + flavour.key() + ", found " + describe(tasks)));
                return;
            }
            for (int i = 0; i < taskList.size(); i++) {
                Object item = taskList.get(i);
                if (!(item instanceof String taskName)) {
                    violations.add(new Violation(Violation.TASKS,
                            "data.tasks[" + i + "] must be a task name string, found " + describe(item)));
                    continue;
                }
                checkTaskName(taskName, "data.tasks[" + i + "] " + quote(taskName), namesIgnoringCase, violations);
                if (!declared.contains(taskName)) {
                    violations.add(new Violation(Violation.TASK_TYPE,
                            "data.tasks[" + i + "] " + quote(taskName) + " is not a name in the project config.tasks "
                                    + sorted(declared)));
                }
            }
        }
    }

    private static void checkTaskName(
            String taskName, String where, Map<String, String> namesIgnoringCase, List<Violation> violations) {
        if (!NameSanitizer.isValid(taskName)) {
            violations.add(new Violation(Violation.TASKS, where + " must match " + NameSanitizer.NAME.pattern()));
        }
        // task widgets and work folders treat names case-insensitively (same folder on Windows)
        String other = namesIgnoringCase.putIfAbsent(taskName.toLowerCase(Locale.ROOT), taskName);
        if (other != null) {
            violations.add(new Violation(Violation.TASKS,
                    where + " duplicates task " + quote(other) + " (task names are unique per asset, ignoring case)"));
        }
    }

    // the task types an asset may use: config.tasks keys (dict flavours) or config.tasks[].name (avalon-core)
    private Set<String> declaredTaskTypes(Document project) {
        Set<String> declared = new TreeSet<>();
        Object config = project.get("config");
        Object tasks = config instanceof Map<?, ?> configMap ? configMap.get("tasks") : null;
        if (flavour.tasksAsDict() && tasks instanceof Map<?, ?> taskTypes) {
            taskTypes.keySet().forEach(key -> declared.add(String.valueOf(key)));
        } else if (!flavour.tasksAsDict() && tasks instanceof List<?> taskList) {
            for (Object item : taskList) {
                if (item instanceof Map<?, ?> task && task.get("name") instanceof String name) {
                    declared.add(name);
                }
            }
        }
        return declared;
    }

    // readers look assets up by name alone, so a second asset with the same name is picked at random
    private static void checkUniqueName(Document asset, AssetLookup lookup, List<Violation> violations) {
        if (!(asset.get("name") instanceof String name) || name.isEmpty()) {
            return;
        }
        Object ownId = asset.get("_id");
        List<ObjectId> sameName = lookup.idsWithName(name);
        if (sameName == null) {
            return;
        }
        List<String> others = sameName.stream()
                .filter(id -> !id.equals(ownId))
                .map(ObjectId::toHexString)
                .distinct()
                .collect(Collectors.toList());
        if (!others.isEmpty()) {
            violations.add(new Violation(Violation.UNIQUE,
                    "asset name " + quote(name) + " is already used by asset " + String.join(", ", others)
                            + " (asset names are unique per project, ignoring case)"));
        }
    }

    // ---------------------------------------------------------------- messages

    private static boolean isSafeMongoKey(String key) {
        return !key.isEmpty() && key.indexOf('.') < 0 && !key.startsWith("$");
    }

    private static List<String> sorted(Set<String> values) {
        return new ArrayList<>(new TreeSet<>(values));
    }

    private static String quote(String value) {
        return "'" + value + "'";
    }

    // the Java type is part of the message: "Long 1001" and "Integer 1001" print the same otherwise
    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof String string ? quote(string) : String.valueOf(value);
        if (value instanceof Document document) {
            text = toJson(document);
        }
        if (text.length() > MAX_VALUE_LENGTH) {
            text = text.substring(0, MAX_VALUE_LENGTH) + "...";
        }
        return typeName(value) + " " + text;
    }

    // collection implementations (List12, LinkedHashMap...) would only distract: name them as BSON sees them
    private static String typeName(Object value) {
        if (value instanceof Document) {
            return "Document";
        }
        if (value instanceof Map) {
            return "Map";
        }
        if (value instanceof List) {
            return "List";
        }
        String name = value.getClass().getSimpleName();
        return name.isEmpty() ? value.getClass().getName() : name;
    }

    private static String toJson(Document document) {
        try {
            return document.toJson();
        } catch (RuntimeException e) {
            // a value the default codecs cannot encode; the map form still shows what is there
            return String.valueOf(document);
        }
    }

    private static String describeList(List<?> values) {
        return values.stream()
                .map(value -> value instanceof String string ? quote(string) : String.valueOf(value))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
