package io.avalonsync.shotgrid;

import java.util.Map;

/**
 * Readers for flattened ShotGrid records: plain fields from {@code attributes}, links as {@code {type, id,
 * name}} maps. Numbers may arrive as strings (ShotGrid sends floats as rounded strings); anything unusable
 * reads as null.
 */
final class ShotGridValues {

    private ShotGridValues() {
    }

    static Integer integer(Object value) {
        Double d = decimal(value);
        // a whole number that fits BSON Int32; anything else is not a frame number or an id
        if (d == null || d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
            return null;
        }
        return (int) (double) d;
    }

    static Double decimal(Object value) {
        if (value instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static String text(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return value == null ? null : value.toString();
    }

    /** A non-blank text value, or null. */
    static String nonBlank(Map<String, Object> record, String key) {
        String text = text(record, key);
        return text == null || text.isBlank() ? null : text;
    }

    /** A single-entity link field ({@code {type, id, name}}), or null when empty or not a link. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> link(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return value instanceof Map<?, ?> m && m.get("id") != null && m.get("type") != null ? (Map<String, Object>) m : null;
    }

    /** The identity key of a link field, e.g. {@code "Sequence:45"}, or null. */
    static String linkKey(Map<String, Object> record, String key) {
        Map<String, Object> link = link(record, key);
        Integer id = link == null ? null : integer(link.get("id"));
        return id == null ? null : ShotGridIdentity.key(String.valueOf(link.get("type")), id);
    }

    /** The identity key of the record itself. */
    static String keyOf(Map<String, Object> record) {
        Integer id = integer(record.get("id"));
        Object type = record.get("type");
        if (id == null || type == null) {
            throw new ShotGridResponseException("ShotGrid record without a numeric id and a type: "
                    + ShotGridResponseException.abbreviate(String.valueOf(record)));
        }
        return ShotGridIdentity.key(type.toString(), id);
    }

    static boolean flag(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
    }
}
