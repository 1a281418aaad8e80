package io.avalonsync.fields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.bson.Document;

/**
 * Tracker fields mapped into Avalon {@code data} keys by configuration (README "Field mapping"):
 * <pre>
 * kitsu.fields.&lt;avalon key&gt;               = &lt;tracker field&gt;[:&lt;type&gt;]   every entity type but the project
 * kitsu.fields.&lt;entity type&gt;.&lt;avalon key&gt; = &lt;tracker field&gt;[:&lt;type&gt;]   one entity type; wins over the above
 * shotgrid.fields.... the same
 * </pre>
 * A mapped key is written on top of the built-in mapping (it replaces the built-in value of the same key); with no
 * mapping the built-in mapping is all there is. A tracker value that is absent or blank writes nothing; one that
 * cannot be turned into the type is left out with a log line. The rules are checked by {@code validate}
 * ({@link #parse}); the mappers of each entity type apply them ({@link #apply}), in the full sync and for events
 * alike.
 */
public final class FieldMapping {

    /** The trackers whose fields can be mapped: their entity types and what a field looks like. */
    public enum Tracker {
        KITSU("kitsu", "Kitsu", List.of("project", "asset", "episode", "sequence", "shot"),
                Pattern.compile("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$"), true,
                "a field of the Kitsu entity (nb_frames) or a path into it, such as data.<name> for a metadata"
                        + " descriptor (data.difficulty)"),
        SHOTGRID("shotgrid", "ShotGrid", List.of("project", "asset", "episode", "sequence", "shot"),
                Pattern.compile("^[a-z][a-z0-9_]*(\\.[A-Z][A-Za-z0-9]*\\.[a-z][a-z0-9_]*)?$"), false,
                "a ShotGrid field name (sg_cut_duration) or a linked field (sg_sequence.Sequence.code)");

        private final String key;
        private final String label;
        private final List<String> entityTypes;
        private final Pattern field;
        private final boolean paths;
        private final String fieldHelp;

        Tracker(String key, String label, List<String> entityTypes, Pattern field, boolean paths, String fieldHelp) {
            this.key = key;
            this.label = label;
            this.entityTypes = entityTypes;
            this.field = field;
            this.paths = paths;
            this.fieldHelp = fieldHelp;
        }

        /** {@code kitsu}, {@code shotgrid}. */
        public String key() {
            return key;
        }

        /** {@code kitsu.fields.}, {@code shotgrid.fields.}. */
        public String prefix() {
            return key + ".fields.";
        }

        public List<String> entityTypes() {
            return entityTypes;
        }
    }

    /** One mapping: {@code entityType} null for every entity type but the project. */
    public record Rule(String key, String entityType, String avalonKey, String field, FieldType type) {
    }

    /** A mapping that cannot be used, named by its full key. */
    public record Problem(String key, String message) {
    }

    /** Keys the sync writes itself (tree, identity, tasks): mapping a field there would fight it. */
    private static final Set<String> RESERVED = Set.of("label", "entityType", "visualParent", "parents", "tasks", "zou",
            "zou_id", "root_of", "shotgridKey", "shotgridId", "shotgridType");
    /** Keys whose BSON type Avalon readers depend on (frames and sizes Int32, rates doubles). */
    private static final Map<String, FieldType> AVALON_TYPES = new TreeMap<>();

    static {
        for (String key : List.of("frameStart", "frameEnd", "handleStart", "handleEnd", "clipIn", "clipOut",
                "resolutionWidth", "resolutionHeight")) {
            AVALON_TYPES.put(key, FieldType.INT);
        }
        AVALON_TYPES.put("fps", FieldType.FLOAT);
        AVALON_TYPES.put("pixelAspect", FieldType.FLOAT);
        AVALON_TYPES.put("active", FieldType.BOOL);
        AVALON_TYPES.put("code", FieldType.TEXT);
    }

    private static final Pattern AVALON_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private final Tracker tracker;
    private final List<Rule> rules;

    private FieldMapping(Tracker tracker, List<Rule> rules) {
        this.tracker = tracker;
        this.rules = List.copyOf(rules);
    }

    /** No mapping: the built-in mapping only. */
    public static FieldMapping none(Tracker tracker) {
        return new FieldMapping(tracker, List.of());
    }

    /**
     * The rules of {@code entries} (full key → value, null for an empty value); keys without the tracker's prefix are
     * ignored. Each entry that cannot be used is added to {@code problems} and left out.
     */
    public static FieldMapping parse(Tracker tracker, Map<String, String> entries, List<Problem> problems) {
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(tracker.prefix())) {
                continue;
            }
            Rule rule = rule(tracker, key, entry.getValue(), problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new FieldMapping(tracker, rules);
    }

