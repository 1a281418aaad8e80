package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.avalon.TaskType;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.fields.FieldMapping;
import io.avalonsync.journal.JournalBatch;
import io.avalonsync.sync.ProjectPass;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applying a batch of journaled Kitsu events of one project. Every event is a hint: the entity it names is
 * read again from Kitsu and mapped with the same per-entity mappers as the full sync, so duplicates, late or
 * out-of-order events converge to what Kitsu says now, and several events about one entity cost one read.
 * <ul>
 * <li>{@code asset}, {@code shot} and {@code task} events: the entity (and its tasks) is re-read;</li>
 * <li>{@code project}, {@code episode} and {@code sequence} events: the project is re-synced, because a
 * rename or move there renames every document below;</li>
 * <li>{@code task-type} and {@code asset-type} events (not tied to a project): a full sync is queued;</li>
 * <li>anything else (comments, previews, persons, deletes of projects): ignored.</li>
 * </ul>
 */
public final class KitsuEvents {

    /** The batch's needs ({@link KitsuEventBatch}), set by the route from {@link #classify}. */
    public static final String BATCH = "kitsuEventBatch";
    /** One read of the batch ({@link KitsuRead}), set by the route from its body. */
    public static final String READ = "kitsuRead";

    private static final Logger LOG = LoggerFactory.getLogger(KitsuEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of("Asset", "Shot");

    private final AvalonProjects avalon;
    private final KitsuProjects projects;
    private final KitsuAssetMapper assets;
    private final KitsuShotMapper shots;
    private final KitsuProjectMapper projectMapper;
    private final KitsuTaskTypeMapper taskTypeMapper = new KitsuTaskTypeMapper();

    public KitsuEvents(AvalonProjects avalon, KitsuProjects projects) {
        this(avalon, projects, FieldMapping.none(FieldMapping.Tracker.KITSU));
    }

    /** @param fields the configured field mapping ({@code kitsu.fields.*}), the full sync's mappers get it too */
    public KitsuEvents(AvalonProjects avalon, KitsuProjects projects, FieldMapping fields) {
        this.avalon = avalon;
        this.projects = projects;
        this.assets = new KitsuAssetMapper(fields);
        this.shots = new KitsuShotMapper(fields);
        this.projectMapper = new KitsuProjectMapper(fields);
    }

    /** The event names this service journals (README, "Live events"); the others are not kept. */
    public static boolean relevant(String name) {
        if (name == null || !name.contains(":")) {
            return false;
        }
        String kind = name.substring(0, name.indexOf(':'));
        String verb = name.substring(name.indexOf(':') + 1);
        return Set.of("project", "asset", "asset-type", "episode", "sequence", "shot", "task-type", "task",
                "task_type").contains(kind) && Set.of("new", "update", "delete").contains(verb);
    }

    /**
     * Marks the entries of the batch that can never be applied, whatever is retried: an event whose data is not an
     * object, that names no entity id, whose type this service does not apply, or that names no project although it
     * belongs to one. They are parked at once with their reason ({@link JournalBatch#reject}); retries are for faults
     * that pass (Kitsu's 5xx, timeouts, MongoDB away).
     */
    public void screen(@Body JournalBatch journal) {
        for (Document entry : journal.getEntries()) {
            String problem = problem(entry);
            if (problem != null) {
                // the journal entry names the event: the reason says only what is wrong with it
                journal.reject(entry, problem);
            }
        }
    }

    /** Why this journaled event can never be applied, or null when it can. */
    static String problem(Document entry) {
        Object rawName = entry.get("name");
        String name = rawName instanceof String n ? n : null;
        if (name == null || !relevant(name)) {
            return "is of a type this service does not apply (" + rawName + ")";
        }
        Object rawData = entry.get("data");
        if (!(rawData instanceof Document data)) {
            return "data is not an object but " + describe(rawData);
        }
        String kind = name.substring(0, name.indexOf(':'));
        String idKey = switch (kind) {
            case "asset", "shot", "task" -> kind + "_id";
            default -> null;
        };
        if (idKey != null && !usableId(data.get(idKey))) {
            return "has no " + idKey + " in its data " + data.toJson();
        }
        boolean global = Set.of("asset-type", "task-type", "task_type").contains(kind);
        if (!global && entry.get("project") == null) {
            return "names no project (no project_id in the event or its data " + data.toJson()
                    + "); it cannot be applied to any project";
        }
        return null;
    }

    private static boolean usableId(Object id) {
        return id instanceof String text ? !text.isBlank() : id instanceof Number;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return (value instanceof List ? "a list " : value instanceof String ? "a string " : "") + (text.length() > 200
                ? text.substring(0, 200) + "..." : text);
    }

    /** What the batch's events need: the {@link KitsuEventBatch} (its action drives the route's choice). */
    public KitsuEventBatch classify(@Body JournalBatch journal) {
        String project = "null".equals(journal.getProject()) ? null : journal.getProject();
        KitsuEventBatch batch = new KitsuEventBatch(project);
        for (Document entry : journal.getEntries()) {
            classify(entry, batch);
        }
        if (project != null && !batch.getAction().equals(KitsuEventBatch.ALL) && !projects.wanted(project, null)) {
            batch = new KitsuEventBatch(project); // a project this service does not sync: nothing to do
        }
        LOG.debug("{} -> {}", journal, batch.getAction());
        return batch;
    }

    private void classify(Document entry, KitsuEventBatch batch) {
        String name = entry.getString("name");
        Document data = entry.get("data") instanceof Document d ? d : new Document();
        String kind = name.substring(0, name.indexOf(':'));
        String verb = name.substring(name.indexOf(':') + 1);
        switch (kind) {
            case "asset", "shot" -> batch.entity(kind.equals("asset") ? "Asset" : "Shot", required(data, kind + "_id", entry));
            case "task" -> {
                String taskId = required(data, "task_id", entry);
                String entityId = data.getString("entity_id");
                String entityKind = entityId == null ? null : kindInAvalon(entityId);
                if (entityKind != null) {
                    batch.entity(entityKind, entityId); // a delete names its entity: no need to read the task
                } else if (!verb.equals("delete")) {
                    batch.task(taskId);
                } // else: a deleted task of an entity that was never synced
            }
            case "project", "episode", "sequence" -> {
                if (!(verb.equals("delete") && kind.equals("project"))) {
                    batch.need(KitsuEventBatch.PROJECT);
                }
            }
            case "asset-type", "task-type", "task_type" -> batch.need(KitsuEventBatch.ALL);
            default -> { }
        }
    }

    /**
     * After GET of one read's path: a task names its entity, an asset or shot is kept for mapping; 404 means
     * deleted in Kitsu.
     */
    public void read(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body InputStream body,
            @ExchangeProperty(READ) KitsuRead read) throws IOException, org.apache.camel.http.base.HttpOperationFailedException {
        int code = status == null ? 200 : status;
        if (code == 404) {
            return; // a deleted entity is retired; a deleted task has its own delete event
        }
        if (code >= 300) {
            // as a failed request, so the route's handling applies: a refused token logs in again, 5xx/429 redeliver
            String answer = body == null ? null : new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            throw new org.apache.camel.http.base.HttpOperationFailedException(read.getPath(), code,
                    "Kitsu answered HTTP " + code + " for " + read.getPath(), null, java.util.Map.of(), answer);
        }
        read.found(readObject(body, KitsuRead.TASK.equals(read.getKind()) ? "task" : "entity", read.getPath()));
    }

    /** After GET of an entity's tasks (with task type and status names). */
    public void tasks(@Body InputStream body, @ExchangeProperty(READ) KitsuRead read) throws IOException {
        try (InputStream in = body) {
            read.tasks(KitsuSnapshot.readList(in, null));
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the tasks of "
                    + read.getPath() + ": " + e.getMessage(), e);
        }
    }

