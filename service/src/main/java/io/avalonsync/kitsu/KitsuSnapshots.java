package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.avalonsync.fields.FieldMapping;
import io.avalonsync.sync.Progress;
import org.apache.camel.Exchange;

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

    /** Starts the snapshot of the project in the body (an element of /data/projects/open). */
    @SuppressWarnings("unchecked")
    public void start(Exchange exchange) {
        Map<String, Object> project = exchange.getMessage().getBody(Map.class);
        exchange.setProperty(KitsuSnapshot.PROPERTY, new KitsuSnapshot(project));
        exchange.setProperty("kitsuProjectId", project.get("id"));
        exchange.setProperty("kitsuProjectName", project.get("name"));
    }

    /** Reads the JSON list in the body into the snapshot under {@code list}. */
    public void collect(Exchange exchange, String list) {
        KitsuSnapshot snapshot = exchange.getProperty(KitsuSnapshot.PROPERTY, KitsuSnapshot.class);
        // Kitsu's lists carry no count: the line gives what was read and the rate, no ETA
        Progress progress = Progress.of(exchange).phase("read", words(list), Progress.UNKNOWN, "entities");
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            snapshot.put(list, KitsuSnapshot.readList(body, fieldsOf(list), progress));
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the " + list + " of project '"
                    + snapshot.project().get("name") + "': " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        exchange.getMessage().setBody(null);
    }

    /** {@code projectTaskTypes} → {@code project task types}, as a log line names it. */
    static String words(String list) {
        return list.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
