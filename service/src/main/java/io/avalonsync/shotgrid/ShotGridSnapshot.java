package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one full sync reads of a ShotGrid project: the project record, the site's Steps, and the Assets,
 * Episodes, Sequences, Shots and Tasks of the project, each read as {@code _search} pages of 500 (never one
 * request per entity). Records are the flat maps of {@link ShotGridPage}.
 */
public final class ShotGridSnapshot {

    public static final String PROPERTY = "shotgridSnapshot";

    private final Map<String, Object> project;
    private final Map<String, List<Map<String, Object>>> lists = new HashMap<>();

    public ShotGridSnapshot(Map<String, Object> project) {
        this.project = project;
    }

    /** Adds one page of records of an entity type ({@code Step}, {@code Asset}, ...). */
    public ShotGridSnapshot add(String type, List<Map<String, Object>> records) {
        lists.computeIfAbsent(type, k -> new ArrayList<>()).addAll(records);
        return this;
    }

    public Map<String, Object> project() {
        return project;
    }

    public List<Map<String, Object>> list(String type) {
        return lists.getOrDefault(type, List.of());
    }

    /**
     * Reads a whole project through a session: every entity type page by page until a short page.
     *
     * @param project the project record (from a Project search)
     */
    public static ShotGridSnapshot read(ShotGridSession session, Map<String, Object> project) {
        int projectId = ShotGridValues.integer(project.get("id"));
        ShotGridSnapshot snapshot = new ShotGridSnapshot(project);
        readAll(session, ShotGridSearch.of("Step"), snapshot);
        for (String type : ShotGridSearch.PROJECT_TYPES) {
            readAll(session, ShotGridSearch.inProject(type, projectId), snapshot);
        }
        return snapshot;
    }

    private static void readAll(ShotGridSession session, ShotGridSearch search, ShotGridSnapshot snapshot) {
        ShotGridSearch page = search;
        while (true) {
            ShotGridPage answer = session.search(page);
            snapshot.add(search.type(), answer.records());
            if (!answer.hasNext()) {
                return;
            }
            page = page.next();
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        lists.forEach((name, list) -> text.append(text.length() == 0 ? "" : ", ").append(list.size()).append(' ').append(name));
        return text.toString();
    }
}