    /** After the task reads: the assets and shots to re-read, including those the tasks named. */
    public List<KitsuRead> entityReads(@ExchangeProperty(BATCH) KitsuEventBatch batch) {
        for (KitsuRead task : batch.getTaskReads()) {
            if (task.isFound()) {
                Object type = task.record().get("entity_type") instanceof Map<?, ?> m ? m.get("name") : null;
                String kind = KINDS.contains(String.valueOf(type)) ? String.valueOf(type) : "Asset";
                batch.entity(kind, String.valueOf(task.record().get("entity_id")));
            }
        }
        return new ArrayList<>(batch.entities().values());
    }

    /** After GET /data/projects/{id}: kept for the mapping; returned for kitsu-sync-project. */
    public Map<String, Object> project(@Body InputStream body, @ExchangeProperty(BATCH) KitsuEventBatch batch)
            throws IOException {
        Map<String, Object> project = readObject(body, "project", batch.getProjectId());
        batch.project(project);
        return project;
    }

    /**
     * After GET /data/task-types: the task types with their short names, so that the project's
     * {@code config.tasks} entries an event touches are mapped exactly as the full sync maps them.
     */
    public void taskTypes(@Body InputStream body, @ExchangeProperty(BATCH) KitsuEventBatch batch) {
        try (InputStream in = body) {
            batch.taskTypes(KitsuSnapshot.readList(in, null));
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the task types: " + e.getMessage(), e);
        }
    }

