package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


/**
 * Everything one full sync reads of a ShotGrid project (property {@code shotgridSnapshot} of
 * {@code direct:shotgrid-sync-project}): the project record, the site's Steps, and the Assets, Episodes, Sequences,
 * Shots and Tasks of the project, each read as {@code _search} pages of {@value ShotGridSearch#MAX_PAGE_SIZE}
 * (never one request per entity). Records are the flat maps of {@link ShotGridPage}.
 */
public final class ShotGridSnapshot {

    /** The entity types a project's full sync reads after the site's Steps, parents before children. */
    static final List<String> PROJECT_TYPES = List.of("Asset", "Episode", "Sequence", "Shot", "Task");

    private final Map<String, Object> project;
    private final ShotGridFields fields;
    private final Map<String, List<Map<String, Object>>> lists = new ConcurrentHashMap<>();

    public ShotGridSnapshot(Map<String, Object> project) {
        this(project, ShotGridFields.defaults());
    }

    /** @param fields the entity types read ({@code shotgrid.entity-types}); the others stay empty */
    public ShotGridSnapshot(Map<String, Object> project, ShotGridFields fields) {
        this.project = project;
        this.fields = fields;
    }

    /** Adds records of an entity type ({@code Step}, {@code Asset}, ...). */
    public ShotGridSnapshot add(String type, List<Map<String, Object>> records) {
        lists.merge(type, new ArrayList<>(records), (kept, more) -> {
            kept.addAll(more);
            return kept;
        });
        return this;
    }

    public Map<String, Object> project() {
        return project;
    }

    public String getProjectName() {
        return ShotGridValues.text(project, "name");
    }

    public List<Map<String, Object>> list(String type) {
        return lists.getOrDefault(type, List.of());
    }

    /** What fills the snapshot: the site's Steps, then each synced type of the project, one paged search each. */
    public List<ShotGridFetch> getFetches() {
        int projectId = ShotGridValues.integer(project.get("id"));
        List<ShotGridFetch> fetches = new ArrayList<>();
        fetches.add(new ShotGridFetch(ShotGridSearch.of("Step").size(ShotGridSearch.MAX_PAGE_SIZE), r -> add("Step", r)));
        for (String type : PROJECT_TYPES) {
            if (!fields.synced(type)) {
                continue; // not synced (shotgrid.entity-types): nothing is read
            }
            fetches.add(new ShotGridFetch(ShotGridSearch.inProject(type, projectId).size(ShotGridSearch.MAX_PAGE_SIZE),
                    r -> add(type, r)));
        }
        return fetches;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        lists.forEach((name, list) -> text.append(text.length() == 0 ? "" : ", ").append(list.size()).append(' ').append(name));
        return text.toString();
    }
}
