package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

import io.avalonsync.fields.FieldMapping;
import io.avalonsync.sync.ProjectPass;
import io.avalonsync.sync.Progress;
import io.avalonsync.sync.SyncRuns;
import io.avalonsync.sync.SyncRun;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** Route steps that build a {@link KitsuSnapshot}: start one per project, then collect each list answer. */
public final class KitsuSnapshots {

    /** List → the entity type of a field mapping ({@code kitsu.fields.<type>.*}) its records are mapped as. */
    private static final Map<String, String> ENTITY_TYPES = Map.of("assets", "asset", "episodes", "episode",
            "sequences", "sequence", "shots", "shot");

    private final FieldMapping fields;

    public KitsuSnapshots() {
        this(FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping: the fields it reads are kept in the snapshot too */
    public KitsuSnapshots(FieldMapping fields) {
        this.fields = fields;
    }

    /** The fields a list keeps: the mappers' own, plus the mapped ones. */
    java.util.Set<String> fieldsOf(String list) {
        java.util.Set<String> kept = KitsuSnapshot.fieldsOf(list);
        String entityType = ENTITY_TYPES.get(list);
        if (kept == null || entityType == null || fields.fieldsToRead(entityType).isEmpty()) {
            return kept;
        }
        java.util.Set<String> widened = new java.util.HashSet<>(kept);
        widened.addAll(fields.fieldsToRead(entityType));
        return widened;
    }

    /**
     * The pass of the project in the body (an element of /data/projects/open), with an empty snapshot to read into.
     *
     * @param run the full sync, or null for a project re-synced for events
     */
    public ProjectPass<KitsuSnapshot> start(@Body Map<String, Object> project, @ExchangeProperty(SyncRuns.RUN) SyncRun run) {
        return ProjectPass.start(run, "kitsu", KitsuValues.text(project, "id"), String.valueOf(project.get("name")),
                new KitsuSnapshot(project));
    }

    /**
     * Reads the JSON list in the body into the project's snapshot.
     *
     * @param list the list's name as the routes write it ({@code project-task-types}); the snapshot's is
     *             {@code projectTaskTypes}
     */
    public void collect(String list, @Body InputStream body,
            @ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<KitsuSnapshot> pass) {
        String name = snapshotName(list);
        KitsuSnapshot snapshot = pass.reads();
        // Kitsu's lists carry no count: the line gives what was read and the rate, no ETA
        Progress progress = pass.progress().phase("read", words(name), Progress.UNKNOWN, "entities");
        try (InputStream in = body) {
            snapshot.put(name, KitsuSnapshot.readList(in, fieldsOf(name), progress));
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the " + name + " of project '"
                    + snapshot.project().get("name") + "': " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** {@code project-task-types} → {@code projectTaskTypes}. */
    static String snapshotName(String list) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : list.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** {@code projectTaskTypes} → {@code project task types}, as a log line names it. */
    static String words(String list) {
        return list.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