    /** After the project was re-synced for an event: its failure is the event's failure. */
    public void resynced(@ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass) {
        if (pass == null || pass.failure() != null) {
            throw new KitsuResponseException("project re-sync failed: "
                    + (pass == null ? "it did not start" : pass.failure()));
        }
    }

    /**
     * The {@link DesiredProject} holding the batch's entities as Kitsu has them now; only they may be retired
     * ({@link KitsuEventBatch#getScope}: a 404 leaves an entity out of desired).
     */
    public DesiredProject desired(@ExchangeProperty(BATCH) KitsuEventBatch batch) {
        Map<String, Object> project = batch.project();
        List<Map<String, Object>> tasks = new ArrayList<>();
        batch.entities().values().forEach(read -> tasks.addAll(read.tasks()));
        // the task types the batch's tasks use, as Kitsu lists them; entity task routes carry the status names
        Map<String, Map<String, Object>> typesById = new LinkedHashMap<>();
        batch.taskTypes().forEach(t -> typesById.put(String.valueOf(t.get("id")), t));
        List<Map<String, Object>> taskTypes = new ArrayList<>();
        List<Map<String, Object>> statuses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> task : tasks) {
            String typeId = String.valueOf(task.get("task_type_id"));
            if (seen.add("t" + typeId)) {
                Map<String, Object> type = typesById.get(typeId);
                // a type Kitsu did not list (created since): its name from the task, no short name known yet
                taskTypes.add(type != null ? type : Map.of("id", typeId, "name", String.valueOf(task.get("task_type_name"))));
            }
            if (task.get("task_status_id") != null && seen.add("s" + task.get("task_status_id"))) {
                statuses.add(Map.of("id", String.valueOf(task.get("task_status_id")), "name", String.valueOf(task.get("task_status_name"))));
            }
        }
        KitsuLookups lookups = new KitsuLookups(project, taskTypes, statuses, tasks);
        List<DesiredAsset> desired = new ArrayList<>();
        for (KitsuRead read : batch.entities().values()) {
            if (read.isFound()) {
                desired.add("Shot".equals(read.getKind()) ? shots.map(read.record(), lookups) : assets.map(read.record(), lookups));
            }
        }
        // the full sync's mapping, so both write the same config.tasks entries and nothing flips between them
        List<TaskType> types = new ArrayList<>();
        taskTypes.forEach(t -> types.add(taskTypeMapper.map(t)));
        return new DesiredProject(String.valueOf(project.get("id")), String.valueOf(project.get("name")),
                projectMapper.attributes(project, lookups), types, desired);
    }

    /** The Kitsu type of an entity already in Avalon, from its document; null when not synced. */
    private String kindInAvalon(String entityId) {
        Document doc = avalon.findByTrackerId(KitsuIdentity.INSTANCE, entityId);
        Object type = doc == null ? null : TrackerIdentity.read(doc, "data.zou.type");
        return type == null ? null : KINDS.contains(type.toString()) ? type.toString() : null;
    }

    private static String required(Document data, String key, Document entry) {
        Object value = data.get(key);
        if (value == null) {
            throw new KitsuResponseException("kitsu event " + entry.getString("eventId") + " " + entry.getString("name")
                    + " has no " + key + " in its data " + data.toJson());
        }
        return value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readObject(InputStream body, String what, Object where) throws IOException {
        try (InputStream in = body) {
            Object value = in == null ? null : JSON.readValue(in, Object.class);
            if (!(value instanceof Map)) {
                throw new KitsuResponseException("Kitsu answered something that is not a JSON object for the " + what
                        + " " + where);
            }
            return new LinkedHashMap<>((Map<String, Object>) value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the " + what + " " + where + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
