package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ShotGrid projects to sync: with {@code shotgrid.sync-field} set, the projects whose checkbox is on; with it
 * empty, every project that is neither archived nor a template. The last answer is kept ({@link #wanted()}) for
 * the event leecher and processor, so a project switched off stops syncing at the next poll.
 */
public final class ShotGridProjects {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridProjects.class);

    private final String syncField;
    private final ShotGridFields fields;
    private volatile Set<String> wanted;

    /** @param syncField shotgrid.sync-field; blank = every active project */
    public ShotGridProjects(String syncField) {
        this(syncField, ShotGridFields.defaults());
    }

    /** @param fields the entity types and the field mapping to sync ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}) */
    public ShotGridProjects(String syncField, ShotGridFields fields) {
        this.syncField = syncField == null || syncField.isBlank() ? null : syncField.strip();
        this.fields = fields;
    }

    public ShotGridFields fields() {
        return fields;
    }

    /** The snapshot a project's full sync fills: the types {@code shotgrid.entity-types} lists, read. */
    public ShotGridSnapshot snapshot(@Body Map<String, Object> project) {
        return new ShotGridSnapshot(project, fields);
    }

    /** The site's projects to sync (the sync checkbox filters on the server). */
    public ShotGridSearch search() {
        List<String> fields = new ArrayList<>(ShotGridSearch.fields("Project"));
        if (syncField != null) {
            fields.add(syncField);
        }
        ShotGridSearch search = ShotGridSearch.of("Project").fields(fields);
        return syncField == null ? search : search.where(syncField, "is", true);
    }

    /** The project records to sync among those read; their ids are kept as {@link #wanted()}. */
    public List<Map<String, Object>> selected(@Body List<Map<String, Object>> projects) {
        List<Map<String, Object>> chosen = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> project : projects) {
            if (!toSync(project)) {
                continue;
            }
            chosen.add(project);
            ids.add(String.valueOf(ShotGridValues.integer(project.get("id"))));
        }
        if (wanted == null || !wanted.equals(ids)) {
            LOG.info("shotgrid projects to sync: {}", chosen.stream().map(p -> p.get("name") + " (" + p.get("id") + ")").toList());
        }
        wanted = Set.copyOf(ids);
        return chosen;
    }

    /** Neither archived nor a template, and its sync checkbox on (also when a server ignored the filter). */
    public boolean toSync(Map<String, Object> project) {
        return !ShotGridValues.flag(project, "archived") && !ShotGridValues.flag(project, "is_template")
                && (syncField == null || ShotGridValues.flag(project, syncField));
    }

    /** Ids of the projects to sync as last read, or null before the first read. */
    public Set<String> wanted() {
        return wanted;
    }

    public boolean wanted(String projectId) {
        Set<String> current = wanted;
        return current == null || current.contains(projectId);
    }
}
