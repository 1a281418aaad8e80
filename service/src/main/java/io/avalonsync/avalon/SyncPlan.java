package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.model.WriteModel;
import org.bson.Document;

/**
 * The writes one project needs, in order (project first, parents before children), and what they do.
 * An empty plan means Avalon already says what the tracker says.
 */
public final class SyncPlan {

    private final String source;
    private final String projectLabel;
    private final String collection;
    private final List<WriteModel<Document>> writes = new ArrayList<>();
    private final List<String> rejections = new ArrayList<>();
    private int created;
    private int updated;
    private int unchanged;
    private int archived;
    private int restored;
    private int entities;
    private String projectFailure;
    private int writeCount = -1;
    private List<String> preview;
    /** What the project held, kept by a dry run for its preview. */
    private ExistingProject existing;

    public SyncPlan(String source, String projectLabel, String collection) {
        this.source = source;
        this.projectLabel = projectLabel;
        this.collection = collection;
    }

    void add(WriteModel<Document> write) {
        writes.add(write);
    }

    void reject(String message) {
        rejections.add(message);
    }

    void failProject(String reason) {
        projectFailure = reason;
        writes.clear();
    }

    void created() {
        created++;
    }

    void updated() {
        updated++;
    }

    void unchanged() {
        unchanged++;
    }

    void archived() {
        archived++;
    }

    void restored() {
        restored++;
    }

    void entities(int count) {
        entities = count;
    }

    public String source() {
        return source;
    }

    public String projectLabel() {
        return projectLabel;
    }

    public String collection() {
        return collection;
    }

    public List<WriteModel<Document>> writes() {
        return writes;
    }

    /** How many writes the plan had; stays known after {@link #release()}. */
    public int writeCount() {
        return writeCount >= 0 ? writeCount : writes.size();
    }

    /** Drops the write models once written: a large project's plan holds every new document. */
    public void release() {
        writeCount = writes.size();
        writes.clear();
    }

    public List<String> rejections() {
        return rejections;
    }

    public int unchangedCount() {
        return unchanged;
    }

    public int archivedCount() {
        return archived;
    }

    public int restoredCount() {
        return restored;
    }

    public int createdCount() {
        return created;
    }

    public int updatedCount() {
        return updated;
    }

    public int entityCount() {
        return entities;
    }

    /** A dry run's account of the writes, one line each ({@code create ...}, {@code update ...}), or null. */
    public List<String> preview() {
        return preview;
    }

    public void preview(List<String> lines) {
        preview = List.copyOf(lines);
    }

    ExistingProject existing() {
        return existing;
    }

    void existing(ExistingProject existing) {
        this.existing = existing;
    }

    /** Why nothing of this project could be written (invalid project document), or null. */
    public String projectFailure() {
        return projectFailure;
    }

    @Override
    public String toString() {
        return String.format("%s project '%s' -> %s: %d entities, %d created, %d updated, %d unchanged, %d archived,"
                + " %d restored, %d rejected%s", source, projectLabel, collection, entities, created, updated,
                unchanged, archived, restored, rejections.size(),
                projectFailure == null ? "" : " (project rejected: " + projectFailure + ")");
    }
}
