package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The re-reads of one entity type for an event batch: one {@code _search} by {@code id in [...]} however many
 * events name the entities, then the records found. An id asked for and not found is deleted (retired) in
 * ShotGrid.
 */
public final class ShotGridRead {

    private final String type;
    private final Set<Integer> ids = new LinkedHashSet<>();
    private final Map<Integer, Map<String, Object>> found = new LinkedHashMap<>();

    ShotGridRead(String type) {
        this.type = type;
    }

    public String getType() {
        return type;
    }

    public Set<Integer> getIds() {
        return ids;
    }

    /**
     * The search for these ids ({@code retired}: read deleted rows, for a deleted task's entity).
     */
    public ShotGridSearch search(boolean retired) {
        ShotGridSearch search = ShotGridSearch.of(type).where("id", "in", new ArrayList<>(ids));
        return retired ? search.returnOnly("retired") : search;
    }

    /** Keeps the records of a page of the search. */
    public void found(List<Map<String, Object>> records) {
        for (Map<String, Object> record : records) {
            Integer id = ShotGridValues.integer(record.get("id"));
            if (id != null && ids.contains(id)) {
                found.put(id, record);
            }
        }
    }

    /** Ids asked for that ShotGrid did not return (deleted). */
    public Set<Integer> missing() {
        Set<Integer> missing = new LinkedHashSet<>(ids);
        missing.removeAll(found.keySet());
        return missing;
    }

    public List<Map<String, Object>> records() {
        return new ArrayList<>(found.values());
    }

    void add(int id) {
        ids.add(id);
    }

    @Override
    public String toString() {
        return type + " " + ids;
    }
}
