package io.avalonsync.fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The type a mapped tracker value is turned into before it goes into an Avalon document ({@code <field>:<type>} in a
 * field mapping; README "Field mapping"). Trackers hand values over as they were typed in (a frame number as
 * {@code "1001"}, a rate as {@code "23,976"}), and Avalon readers compare frames as whole numbers and rates as
 * floats, so the value is coerced or, when it cannot be, left out with a log line.
 */
public enum FieldType {

    /** As the tracker has it: text, number, true/false, a list or an object. */
    RAW("raw"),
    TEXT("text"),
    /** A whole number that fits BSON Int32 (frames, handles, resolution). */
    INT("int"),
    /** A BSON double (fps, pixel aspect); a decimal comma is read as a point. */
    FLOAT("float"),
    /** true/false, yes/no, 1/0. */
    BOOL("bool"),
    /** A list; a text value is split at commas. */
    LIST("list");

    private final String key;

    FieldType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The type written {@code key} in a mapping, or null when there is none. */
    public static FieldType fromKey(String key) {
        for (FieldType type : values()) {
            if (type.key.equalsIgnoreCase(key.trim())) {
                return type;
            }
        }
        return null;
    }

    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (FieldType type : values()) {
            keys.add(type.key);
        }
        return keys;
    }

    /** Whether a tracker value says nothing: absent, null or blank text. Such a value is not written. */
    public static boolean isEmpty(Object value) {
        return value == null || value instanceof String text && text.isBlank();
    }

    /**
     * The value as this type.
     *
     * @throws IllegalArgumentException with the reason when it cannot be (the caller logs it and leaves the key out)
     */
    public Object coerce(Object value) {
        return switch (this) {
            case RAW -> value;
            case TEXT -> {
                if (value instanceof Map || value instanceof List) {
                    throw new IllegalArgumentException(describe(value) + " is not text");
                }
                yield value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)
                        ? Long.toString(d.longValue()) : String.valueOf(value);
            }
            case INT -> {
                Double number = number(value);
                if (number == null || number != Math.rint(number) || number > Integer.MAX_VALUE
                        || number < Integer.MIN_VALUE) {
                    throw new IllegalArgumentException(describe(value) + " is not a whole number");
                }
                yield (int) (double) number;
            }
            case FLOAT -> {
                Double number = number(value);
                if (number == null) {
                    throw new IllegalArgumentException(describe(value) + " is not a number");
                }
                yield number;
            }
            case BOOL -> {
                String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
                if (value instanceof Boolean b) {
                    yield b;
                }
                if (List.of("true", "yes", "1", "1.0").contains(text)) {
                    yield true;
                }
                if (List.of("false", "no", "0", "0.0").contains(text)) {
                    yield false;
                }
                throw new IllegalArgumentException(describe(value) + " is not true or false");
            }
            case LIST -> {
                if (value instanceof List<?> list) {
                    yield new ArrayList<>(list);
                }
                if (value instanceof Map) {
                    throw new IllegalArgumentException(describe(value) + " is not a list");
                }
                if (value instanceof String text) {
                    List<String> items = new ArrayList<>();
                    for (String item : text.split(",")) {
                        if (!item.isBlank()) {
                            items.add(item.trim());
                        }
                    }
                    yield items;
                }
                yield new ArrayList<>(List.of(value));
            }
        };
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
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

    private static String describe(Object value) {
        String text = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
