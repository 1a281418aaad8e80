package io.avalonsync.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * Journal entries of one project applied together. Every event is a hint to re-read what it names, so
 * several events about the same things cost one re-read and one write, and the result is the same as
 * applying them one after the other. An entry that already failed once is applied alone, so one poison
 * event cannot keep failing the events it was batched with.
 * <p>
 * The batch is the state of its pass through the routes (exchange property {@value #PROPERTY}): the tracker's check
 * marks the entries that can never be applied ({@link #reject}), and the journal steps end every entry done, failed
 * or parked.
 */
public final class JournalBatch {

    /** What a batch of tracker events needs, weakest first: the route's choice switches on these names. */
    public static final String IGNORE = "ignore";
    public static final String ENTITIES = "entities";
    public static final String PROJECT = "project";
    public static final String ALL = "all";
    private static final List<String> NEEDS = List.of(IGNORE, ENTITIES, PROJECT, ALL);

    /** The stronger need wins: a full sync covers a project re-sync, which covers any entity re-read. */
    public static String stronger(String current, String wanted) {
        return NEEDS.indexOf(wanted) > NEEDS.indexOf(current) ? wanted : current;
    }

    public static final String PROPERTY = "journalBatch";

    private final String source;
    private final String project;
    private final List<Document> entries = new ArrayList<>();
    private final Map<Document, String> rejected = new LinkedHashMap<>();

    JournalBatch(String source, String project) {
        this.source = source;
        this.project = project;
    }

    /** The tracker whose events these are ({@code kitsu}, {@code shotgrid}). */
    public String getSource() {
        return source;
    }

    /** The tracker project id of the entries ("null" for events that belong to no project). */
    public String getProject() {
        return project;
    }

    /** The entries in journal order. */
    public List<Document> getEntries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Marks an entry that can never be applied, whatever is retried: it is parked at once with the reason. */
    public void reject(Document entry, String reason) {
        rejected.put(entry, reason);
    }

    /** The entries marked by {@link #reject}, with their reasons, until they are parked. */
    Map<Document, String> rejected() {
        return rejected;
    }

    /**
     * Groups due entries (journal order) into batches, in the order they must be applied: per project, a
     * run of entries that never failed is one batch; an entry with a failed attempt is a batch of its own.
     */
    public static List<JournalBatch> group(String source, List<Document> due) {
        List<JournalBatch> batches = new ArrayList<>();
        java.util.Map<String, JournalBatch> open = new java.util.HashMap<>();
        for (Document entry : due) {
            String project = String.valueOf(entry.get("project"));
            boolean retried = entry.getInteger("attempts", 0) > 0;
            JournalBatch batch = retried ? null : open.get(project);
            if (batch == null) {
                batch = new JournalBatch(source, project);
                batches.add(batch);
                if (retried) {
                    open.remove(project); // later entries of the project come after this one
                } else {
                    open.put(project, batch);
                }
            }
            batch.entries.add(entry);
        }
        return batches;
    }

    @Override
    public String toString() {
        return "journal batch of project " + project + " (" + entries.size() + " events)";
    }
}
