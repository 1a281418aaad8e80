package io.avalonsync.shotgrid;

import io.avalonsync.avalon.TrackerIdentity;
import org.bson.Document;

/**
 * ShotGrid ids in Avalon documents: {@code data.shotgridId} (the numeric SG id) and {@code data.shotgridType}
 * on every document (README, ShotGrid). SG ids are allocated per entity type (Shot 1234 and Asset 1234 are different
 * entities), so the planner matches documents by {@code data.shotgridKey = "<type>:<id>"}, the one string that
 * is unique inside a project ({@code "Shot:1234"}, {@code "Project:70"}, {@code "AssetCategory:character"}).
 * The key is what {@link io.avalonsync.avalon.DesiredAsset#trackerId()} holds; the id and type are written
 * beside it for readers that look documents up the usual way. Tasks live inside their entity's document,
 * where a bare task id is unique: {@code data.tasks.<name>.shotgridId}.
 */
public final class ShotGridIdentity implements TrackerIdentity {

    public static final ShotGridIdentity INSTANCE = new ShotGridIdentity();

    /** The planner's identity key of an entity. */
    public static String key(String type, Object id) {
        return type + ":" + id;
    }

    /** The entity type of a key ({@code "Shot:1234"} → {@code Shot}). */
    public static String typeOf(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a ShotGrid identity key (<type>:<id>): '" + key + "'");
        }
        return key.substring(0, colon);
    }

    /** The id of a key: the SG number, or the name of a synthetic group. */
    public static Object idOf(String key) {
        String id = key.substring(key.indexOf(':') + 1);
        try {
            return Integer.valueOf(id);
        } catch (NumberFormatException e) {
            return id; // AssetCategory groups are named, not numbered
        }
    }

    @Override
    public String source() {
        return "shotgrid";
    }

    @Override
    public String assetIdPath() {
        return "data.shotgridKey";
    }

    /** The identity (README, ShotGrid), as other tools look documents up: type and id (the key is derived from them). */
    @Override
    public java.util.List<String> uniqueKeyPaths() {
        return java.util.List.of("data.shotgridType", "data.shotgridId");
    }

    @Override
    public String projectIdPath() {
        return "data.shotgridKey";
    }

    @Override
    public Document assetIdentity(String trackerId, String trackerType) {
        return new Document("shotgridKey", trackerId).append("shotgridId", idOf(trackerId))
                .append("shotgridType", trackerType);
    }

    /** @param trackerId the project key, {@code "Project:<id>"} */
    @Override
    public Document projectIdentity(String trackerId) {
        return new Document("shotgridKey", trackerId).append("shotgridId", idOf(trackerId))
                .append("shotgridType", "Project");
    }

    @Override
    public Document taskIdentity(String trackerId) {
        return new Document("shotgridId", idOf(key("Task", trackerId)));
    }

    @Override
    public String taskIdOf(Document taskEntry) {
        Object id = taskEntry.get("shotgridId");
        return id == null ? null : id.toString();
    }

    @Override
    public String ownedTaskNamesPath() {
        return "shotgridTasks";
    }
}