    private static Rule rule(Tracker tracker, String key, String value, List<Problem> problems) {
        String[] parts = key.substring(tracker.prefix().length()).split("\\.", -1);
        String entityType = null;
        String avalonKey;
        if (parts.length == 1) {
            avalonKey = parts[0];
        } else if (parts.length == 2) {
            entityType = parts[0];
            avalonKey = parts[1];
            if (!tracker.entityTypes.contains(entityType)) {
                problems.add(new Problem(key, "unknown entity type '" + entityType + "' (known: "
                        + String.join(", ", tracker.entityTypes) + ")" + closest(entityType, tracker.entityTypes)));
                return null;
            }
        } else {
            problems.add(new Problem(key, "expected " + tracker.prefix() + "<avalon key> or " + tracker.prefix()
                    + "<entity type>.<avalon key>, with an Avalon key of letters, digits and _"));
            return null;
        }
        if (!AVALON_KEY.matcher(avalonKey).matches()) {
            problems.add(new Problem(key, "'" + avalonKey + "' is not an Avalon data key: letters, digits and _,"
                    + " not starting with a digit"));
            return null;
        }
        if (RESERVED.contains(avalonKey)) {
            problems.add(new Problem(key, "data." + avalonKey + " is written by the sync itself (tree, identity or"
                    + " tasks) and cannot be mapped"));
            return null;
        }
        if (value == null || value.isBlank()) {
            problems.add(new Problem(key, "is empty: expected <" + tracker.label + " field>[:<type>], e.g. "
                    + (tracker == Tracker.KITSU ? "data.difficulty:int" : "sg_cut_duration:int")));
            return null;
        }
        String field = value.trim();
        FieldType type = null;
        int colon = field.lastIndexOf(':');
        if (colon >= 0) {
            String typeKey = field.substring(colon + 1).trim();
            field = field.substring(0, colon).trim();
            type = FieldType.fromKey(typeKey);
            if (type == null) {
                problems.add(new Problem(key, "unknown type '" + typeKey + "' (known: " + String.join(", ", FieldType.keys())
                        + ")" + closest(typeKey, FieldType.keys())));
                return null;
            }
        }
        if (!tracker.field.matcher(field).matches()) {
            problems.add(new Problem(key, "'" + field + "' is not " + tracker.label + " field syntax: expected "
                    + tracker.fieldHelp));
            return null;
        }
        FieldType required = AVALON_TYPES.get(avalonKey);
        if (type == null) {
            type = required != null ? required : FieldType.RAW;
        } else if (required != null && type != required) {
            problems.add(new Problem(key, "data." + avalonKey + " is read as " + required.key() + " by Avalon tools,"
                    + " not " + type.key() + ": write :" + required.key() + " or leave the type out"));
            return null;
        }
        return new Rule(key, entityType, avalonKey, field, type);
    }

    /** " (did you mean x?)" when a candidate is one or two edits away (case aside), else "". */
    public static String closest(String word, List<String> candidates) {
        for (String candidate : candidates) {
            if (editDistance(word.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT)) <= 2) {
                return " (did you mean " + candidate + "?)";
            }
        }
        return "";
    }

    /** Levenshtein distance (insertions, deletions, substitutions); validate's "did you mean" uses it too. */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules an entity type follows: its own, and the ones for every type (not the project) it does not override. */
    public List<Rule> rulesFor(String entityType) {
        Map<String, Rule> effective = new LinkedHashMap<>();
        if (!"project".equals(entityType)) {
            rules.stream().filter(r -> r.entityType() == null).forEach(r -> effective.put(r.avalonKey(), r));
        }
        rules.stream().filter(r -> entityType.equals(r.entityType())).forEach(r -> effective.put(r.avalonKey(), r));
        return new ArrayList<>(effective.values());
    }

    /** The tracker fields an entity type's reads must keep or ask for (a path's first step for Kitsu). */
    public Set<String> fieldsToRead(String entityType) {
        Set<String> fields = new LinkedHashSet<>();
        for (Rule rule : rulesFor(entityType)) {
            fields.add(tracker.paths ? rule.field().split("\\.")[0] : rule.field());
        }
        return fields;
    }

    /**
     * Writes the mapped keys of {@code record} (an entity of {@code entityType}) into {@code attributes}, over any
     * built-in value; {@code warn} gets what could not be used.
     */
    public void apply(String entityType, Map<String, Object> record, Document attributes, Consumer<String> warn) {
        if (rules.isEmpty()) {
            return;
        }
        for (Rule rule : rulesFor(entityType)) {
            Object raw = read(record, rule.field());
            if (FieldType.isEmpty(raw)) {
                continue;
            }
            try {
                attributes.put(rule.avalonKey(), rule.type().coerce(raw));
            } catch (IllegalArgumentException e) {
                warn.accept(rule.field() + " " + e.getMessage() + "; data." + rule.avalonKey() + " not synced ("
                        + rule.key() + ")");
            }
        }
    }

    private Object read(Map<String, Object> record, String field) {
        if (!tracker.paths) {
            return record.get(field);
        }
        Object current = record;
        for (String step : field.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }
}
