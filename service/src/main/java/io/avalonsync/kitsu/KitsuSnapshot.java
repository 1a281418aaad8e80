package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.sync.Progress;

/**
 * Everything one full sync reads of a Kitsu project, one list request each (never one per entity).
 * Lists are parsed as streams and only the fields the mappers use are kept, so a project with 70,000
 * tasks costs a fraction of its JSON; the snapshot is dropped as soon as the project is mapped.
 */
public final class KitsuSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fields each list keeps; the same names the mappers read from single-entity answers. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "taskTypes", Set.of("id", "name", "short_name", "for_entity"),
            "projectTaskTypes", Set.of("id", "name", "short_name", "for_entity"),
            "taskStatuses", Set.of("id", "name", "short_name"),
            "assetTypes", Set.of("id", "name", "archived"),
            "assets", Set.of("id", "name", "entity_type_id", "canceled", "project_id", "type"),
            "episodes", Set.of("id", "name", "canceled", "project_id", "type"),
            "sequences", Set.of("id", "name", "parent_id", "canceled", "project_id", "type"),
            "shots", Set.of("id", "name", "parent_id", "canceled", "nb_frames", "data", "project_id", "type"),
            "tasks", Set.of("id", "name", "entity_id", "task_type_id", "task_status_id"));

    private final Map<String, Object> project;
    private final Map<String, List<Map<String, Object>>> lists = new HashMap<>();

    void put(String list, List<Map<String, Object>> records) {
        lists.put(list, records);
    }

    static Set<String> fieldsOf(String list) {
        return FIELDS.get(list);
    }

    public KitsuSnapshot(Map<String, Object> project) {
        this.project = project;
    }

    static List<Map<String, Object>> readList(InputStream in, Set<String> fields) throws IOException {
        return readList(in, fields, null);
    }

    /** The same, counting each record into {@code progress} (may be null) as it is parsed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readList(InputStream in, Set<String> fields, Progress progress) throws IOException {
        List<Map<String, Object>> result = new ArrayList<>();
        if (in == null) {
            throw new IOException("empty answer");
        }
        try (JsonParser parser = JSON.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected a JSON list at " + parser.currentLocation().toString());
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> record = JSON.readValue(parser, LinkedHashMap.class);
                if (fields != null) {
                    record.keySet().retainAll(fields);
                }
                result.add(record);
                if (progress != null) {
                    progress.advance(1);
                }
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw new IOException("unexpected " + parser.currentToken() + " in a JSON list");
            }
        }
        return result;
    }

    public Map<String, Object> project() {
        return project;
    }

    public List<Map<String, Object>> list(String name) {
        return lists.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        lists.forEach((name, list) -> text.append(text.length() == 0 ? "" : ", ").append(list.size()).append(' ').append(name));
        return text.toString();
    }
}
