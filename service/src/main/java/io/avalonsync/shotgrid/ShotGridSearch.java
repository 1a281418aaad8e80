package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bodies of {@code POST /api/v1/entity/{slug}/_search} (docs/shotgrid-api.md, Searching): array filters (AND of triples), sent as
 * {@code application/vnd+shotgun.api3_array+json}, or a {@code {logical_operator, conditions}} hash sent as
 * {@code application/vnd+shotgun.api3_hash+json}; plain {@code application/json} is refused with 415. A search
 * is paged by re-posting the same body with the next {@code page.number} (never by following
 * {@code links.next}, which drops the body), sorted by id so pages do not shift under concurrent creates.
 */
public final class ShotGridSearch {

    public static final String ARRAY_CONTENT_TYPE = "application/vnd+shotgun.api3_array+json";
    public static final String HASH_CONTENT_TYPE = "application/vnd+shotgun.api3_hash+json";
    public static final String API = "/api/v1";
    /** Rows per page of the event log poll and of an event's re-reads: a poll's work stays bounded. */
    public static final int PAGE_SIZE = 500;
    /** The most rows ShotGrid answers per page: a full sync's reads, since every request has a fixed cost. */
    public static final int MAX_PAGE_SIZE = 5000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fields the mappers read, per entity type; the same list for a full sync page and an event re-read. */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "Project", List.of("name", "code", "sg_status", "archived", "is_template"),
            "Step", List.of("code", "short_name", "entity_type"),
            "Asset", List.of("code", "sg_asset_type", "sg_status_list", "project"),
            "Episode", List.of("code", "sg_status_list", "project"),
            "Sequence", List.of("code", "episode", "sg_status_list", "project"),
            // sg_frame_start/end and sg_frame_rate exist only when the site added them; unknown fields are
            // silently dropped by ShotGrid, so asking is harmless
            "Shot", List.of("code", "sg_sequence", "sg_status_list", "sg_cut_in", "sg_cut_out", "sg_head_in",
                    "sg_tail_out", "sg_frame_start", "sg_frame_end", "sg_frame_rate", "project"),
            "Task", List.of("content", "step", "step.Step.code", "entity", "sg_status_list", "project"),
            "EventLogEntry", List.of("id", "event_type", "attribute_name", "meta", "entity", "project", "user",
                    "session_uuid", "created_at"));

    private final String type;
    private final List<Object> conditions = new ArrayList<>();
    private String logicalOperator;
    private List<String> fields;
    private String sort = "id";
    private int size = PAGE_SIZE;
    private int number = 1;
    private String returnOnly;

    private ShotGridSearch(String type) {
        this.type = type;
        this.fields = FIELDS.getOrDefault(type, List.of("id"));
    }

    /** A search of one entity type with the fields the mappers need. */
    public static ShotGridSearch of(String type) {
        return new ShotGridSearch(type);
    }

    /** The fields the mappers read for an entity type (empty for types this service does not map). */
    public static List<String> fields(String type) {
        return FIELDS.getOrDefault(type, List.of());
    }

    /** Every entity of a type in one project. */
    public static ShotGridSearch inProject(String type, int projectId) {
        ShotGridSearch search = of(type);
        // the filter names the project: its link on each of 72,000 task rows would only cost heap
        search.fields = search.fields.stream().filter(f -> !f.equals("project")).toList();
        return search.where("project", "is", link("Project", projectId));
    }

    /** An entity-valued filter value: ShotGrid wants the full {@code {type, id}} hash, never a bare id. */
    public static Map<String, Object> link(String type, int id) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("type", type);
        link.put("id", id);
        return link;
    }

    /** Canonical path segment of an entity type: lower-case snake plural ({@code EventLogEntry → event_log_entries}). */
    public static String slugOf(String type) {
        StringBuilder snake = new StringBuilder();
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (Character.isUpperCase(c) && i > 0
                    && (Character.isLowerCase(type.charAt(i - 1)) || Character.isDigit(type.charAt(i - 1)))) {
                snake.append('_');
            }
            snake.append(Character.toLowerCase(c));
        }
        String s = snake.toString();
        if (s.endsWith("y") && s.length() > 1 && "aeiou".indexOf(s.charAt(s.length() - 2)) < 0) {
            return s.substring(0, s.length() - 1) + "ies";
        }
        return s.endsWith("s") ? s + "es" : s + "s";
    }

    /** The path segment of the searched type ({@code shots}): the route posts to {@code /api/v1/entity/<slug>/_search}. */
    public String slug() {
        return slugOf(type);
    }

    /** {@code /api/v1/entity/<slug>/_search}. */
    public String path() {
        return API + "/entity/" + slug() + "/_search";
    }

    public String type() {
        return type;
    }

    /** Adds one {@code [field, relation, value]} condition (AND). */
    public ShotGridSearch where(String field, String relation, Object value) {
        List<Object> triple = new ArrayList<>(3);
        triple.add(field);
        triple.add(relation);
        triple.add(value);
        conditions.add(triple);
        return this;
    }

    /** Adds a nested {@code {logical_operator, conditions}} hash; the body becomes the hash form. */
    public ShotGridSearch whereAny(List<List<Object>> alternatives) {
        Map<String, Object> any = new LinkedHashMap<>();
        any.put("logical_operator", "or");
        any.put("conditions", new ArrayList<>(alternatives));
        conditions.add(any);
        logicalOperator = "and";
        return this;
    }

    /** The fields asked for. */
    public List<String> fieldList() {
        return fields;
    }

    public ShotGridSearch fields(List<String> fields) {
        this.fields = List.copyOf(fields);
        return this;
    }

    public ShotGridSearch sort(String sort) {
        this.sort = sort;
        return this;
    }

    public ShotGridSearch size(int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("ShotGrid page size must be 1..5000, not " + size);
        }
        this.size = size;
        return this;
    }

    public ShotGridSearch page(int number) {
        this.number = number;
        return this;
    }

    /** {@code active} (default) or {@code retired}: deleted rows are read with {@code retired}. */
    public ShotGridSearch returnOnly(String which) {
        this.returnOnly = which;
        return this;
    }

    public int size() {
        return size;
    }

    /** The same search, next page. */
    public ShotGridSearch next() {
        return copy().page(number + 1);
    }

    private ShotGridSearch copy() {
        ShotGridSearch copy = new ShotGridSearch(type);
        copy.conditions.addAll(conditions);
        copy.logicalOperator = logicalOperator;
        copy.fields = fields;
        copy.sort = sort;
        copy.size = size;
        copy.number = number;
        copy.returnOnly = returnOnly;
        return copy;
    }

    /** The Content-Type the body must be sent with. */
    public String contentType() {
        return logicalOperator == null ? ARRAY_CONTENT_TYPE : HASH_CONTENT_TYPE;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (logicalOperator == null) {
            body.put("filters", new ArrayList<>(conditions));
        } else {
            Map<String, Object> hash = new LinkedHashMap<>();
            hash.put("logical_operator", logicalOperator);
            hash.put("conditions", new ArrayList<>(conditions));
            body.put("filters", hash);
        }
        body.put("fields", fields);
        body.put("sort", sort);
        body.put("page", Map.of("size", size, "number", number));
        if (returnOnly != null) {
            body.put("options", Map.of("return_only", returnOnly));
        }
        return body;
    }

    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the ShotGrid search for " + type, e);
        }
    }

    @Override
    public String toString() {
        return "POST " + path() + " page " + number;
    }
}
