package io.avalonsync.sandbox;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * ShotGrid REST query semantics over {@link ShotGridData} rows: {@code _search} filters (array of triples or
 * {@code {logical_operator, conditions}} hash), {@code filter[field]} query parameters, {@code sort},
 * {@code fields}, and the JSON:API-like rendering of a row (plain fields in {@code attributes}, links in
 * {@code relationships.<field>.data}). Bad input throws {@link ShotGridError} with the server's titles.
 */
final class ShotGridQuery {

    static final List<String> RELATIONS = List.of("is", "is_not", "less_than", "greater_than", "contains",
            "not_contains", "starts_with", "ends_with", "between", "not_between", "in", "not_in", "type_is",
            "type_is_not");

    private final ShotGridData data;
    private final String type;

    ShotGridQuery(ShotGridData data, String type) {
        this.data = data;
        this.type = type;
    }

    // ---------------------------------------------------------------- filters

    /** {@code [[field, relation, value...], ...]}: all must hold. */
    Predicate<Map<String, Object>> arrayFilters(Object filters) {
        if (filters == null) {
            return row -> true;
        }
        if (!(filters instanceof List<?> conditions)) {
            throw ShotGridError.invalid("Query is not an Array", Map.of("filters", String.valueOf(filters)));
        }
        List<Predicate<Map<String, Object>>> all = new ArrayList<>();
        for (Object condition : conditions) {
            if (!(condition instanceof List<?> triple)) {
                throw ShotGridError.invalid("Invalid condition", Map.of("filters", String.valueOf(condition)));
            }
            all.add(condition(triple));
        }
        return row -> all.stream().allMatch(p -> p.test(row));
    }

    /** {@code {"logical_operator": "and"|"or", "conditions": [triple or nested hash, ...]}}. */
    Predicate<Map<String, Object>> hashFilters(Object filters) {
        if (filters == null) {
            return row -> true;
        }
        if (!(filters instanceof Map<?, ?>)) {
            throw ShotGridError.invalid("Query is not an Hash", Map.of("filters", String.valueOf(filters)));
        }
        return group(filters);
    }

    private Predicate<Map<String, Object>> group(Object node) {
        if (node instanceof List<?> triple) {
            return condition(triple);
        }
        if (!(node instanceof Map<?, ?> hash)) {
            throw ShotGridError.invalid("Invalid condition", Map.of("filters", String.valueOf(node)));
        }
        Object operator = hash.get("logical_operator");
        if (operator == null) {
            throw ShotGridError.invalid("Missing logical operator", Map.of("filters", String.valueOf(node)));
        }
        if (!"and".equals(operator) && !"or".equals(operator)) {
            throw ShotGridError.invalid("Invalid logical operator '" + operator + "', must be one of: and, or",
                    Map.of("logical_operator", String.valueOf(operator)));
        }
        if (!(hash.get("conditions") instanceof List<?> conditions)) {
            throw ShotGridError.invalid("Missing conditions", Map.of("filters", String.valueOf(node)));
        }
        List<Predicate<Map<String, Object>>> parts = new ArrayList<>();
        for (Object condition : conditions) {
            parts.add(group(condition));
        }
        boolean and = "and".equals(operator);
        return row -> and ? parts.stream().allMatch(p -> p.test(row)) : parts.stream().anyMatch(p -> p.test(row));
    }

    /** One {@code [field, relation, value]}; values may also be spread ({@code ["id", "in", 1, 2]}). */
    private Predicate<Map<String, Object>> condition(List<?> triple) {
        if (triple.size() < 3 || !(triple.get(0) instanceof String field) || !(triple.get(1) instanceof String relation)) {
            throw ShotGridError.invalid("Invalid condition", Map.of("filters", String.valueOf(triple)));
        }
        String dataType = checkFilterField(field);
        if (!RELATIONS.contains(relation)) {
            throw ShotGridError.invalid("Invalid relation '" + relation + "' for field '" + field
                    + "', must be one of: " + String.join(", ", RELATIONS), Map.of("relation", RELATIONS));
        }
        List<?> values = triple.size() == 3 && triple.get(2) instanceof List<?> list ? list
                : triple.subList(2, triple.size());
        Object value = triple.get(2);
        boolean entity = dataType.equals("entity") || dataType.equals("multi_entity");
        switch (relation) {
            case "is":
            case "is_not": {
                checkEntityValue(field, entity, value, true);
                boolean negate = relation.equals("is_not");
                return row -> negate != same(read(row, field), value);
            }
            case "in":
            case "not_in": {
                for (Object item : values) {
                    checkEntityValue(field, entity, item, true);
                }
                boolean negate = relation.equals("not_in");
                return row -> {
                    Object stored = read(row, field);
                    return negate != values.stream().anyMatch(v -> same(stored, v));
                };
            }
            case "type_is":
            case "type_is_not": {
                boolean negate = relation.equals("type_is_not");
                return row -> negate != (read(row, field) instanceof Map<?, ?> link
                        ? String.valueOf(value).equals(link.get("type")) : value == null);
            }
            case "greater_than":
            case "less_than": {
                requireScalar(field, entity, relation);
                int sign = relation.equals("greater_than") ? 1 : -1;
                return row -> {
                    Object stored = read(row, field);
                    return stored != null && stored != ShotGridData.ABSENT && value != null
                            && Integer.signum(compare(stored, value)) == sign;
                };
            }
            case "between":
            case "not_between": {
                requireScalar(field, entity, relation);
                if (values.size() != 2) {
                    throw ShotGridError.invalid("Invalid condition: " + relation + " takes two values",
                            Map.of("filters", String.valueOf(triple)));
                }
                boolean negate = relation.equals("not_between");
                return row -> {
                    Object stored = read(row, field);
                    boolean inside = stored != null && stored != ShotGridData.ABSENT
                            && compare(stored, values.get(0)) >= 0 && compare(stored, values.get(1)) <= 0;
                    return negate != inside;
                };
            }
            default: {
                requireScalar(field, entity, relation);
                String needle = String.valueOf(value).toLowerCase();
                return row -> {
                    Object stored = read(row, field);
                    String text = stored == null || stored == ShotGridData.ABSENT ? "" : String.valueOf(stored).toLowerCase();
                    switch (relation) {
                        case "contains": return text.contains(needle);
                        case "not_contains": return !text.contains(needle);
                        case "starts_with": return text.startsWith(needle);
                        default: return text.endsWith(needle);
                    }
                };
            }
        }
    }

