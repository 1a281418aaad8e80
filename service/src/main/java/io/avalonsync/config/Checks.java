package io.avalonsync.config;

/**
 * What an area's own checks (the ones that need more than one key) report to {@code validate}: each problem as
 * {@code <where>: <message>}, where is the line of application.properties, {@code -D<key>} or {@code environment
 * <NAME>} that the value comes from (see {@link ConfigValidator}).
 */
interface Checks {

    /** A problem with a key's effective value, as {@code <where>: <key>: <message>}, where the value comes from. */
    void keyProblem(String key, String message);

    /** A problem at a line of application.properties (0 when none fits). */
    void problem(int line, String message);

    /** Worth a look but not wrong: printed, not counted in the exit code. */
    void warning(int line, String message);

    /** The line of {@code key} in application.properties, or {@code otherwise} when the file does not have it. */
    int lineOr(String key, int otherwise);

    /** The line of {@code key} when its effective value comes from application.properties, else 0. */
    int effectiveLine(String key);

    /** The folder validate checks (holding application.properties and routes/): files named in settings are relative to it. */
    java.nio.file.Path folder();

    /** Keys of application.properties starting with {@code prefix}, also those left empty there. */
    java.util.Set<String> fileKeys(String prefix);

    /** Field mappings ({@code kitsu.fields.*}, {@code shotgrid.fields.*}) as FieldMapping reads them; empty values too. */
    default void fieldMapping(Settings settings, io.avalonsync.fields.FieldMapping.Tracker tracker) {
        java.util.Map<String, String> entries = new java.util.TreeMap<>();
        fileKeys(tracker.prefix()).forEach(key -> entries.put(key, settings.get(key)));
        settings.keysWithPrefix(tracker.prefix()).forEach(part -> entries.put(tracker.prefix() + part,
                settings.get(tracker.prefix() + part)));
        java.util.List<io.avalonsync.fields.FieldMapping.Problem> found = new java.util.ArrayList<>();
        io.avalonsync.fields.FieldMapping.parse(tracker, entries, found);
        found.forEach(problem -> keyProblem(problem.key(), problem.message()));
    }

    /** " (value from -Dkey or ENV)" when the value checked is not the one written in the file, else "". */
    String origin(String key);
}
