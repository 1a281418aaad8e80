package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.fields.FieldMapping;

/**
 * What a studio chose to sync from ShotGrid (README "Field mapping"): the entity types ({@code shotgrid.entity-types})
 * and the mapped fields ({@code shotgrid.fields.*}). The searches ask for the mapped fields too (ShotGrid answers
 * only the fields asked for); the mappers apply the mapping, in the full sync and for events alike. An entity type
 * left out is neither read nor written: its children sit at the top of their tree, and without {@code Task} the
 * entities' {@code data.tasks} are left as they are.
 */
public final class ShotGridFields {

    /** The entity types that can be synced, as ShotGrid spells them; the default is all of them. */
    public static final List<String> TYPES = List.of("Asset", "Episode", "Sequence", "Shot", "Task");

    private static final Map<String, String> MAPPING_TYPES = Map.of("Project", "project", "Asset", "asset",
            "Episode", "episode", "Sequence", "sequence", "Shot", "shot");

    private final Set<String> types;
    private final FieldMapping mapping;

    public ShotGridFields(Set<String> types, FieldMapping mapping) {
        this.types = Set.copyOf(types);
        this.mapping = mapping;
    }

    /** Everything, with the built-in mapping only: as before these settings existed. */
    public static ShotGridFields defaults() {
        return new ShotGridFields(Set.copyOf(TYPES), FieldMapping.none(FieldMapping.Tracker.SHOTGRID));
    }

    /**
     * {@code shotgrid.entity-types}: a comma list of {@link #TYPES} (blank: all). Returns the problem with the value,
     * or null; {@code into} gets the types.
     */
    public static String parseTypes(String value, Set<String> into) {
        if (value == null || value.isBlank()) {
            into.addAll(TYPES);
            return null;
        }
        List<String> unknown = new ArrayList<>();
        for (String item : value.split(",")) {
            String type = item.trim();
            if (type.isEmpty()) {
                continue;
            }
            if (TYPES.contains(type)) {
                into.add(type);
            } else {
                unknown.add("'" + type + "'" + FieldMapping.closest(type, TYPES));
            }
        }
        if (!unknown.isEmpty()) {
            return "unknown entity type " + String.join(", ", unknown) + "; known: " + String.join(", ", TYPES);
        }
        if (into.stream().noneMatch(t -> !t.equals("Task"))) {
            return "no entity type to sync: list some of Asset, Episode, Sequence, Shot (and Task)";
        }
        return null;
    }

    /** Whether ShotGrid's entity type is synced (Project and Step always are). */
    public boolean synced(String type) {
        return types.contains(type) || !TYPES.contains(type);
    }

    public FieldMapping mapping() {
        return mapping;
    }

    /** The field mapping's entity type name of a ShotGrid type ({@code Shot} → {@code shot}), or null. */
    static String mappingType(String type) {
        return MAPPING_TYPES.get(type);
    }

    /** The search, asking also for the fields mapped for its entity type. */
    public ShotGridSearch widen(ShotGridSearch search) {
        String type = mappingType(search.type());
        if (type == null || mapping.isEmpty()) {
            return search;
        }
        Set<String> fields = new LinkedHashSet<>(search.fieldList());
        if (fields.addAll(mapping.fieldsToRead(type))) {
            search.fields(new ArrayList<>(fields));
        }
        return search;
    }
}
