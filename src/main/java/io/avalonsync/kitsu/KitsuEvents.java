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
import org.apache.camel.Exchange;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applying one journaled Kitsu event. Every event is a hint: the entity it names is read again from
 * Kitsu and mapped with the same per-entity mappers as the full sync, so duplicates, late or out-of-order
 * events converge to what Kitsu says now.
 * <ul>
 * <li>{@code asset}, {@code shot} and {@code task} events: the entity (and its tasks) is re-read;</li>
 * <li>{@code project}, {@code episode} and {@code sequence} events: the project is re-synced, because a
 * rename or move there renames every document below;</li>
 * <li>{@code task-type} and {@code asset-type} events (not tied to a project): a full sync is queued;</li>
 * <li>anything else (comments, previews, persons, deletes of projects): ignored.</li>
 * </ul>
 */
public final class KitsuEvents {

    public static final String ACTION = "kitsuEventAction";
    public static final String ENTITY_PATH = "kitsuEntityPath";
    public static final String ENTITY_KIND = "kitsuEntityKind";
    public static final String ENTITY_ID = "kitsuEntityId";
    public static final String TASK_ID = "kitsuTaskId";
    public static final String RETIRED = "kitsuEntityRetired";

    private static final Logger LOG = LoggerFactory.getLogger(KitsuEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PLURALS = Map.of("Asset", "assets", "Shot", "shots",
            "Sequence", "sequences", "Episode", "episodes");

    private final AvalonProjects avalon;
    private final KitsuProjects projects;
    private final KitsuAssetMapper assets = new KitsuAssetMapper();
    private final KitsuShotMapper shots = new KitsuShotMapper();
    private final KitsuProjectMapper projectMapper = new KitsuProjectMapper();

    public KitsuEvents(AvalonProjects avalon, KitsuProjects projects) {
        this.avalon = avalon;
        this.projects = projects;
    }

    /** The event names this service journals (the SPEC §5 table); the others are not kept. */
    public static boolean relevant(String name) {
        if (name == null || !name.contains(":")) {
            return false;
        }
        String kind = name.substring(0, name.indexOf(':'));
        String verb = name.substring(name.indexOf(':') + 1);
        return Set.of("project", "asset", "asset-type", "episode", "sequence", "shot", "task-type", "task",
                "task_type").contains(kind) && Set.of("new", "update", "delete").contains(verb);
    }

    /** Decides what the journal entry in the body needs; properties drive the route's choice. */
    public void classify(Exchange exchange) {
        Document entry = exchange.getMessage().getBody(Document.class);
        exchange.setProperty("journalEntry", entry);
        String name = entry.getString("name");
        Document data = entry.get("data") instanceof Document d ? d : new Document();
        String project = entry.getString("project") != null ? entry.getString("project") : data.getString("project_id");
        String kind = name.substring(0, name.indexOf(':'));
        String verb = name.substring(name.indexOf(':') + 1);
        exchange.setProperty("kitsuProjectId", project);
        String action;
        switch (kind) {
            case "asset", "shot" -> {
                String id = required(data, kind + "_id", entry);
                String entityKind = kind.equals("asset") ? "Asset" : "Shot";
                entity(exchange, entityKind, id);
                action = "entity";
            }
            case "task" -> {
                String taskId = required(data, "task_id", entry);
                exchange.setProperty(TASK_ID, taskId);
                String entityId = data.getString("entity_id");
                String entityKind = entityId == null ? null : kindInAvalon(entityId);
                if (verb.equals("delete") && entityKind == null) {
                    action = "ignore"; // the task's entity was never synced
                } else if (entityKind != null) {
                    entity(exchange, entityKind, entityId);
                    action = "entity";
                } else {
                    action = "task";
                }
            }
            case "project", "episode", "sequence" -> action = verb.equals("delete") && kind.equals("project") ? "ignore" : "project";
            case "asset-type", "task-type", "task_type" -> action = "all";
            default -> action = "ignore";
        }
        if (project != null && !action.equals("all") && !projects.wanted(project, null)) {
            action = "ignore";
        }
        exchange.setProperty(ACTION, action);
        LOG.debug("kitsu event {} {} -> {}", entry.getString("eventId"), name, action);
    }

    /** After GET /data/tasks/{id}/full: the entity the task belongs to (a 404 means the task is gone). */
    public void task(Exchange exchange) throws IOException {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (code == 404) {
            exchange.setProperty(ACTION, "ignore");
            return;
        }
        Map<String, Object> task = readObject(exchange, "task");
        Object entityType = task.get("entity_type") instanceof Map<?, ?> m ? m.get("name") : null;
        String kind = PLURALS.containsKey(String.valueOf(entityType)) ? String.valueOf(entityType) : "Asset";
        entity(exchange, kind, String.valueOf(task.get("entity_id")));
        exchange.setProperty(ACTION, "entity");
    }

    /** After GET /data/projects/{id}: kept for the mapping; body = the project for kitsu-sync-project. */
    public Map<String, Object> project(Exchange exchange) throws IOException {
        Map<String, Object> project = readObject(exchange, "project");
        exchange.setProperty("kitsuEventProject", project);
        return project;
    }

    /** After the project was re-synced for an event: its failure is the event's failure. */
    public void resynced(Exchange exchange) {
        String failure = exchange.getProperty("syncFailure", String.class);
        if (failure != null) {
            exchange.removeProperty("syncFailure");
            throw new KitsuResponseException("project re-sync failed: " + failure);
        }
    }

    /** After GET of the entity: 404 means deleted in Kitsu. */
    public void entity(Exchange exchange) throws IOException {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (code == 404) {
            exchange.setProperty(RETIRED, true);
            return;
        }
        if (code >= 300) {
            throw new KitsuResponseException("Kitsu answered HTTP " + code + " for "
                    + exchange.getProperty(ENTITY_PATH));
        }
        exchange.setProperty(RETIRED, false);
        exchange.setProperty("kitsuEventEntity", readObject(exchange, "entity"));
    }

    /** After GET of the entity's tasks (with task type and status names). */
    public void tasks(Exchange exchange) throws IOException {
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            exchange.setProperty("kitsuEventTasks", KitsuSnapshot.readList(in, null));
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the tasks of "
                    + exchange.getProperty(ENTITY_PATH) + ": " + e.getMessage(), e);
        }
    }

    /** Body: the {@link DesiredProject} holding just this entity; header: the scope of the change. */
    @SuppressWarnings("unchecked")
    public DesiredProject desired(Exchange exchange) {
        Map<String, Object> project = exchange.getProperty("kitsuEventProject", Map.class);
        String kind = exchange.getProperty(ENTITY_KIND, String.class);
        String id = exchange.getProperty(ENTITY_ID, String.class);
        List<Map<String, Object>> tasks = exchange.getProperty("kitsuEventTasks", List.class);
        tasks = tasks == null ? List.of() : tasks;
        // entity task routes carry the type and status names: no global lists needed
        List<Map<String, Object>> taskTypes = new ArrayList<>();
        List<Map<String, Object>> statuses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> task : tasks) {
            if (seen.add("t" + task.get("task_type_id"))) {
                taskTypes.add(Map.of("id", String.valueOf(task.get("task_type_id")), "name", String.valueOf(task.get("task_type_name"))));
            }
            if (task.get("task_status_id") != null && seen.add("s" + task.get("task_status_id"))) {
                statuses.add(Map.of("id", String.valueOf(task.get("task_status_id")), "name", String.valueOf(task.get("task_status_name"))));
            }
        }
        KitsuLookups lookups = new KitsuLookups(project, taskTypes, statuses, tasks);
        List<DesiredAsset> desired = new ArrayList<>();
        // the event is about this entity alone: only it may be retired (a 404 leaves it out of desired)
        exchange.setProperty("kitsuEventScope", Set.of(id));
        if (!Boolean.TRUE.equals(exchange.getProperty(RETIRED))) {
            Map<String, Object> entity = exchange.getProperty("kitsuEventEntity", Map.class);
            desired.add("Shot".equals(kind) ? shots.map(entity, lookups) : assets.map(entity, lookups));
        }
        List<TaskType> types = new ArrayList<>();
        taskTypes.forEach(t -> types.add(new TaskType((String) t.get("name"), null)));
        return new DesiredProject(String.valueOf(project.get("id")), String.valueOf(project.get("name")),
                projectMapper.attributes(project, lookups), types, desired);
    }

    private void entity(Exchange exchange, String kind, String id) {
        exchange.setProperty(ENTITY_KIND, kind);
        exchange.setProperty(ENTITY_ID, id);
        exchange.setProperty(ENTITY_PATH, "/data/" + PLURALS.get(kind) + "/" + id);
    }

    /** The Kitsu type of an entity already in Avalon, from its document; null when not synced. */
    private String kindInAvalon(String entityId) {
        Document doc = avalon.findByTrackerId(KitsuIdentity.INSTANCE, entityId);
        Object type = doc == null ? null : TrackerIdentity.read(doc, "data.zou.type");
        return type == null ? null : PLURALS.containsKey(type.toString()) ? type.toString() : null;
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
    private static Map<String, Object> readObject(Exchange exchange, String what) throws IOException {
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            Object value = in == null ? null : JSON.readValue(in, Object.class);
            if (!(value instanceof Map)) {
                throw new KitsuResponseException("Kitsu answered something that is not a JSON object for the " + what
                        + " " + exchange.getProperty(ENTITY_PATH, exchange.getProperty("kitsuProjectId"), Object.class));
            }
            return new LinkedHashMap<>((Map<String, Object>) value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the " + what + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
