package io.avalonsync.config;

import java.util.List;

/**
 * One key of application.properties the service reads: its name, what its value must be (checked by
 * {@code validate} and at every start) and the environment variable of the original Avalon Sync tool it falls back
 * to. Its default is the value application.properties ships with (see {@link Settings}), never a literal in code.
 */
public final class Key {

    /** What a value must be. */
    public enum Kind {
        /** anything (a name, a list, a path) */
        TEXT,
        /** a whole number in [min, max] */
        WHOLE,
        /** a number of seconds >= 0, fractions allowed */
        SECONDS,
        BOOLEAN,
        /** one of {@link #choices()} */
        CHOICE,
        /** a quartz cron, needed while {@link #requiredWith()} is set */
        CRON,
        /** http:// or https:// with a host */
        HTTP_URL,
        /** mongodb:// or mongodb+srv:// the driver accepts */
        MONGO_URI,
        /** a family {@code <name>.<part>}: any last part, e.g. sitesync.roots.work */
        FAMILY
    }

    private final String name;
    private final Kind kind;
    private final long min;
    private final long max;
    private final List<String> choices;
    private final boolean ignoreCase;
    private final String requiredWith;
    private final String env;

    private Key(String name, Kind kind, long min, long max, List<String> choices, boolean ignoreCase, String requiredWith,
                String env) {
        this.name = name;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.ignoreCase = ignoreCase;
        this.requiredWith = requiredWith;
        this.env = env;
    }

    static Key text(String name) {
        return new Key(name, Kind.TEXT, 0, 0, List.of(), false, null, null);
    }

    static Key whole(String name, long min) {
        return whole(name, min, Integer.MAX_VALUE);
    }

    static Key whole(String name, long min, long max) {
        return new Key(name, Kind.WHOLE, min, max, List.of(), false, null, null);
    }

    static Key seconds(String name) {
        return new Key(name, Kind.SECONDS, 0, 0, List.of(), false, null, null);
    }

    static Key bool(String name) {
        return new Key(name, Kind.BOOLEAN, 0, 0, List.of(), true, null, null);
    }

    static Key choice(String name, boolean ignoreCase, String... values) {
        return new Key(name, Kind.CHOICE, 0, 0, List.of(values), ignoreCase, null, null);
    }

    static Key cron(String name, Key requiredWith) {
        return new Key(name, Kind.CRON, 0, 0, List.of(), false, requiredWith.name(), null);
    }

    static Key url(String name) {
        return new Key(name, Kind.HTTP_URL, 0, 0, List.of(), false, null, null);
    }

    static Key mongoUri(String name) {
        return new Key(name, Kind.MONGO_URI, 0, 0, List.of(), false, null, null);
    }

    /** {@code prefix} ends with a dot: {@code sitesync.roots.} stands for sitesync.roots.work, sitesync.roots.render... */
    static Key family(String prefix) {
        return new Key(prefix, Kind.FAMILY, 0, 0, List.of(), false, null, null);
    }

    /** The same key, falling back to the environment variable {@code variable} when it is empty. */
    Key env(String variable) {
        return new Key(name, kind, min, max, choices, ignoreCase, requiredWith, variable);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    List<String> choices() {
        return choices;
    }

    boolean ignoreCase() {
        return ignoreCase;
    }

    /** For a cron: the key whose value makes this one required. */
    String requiredWith() {
        return requiredWith;
    }

    /** The original tool's environment variable, or null. */
    public String env() {
        return env;
    }

    /** Whether {@code key} is this key, or one of its family. */
    boolean matches(String key) {
        return kind == Kind.FAMILY ? key.startsWith(name) && key.length() > name.length() : key.equals(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
