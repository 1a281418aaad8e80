package io.avalonsync.kitsu;

import io.avalonsync.avalon.TrackerIdentity;
import org.bson.Document;

/**
 * Kitsu ids in Avalon documents, as OpenPype's Kitsu module wrote them: {@code data.zou} with the Zou id
 * and type on every document, plus {@code data.zou_id} on the project. Documents OpenPype synced are
 * therefore recognised, not duplicated.
 */
public final class KitsuIdentity implements TrackerIdentity {

    public static final KitsuIdentity INSTANCE = new KitsuIdentity();

    @Override
    public String source() {
        return "kitsu";
    }

    @Override
    public String assetIdPath() {
        return "data.zou.id";
    }

    @Override
    public String projectIdPath() {
        return "data.zou_id";
    }

    @Override
    public Document assetIdentity(String trackerId, String trackerType) {
        return new Document("zou.id", trackerId).append("zou.type", trackerType);
    }

    @Override
    public Document projectIdentity(String trackerId) {
        return new Document("zou_id", trackerId).append("zou.id", trackerId).append("zou.type", "Project");
    }

    @Override
    public Document taskIdentity(String trackerId) {
        return new Document("zou.id", trackerId).append("zou.type", "Task");
    }

    @Override
    public String taskIdOf(Document taskEntry) {
        Object id = TrackerIdentity.read(taskEntry, "zou.id");
        return id == null ? null : id.toString();
    }

    @Override
    public String ownedTaskNamesPath() {
        return "zou.tasks";
    }

    @Override
    public String recordPath() {
        return "zou";
    }
}
