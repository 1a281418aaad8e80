package io.avalonsync.kitsu;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zou values arrive as strings or numbers depending on how they were entered (UI, CSV, API);
 * these readers accept both and say null for anything else.
 */
final class KitsuValues {

    private static final Pattern RESOLUTION = Pattern.compile("\\s*(\\d+)\\s*[xX×]\\s*(\\d+)\\s*");

    private KitsuValues() {
    }

    static Integer integer(Object value) {
        Double d = value instanceof Number n ? Double.valueOf(n.doubleValue()) : decimal(value);
        // a whole number that fits BSON Int32; anything else is not a frame number
        if (d == null || d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
            return null;
        }
        return (int) (double) d;
    }

    static Double decimal(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                double d = Double.parseDouble(s.trim().replace(',', '.'));
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** {@code "1920x1080"} → {1920, 1080}. */
    static int[] resolution(Object value) {
        if (value instanceof String s) {
            Matcher m = RESOLUTION.matcher(s);
            if (m.matches()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        return null;
    }

    static String text(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return value == null ? null : value.toString();
    }

    /**
     * The entity's fields a full sync reads of it ({@link KitsuSnapshot}'s list), the same from a list answer and
     * from an event's single read, so both keep the same {@code data.zou} keys in OpenPype's layout.
     */
    static Map<String, Object> record(Map<String, Object> entity, String list) {
        java.util.Set<String> fields = KitsuSnapshot.fieldsOf(list);
        if (fields.containsAll(entity.keySet())) {
            return entity; // already the list's fields: shared, not copied (a large project has thousands)
        }
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        entity.forEach((key, value) -> {
            if (fields.contains(key)) {
                record.put(key, value);
            }
        });
        return record;
    }

    static boolean flag(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
    }
}