    /** {@code filter[field]=v} (equality) or {@code filter[field]=a,b} (in), as GET takes them. */
    Predicate<Map<String, Object>> queryFilters(Map<String, String> params) {
        List<Predicate<Map<String, Object>>> all = new ArrayList<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            String key = param.getKey();
            if (!key.startsWith("filter[") || !key.endsWith("]")) {
                continue;
            }
            String field = key.substring("filter[".length(), key.length() - 1);
            checkFilterField(field);
            List<String> values = Arrays.asList(param.getValue().split(",", -1));
            all.add(row -> {
                Object stored = read(row, field);
                return values.stream().anyMatch(v -> same(stored, v));
            });
        }
        return row -> all.stream().allMatch(p -> p.test(row));
    }

    /** The data type of a filterable field or dotted path; 400 as the server answers otherwise. */
    private String checkFilterField(String path) {
        String owner = type;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            String dataType = name.equals("id") ? "number" : ShotGridData.fields(owner).get(name);
            if (dataType == null) {
                throw ShotGridError.invalid("API read() " + owner + "." + name + " doesn't exist.",
                        Map.of("filters", path));
            }
            if (dataType.equals("serializable")) {
                throw ShotGridError.invalid("API read() " + owner + "." + name + " cannot be used in a filter.",
                        Map.of("filters", path));
            }
            if (i == parts.length - 1) {
                return dataType;
            }
            if (i + 2 >= parts.length || !dataType.endsWith("entity")
                    || !ShotGridData.entityTypes().contains(parts[i + 1])) {
                throw ShotGridError.invalid("API read() invalid path " + path, Map.of("filters", path));
            }
            owner = parts[++i];
        }
        return "text";
    }

    private static void checkEntityValue(String field, boolean entity, Object value, boolean nullAllowed) {
        if (!entity || (value == null && nullAllowed)) {
            return;
        }
        if (!(value instanceof Map<?, ?> link) || !(link.get("type") instanceof String) || !(link.get("id") instanceof Number)) {
            throw ShotGridError.invalid("Invalid filter value for entity field '" + field
                    + "': expected a hash with \"type\" and \"id\", got " + value, Map.of("filters", field));
        }
    }

    private static void requireScalar(String field, boolean entity, String relation) {
        if (entity) {
            throw ShotGridError.invalid("Invalid relation '" + relation + "' for entity field '" + field + "'",
                    Map.of("filters", field));
        }
    }

    private Object read(Map<String, Object> row, String path) {
        return data.value(type, row, path);
    }

    /** {@code is} semantics: links by type and id, multi-entity by membership, numbers by value, text ignoring case. */
    static boolean same(Object stored, Object wanted) {
        if (stored == ShotGridData.ABSENT) {
            return false;
        }
        if (stored instanceof List<?> many) {
            return wanted == null ? many.isEmpty() : many.stream().anyMatch(item -> same(item, wanted));
        }
        if (stored == null || wanted == null) {
            return stored == null && wanted == null;
        }
        if (stored instanceof Map<?, ?> link) {
            if (wanted instanceof Map<?, ?> other) {
                return link.get("type").equals(other.get("type")) && same(link.get("id"), other.get("id"));
            }
            return same(link.get("id"), wanted); // filter[project]=70
        }
        if (stored instanceof Number || wanted instanceof Number) {
            BigDecimal a = number(stored);
            BigDecimal b = number(wanted);
            return a != null && b != null && a.compareTo(b) == 0;
        }
        if (stored instanceof Boolean) {
            return stored.toString().equalsIgnoreCase(String.valueOf(wanted));
        }
        return String.valueOf(stored).equalsIgnoreCase(String.valueOf(wanted));
    }

    private static int compare(Object a, Object b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof String text && text.matches("-?\\d+(\\.\\d+)?")) {
            return new BigDecimal(text);
        }
        return null;
    }

    // ---------------------------------------------------------------- sort and fields

    /**
     * {@code "code,-id"}: unknown fields are ignored, as on the server; id ascending decides ties. Null means
     * id ascending, the order rows are stored in (no sort needed).
     */
    Comparator<Map<String, Object>> sort(String sort) {
        Comparator<Map<String, Object>> order = null;
        if (sort != null) {
            for (String item : sort.split(",")) {
                String name = item.trim();
                boolean descending = name.startsWith("-");
                String field = descending ? name.substring(1) : name;
                if (!field.equals("id") && !ShotGridData.fields(type).containsKey(field)) {
                    continue;
                }
                if (field.equals("id") && !descending && order == null) {
                    return null; // id is unique: nothing after it matters
                }
                Comparator<Map<String, Object>> byField = (a, b) -> compareSortable(sortKey(a, field), sortKey(b, field));
                Comparator<Map<String, Object>> step = descending ? byField.reversed() : byField;
                order = order == null ? step : order.thenComparing(step);
            }
        }
        return order == null ? null : order.thenComparing(row -> (Integer) row.get("id"));
    }

    private Object sortKey(Map<String, Object> row, String field) {
        Object value = read(row, field);
        if (value instanceof Map<?, ?> link) {
            return data.linkOut(link).get("name");
        }
        return value instanceof List<?> ? null : value;
    }

    private static int compareSortable(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return compare(a, b);
    }

    /** The requested field list, or null for every field ({@code *} or nothing given). */
    static List<String> fields(Object fields) {
        List<String> names = new ArrayList<>();
        if (fields instanceof List<?> list) {
            for (Object item : list) {
                names.add(String.valueOf(item).trim());
            }
        } else if (fields instanceof String text && !text.isBlank()) {
            for (String item : text.split(",")) {
                names.add(item.trim());
            }
        } else {
            return null;
        }
        return names.contains("*") ? null : names;
    }

    // ---------------------------------------------------------------- rendering

    /** One record: {@code {type, attributes, relationships, id, links: {self}}}. Call under the data lock. */
    Map<String, Object> render(Map<String, Object> row, List<String> fields, String prefix) {
        Map<String, String> schema = ShotGridData.fields(type);
        Integer id = (Integer) row.get("id");
        String self = prefix + "/entity/" + ShotGridData.slug(type) + "/" + id;
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, Object> relationships = new LinkedHashMap<>();
        for (String field : fields == null ? schema.keySet() : fields) {
            if (field.equals("id") || field.equals("type")) {
                continue;
            }
            if (field.contains(".")) {
                Object value = safeRead(row, field);
                if (value != ShotGridData.ABSENT) {
                    attributes.put(field, value instanceof Map<?, ?> link ? data.linkOut(link) : value);
                }
                continue;
            }
            String dataType = schema.get(field);
            if (dataType == null) {
                continue; // unknown fields are silently dropped
            }
            Object value = read(row, field);
            if (dataType.equals("entity")) {
                Map<String, Object> link = data.linkOut(value);
                Map<String, Object> links = new LinkedHashMap<>();
                links.put("self", self + "/relationships/" + field);
                if (link != null) {
                    links.put("related", prefix + "/entity/" + ShotGridData.slug((String) link.get("type")) + "/"
                            + link.get("id"));
                }
                Map<String, Object> relationship = new LinkedHashMap<>();
                relationship.put("data", link);
                relationship.put("links", links);
                relationships.put(field, relationship);
            } else if (dataType.equals("multi_entity")) {
                List<Map<String, Object>> links = new ArrayList<>();
                for (Object item : value == null ? List.of() : (List<?>) value) {
                    links.add(data.linkOut(item));
                }
                Map<String, Object> relationship = new LinkedHashMap<>();
                relationship.put("data", links);
                relationship.put("links", Map.of("self", self + "/relationships/" + field));
                relationships.put(field, relationship);
            } else {
                attributes.put(field, value);
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", type);
        record.put("attributes", attributes);
        record.put("relationships", relationships);
        record.put("id", id);
        record.put("links", Map.of("self", self));
        return record;
    }

    /** Dotted paths in {@code fields} are never an error: anything unreadable is left out. */
    private Object safeRead(Map<String, Object> row, String path) {
        try {
            String[] parts = path.split("\\.");
            if (parts.length < 3 || parts.length % 2 == 0) {
                return ShotGridData.ABSENT;
            }
            String owner = type;
            for (int i = 0; i < parts.length - 1; i += 2) {
                String dataType = ShotGridData.fields(owner).get(parts[i]);
                if (dataType == null || !dataType.equals("entity") || !ShotGridData.entityTypes().contains(parts[i + 1])) {
                    return ShotGridData.ABSENT;
                }
                owner = parts[i + 1];
            }
            if (!parts[parts.length - 1].equals("id") && !ShotGridData.fields(owner).containsKey(parts[parts.length - 1])) {
                return ShotGridData.ABSENT;
            }
            return read(row, path);
        } catch (RuntimeException e) {
            return ShotGridData.ABSENT;
        }
    }
}
