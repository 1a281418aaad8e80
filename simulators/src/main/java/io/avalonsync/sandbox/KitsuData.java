package io.avalonsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * In-memory model of what a Zou server holds, with records shaped exactly like Zou serialises them
 * (field names and value types of Zou v1.0.67).
 * <p>
 * Callers always get {@link LinkedHashMap} copies. Stored records are read-only {@link FrozenRecord}s that
 * {@link #update(String, Map)} replaces rather than changes, so the HTTP side can take a snapshot of
 * references under the lock and stream them afterwards without holding it.
 * <p>
 * Every change also lands in an event log, named and shaped as Zou's {@code ApiEvent}s (see {@link #events()}),
 * and is handed to the event listeners once the change is complete and the lock released. Records built in the
 * constructor (project statuses, entity types, the admin) are seeded rows and make no events.
 */
public class KitsuData {

    public static final String PROJECT = "Project";
    public static final String PROJECT_STATUS = "ProjectStatus";
    public static final String ENTITY_TYPE = "EntityType";
    public static final String ASSET_TYPE = "AssetType";
    public static final String TASK_TYPE = "TaskType";
    public static final String TASK_STATUS = "TaskStatus";
    public static final String PERSON = "Person";
    public static final String ASSET = "Asset";
    public static final String EPISODE = "Episode";
    public static final String SEQUENCE = "Sequence";
    public static final String SHOT = "Shot";
    public static final String TASK = "Task";

    static final List<String> PROJECT_RELATIONS = List.of(
            "team", "asset_types", "task_types", "task_statuses", "status_automations", "preview_background_files");

    private static final DateTimeFormatter ZOU_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    // shared boxed values keep the 70,000-task production small in memory
    private static final Double ZERO = 0.0;

    private final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    // projectId -> record type -> ids, for the per-project list routes
    private final Map<String, Map<String, Set<String>>> byProject = new HashMap<>();
    // entityId -> task ids, for the full entity views and cascading removal
    private final Map<String, Set<String>> tasksByEntity = new HashMap<>();
    // key arrays shared between stored records of the same shape
    private final Map<List<String>, String[]> shapes = new HashMap<>();

    private final String openStatusId;
    private final String closedStatusId;
    private final Map<String, String> temporalTypeIds = new LinkedHashMap<>();
    private final Map<String, Object> adminPerson;

    private final ZouEventLog eventLog = new ZouEventLog();

    private Supplier<String> idSource = randomIds();
    private Clock clock = Clock.systemUTC();
    private String lastTimestamp = "";
    private long lastTimestampSecond = -1;

    public KitsuData() {
        // built-in rows get fixed ids so that two servers built from the same data agree on them
        openStatusId = builtInId(PROJECT_STATUS, "Open");
        closedStatusId = builtInId(PROJECT_STATUS, "Closed");
        put(stamped(projectStatus(openStatusId, "Open", "#FFFFFF")));
        put(stamped(projectStatus(closedStatusId, "Closed", "#000000")));
        for (String name : List.of(EPISODE, SEQUENCE, SHOT)) {
            String id = builtInId(ENTITY_TYPE, name);
            temporalTypeIds.put(name, id);
            put(stamped(entityType(id, ENTITY_TYPE, name, name.toLowerCase().substring(0, 2))));
        }
        adminPerson = put(stamped(person(builtInId(PERSON, "admin"))));
    }

    /** Ids in the shape Zou uses: random version-4 UUID strings. */
    public static Supplier<String> randomIds() {
        return () -> UUID.randomUUID().toString();
    }

    /** Version-4 shaped UUIDs from a seeded sequence, for reproducible productions. */
    public static Supplier<String> seededIds(long seed) {
        java.util.Random random = new java.util.Random(seed);
        return () -> {
            long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
            long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(msb, lsb).toString();
        };
    }

    /** Switches how new record ids are made; returns the previous source so it can be restored. */
    public synchronized Supplier<String> setIdSource(Supplier<String> ids) {
        Supplier<String> previous = idSource;
        idSource = Objects.requireNonNull(ids, "ids");
        return previous;
    }

    /** The clock behind {@code created_at}/{@code updated_at} and event times; tests fix it to control them. */
    public synchronized void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        lastTimestampSecond = -1;
    }

    // ---------------------------------------------------------------- global records

    public Map<String, Object> addProject(
            String name, String code, String productionType, String fps, String resolution) {
        return change(() -> {
            Map<String, Object> p = newRecord(nextId(), PROJECT);
            fill(p, "name", name, "code", code, "description", null, "shotgun_id", null, "file_tree", null,
                    "data", null, "has_avatar", false, "fps", fps, "ratio", "16:9", "resolution", resolution,
                    "production_type", productionType, "production_style", "2d3d",
                    "start_date", now().substring(0, 10), "end_date", null, "man_days", null, "nb_episodes", 0,
                    "episode_span", 0, "max_retakes", 0, "is_clients_isolated", false,
                    "is_preview_download_allowed", false, "is_set_preview_automated", false, "homepage", "assets",
                    "is_publish_default_for_artists", false, "hd_bitrate_compression", 28,
                    "ld_bitrate_compression", 6, "project_status_id", openStatusId,
                    "default_preview_background_file_id", null);
            for (String relation : PROJECT_RELATIONS) {
                p.put(relation, new ArrayList<>());
            }
            p.put("team", new ArrayList<>(List.of(adminPerson.get("id"))));
            return publish(p);
        });
    }

    public Map<String, Object> addAssetType(String name, String shortName) {
        return change(() -> publish(entityType(nextId(), ASSET_TYPE, name, shortName)));
    }

    public Map<String, Object> addTaskType(String name, String shortName, String forEntity) {
        return change(() -> {
            Map<String, Object> t = newRecord(nextId(), TASK_TYPE);
            fill(t, "name", name, "short_name", shortName, "description", null, "color", "#F5A623",
                    "priority", countOf(TASK_TYPE) + 1, "for_entity", forEntity, "allow_timelog", true,
                    "archived", false, "shotgun_id", null, "department_id", null);
            return publish(t);
        });
    }

    public Map<String, Object> addTaskStatus(String name, String shortName) {
        return change(() -> {
            Map<String, Object> s = newRecord(nextId(), TASK_STATUS);
            String code = shortName.toLowerCase();
            fill(s, "name", name, "short_name", shortName, "color", "#3273dc", "description", null,
                    "priority", countOf(TASK_STATUS) + 1, "archived", false, "is_done", code.equals("done"),
                    "is_artist_allowed", true, "is_client_allowed", true, "is_retake", code.equals("retake"),
                    "is_feedback_request", code.equals("wfa"), "is_default", countOf(TASK_STATUS) == 0,
                    "is_wip", code.equals("wip"), "for_concept", false, "shotgun_id", null);
            return publish(s);
        });
    }

    /** What {@code /data/projects/{id}/task-types} answers is the project's {@code task_types} list. */
    public void enableTaskType(String projectId, String taskTypeId) {
        change(() -> {
            Map<String, Object> project = require(projectId, PROJECT);
            require(taskTypeId, TASK_TYPE);
            List<Object> enabled = new ArrayList<>((List<?>) project.get("task_types"));
            if (!enabled.contains(taskTypeId)) {
                enabled.add(taskTypeId);
                update(projectId, Map.of("task_types", enabled));
            }
        });
    }

    // ---------------------------------------------------------------- production entities

    public Map<String, Object> addAsset(String projectId, String assetTypeId, String name) {
        return change(() -> {
            require(assetTypeId, ASSET_TYPE);
            Map<String, Object> a = entity(projectId, ASSET, assetTypeId, name, null);
            a.put("data", new LinkedHashMap<>());
            return publish(a);
        });
    }

    public Map<String, Object> addEpisode(String projectId, String name) {
        return change(() -> publish(entity(projectId, EPISODE, temporalTypeIds.get(EPISODE), name, null)));
    }

    public Map<String, Object> addSequence(String projectId, String episodeIdOrNull, String name) {
        return change(() -> {
            if (episodeIdOrNull != null) {
                require(episodeIdOrNull, EPISODE);
            }
            return publish(entity(projectId, SEQUENCE, temporalTypeIds.get(SEQUENCE), name, episodeIdOrNull));
        });
    }

    public Map<String, Object> addShot(
            String projectId, String sequenceId, String name, Integer frameIn, Integer frameOut, String fpsOrNull) {
        return change(() -> {
            require(sequenceId, SEQUENCE);
            Map<String, Object> s = entity(projectId, SHOT, temporalTypeIds.get(SHOT), name, sequenceId);
            s.put("description", "");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("frame_in", frameIn);
            data.put("frame_out", frameOut);
            data.put("fps", fpsOrNull);
            s.put("data", data);
            s.put("nb_frames", frameIn != null && frameOut != null ? frameOut - frameIn + 1 : null);
            return publish(s);
        });
    }

    public Map<String, Object> addTask(String projectId, String entityId, String taskTypeId, String taskStatusId) {
        return change(() -> {
            require(projectId, PROJECT);
            require(entityId, null);
            require(taskTypeId, TASK_TYPE);
            require(taskStatusId, TASK_STATUS);
            Map<String, Object> t = newRecord(nextId(), TASK);
            fill(t, "name", "main", "description", null, "priority", 0, "difficulty", 3, "duration", ZERO,
                    "estimation", ZERO, "completion_rate", 0, "retake_count", 0, "sort_order", 0,
                    "start_date", null, "due_date", null, "real_start_date", null, "end_date", null,
                    "done_date", null, "last_comment_date", null, "nb_assets_ready", 0, "data", null,
                    "nb_drawings", 0, "shotgun_id", null, "last_preview_file_id", null, "project_id", projectId,
                    "task_type_id", taskTypeId, "task_status_id", taskStatusId, "entity_id", entityId,
                    "assigner_id", adminPerson.get("id"));
            // stored records are read-only, so every unassigned task can share one empty list
            t.put("assignees", List.of());
            return publish(t);
        });
    }

    // ---------------------------------------------------------------- changes

    /** Shallow-merges {@code fields} into the record (any kind) and bumps its {@code updated_at}. */
    public void update(String id, Map<String, Object> fields) {
        change(() -> {
            Map<String, Object> old = require(id, null);
            Map<String, Object> merged = new LinkedHashMap<>(old);
            fields.forEach((key, value) -> merged.put(key, FrozenRecord.thawValue(value)));
            merged.put("id", id);
            if (!fields.containsKey("updated_at")) {
                merged.put("updated_at", now());
            }
            unindex(old);
            recordChange(put(merged), "update");
        });
    }

    /**
     * Hard delete. An entity takes its tasks with it (a {@code task:delete} each, before the entity's own
     * event), a project everything in it (only {@code project:delete}, as Zou's bulk project removal).
     */
    public void remove(String id) {
        change(() -> {
            Map<String, Object> old = records.get(id);
            if (old == null) {
                return;
            }
            if (PROJECT.equals(old.get("type"))) {
                Map<String, Set<String>> content = byProject.getOrDefault(id, Map.of());
                for (Set<String> ids : List.copyOf(content.values())) {
                    List.copyOf(ids).forEach(this::removeOne);
                }
            }
            for (String taskId : List.copyOf(tasksByEntity.getOrDefault(id, Set.of()))) {
                Map<String, Object> task = records.get(taskId);
                removeOne(taskId);
                recordChange(task, "delete");
            }
            removeOne(id);
            recordChange(old, "delete");
        });
    }

    /** Closing is an update of {@code project_status_id}, so it reads as {@code project:update}. */
    public void closeProject(String projectId) {
        change(() -> {
            require(projectId, PROJECT);
            update(projectId, Map.of("project_status_id", closedStatusId));
        });
    }

    // ---------------------------------------------------------------- event log

    /**
     * Every event recorded so far, oldest first, as {@code /data/events/last} shows them. A generated
     * production is in there too (one {@code :new} per row), as a real Zou's log would hold it.
     */
    public List<Map<String, Object>> events() {
        return eventLog.all();
    }

    /**
     * Called with each event (its own copy) after the change is stored and the data lock released, in log
     * order, on the thread that made the change. Listeners may read the data; a failing one is skipped.
     */
    public void addEventListener(Consumer<Map<String, Object>> listener) {
        eventLog.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeEventListener(Consumer<Map<String, Object>> listener) {
        eventLog.removeListener(listener);
    }

    /**
     * Logs (and hands to the listeners) an event that no change made, e.g. one Zou emits for something the
     * model does not hold. As Zou, a non-null {@code projectId} is also put in the payload.
     */
    public Map<String, Object> recordEvent(String name, Map<String, Object> data, String projectId) {
        Objects.requireNonNull(name, "name");
        return change(() -> logEvent(name, data, projectId));
    }

    /**
     * Logs an event whose {@code data} is whatever is given (a list, a string, null): what a Zou-like server that
     * does not follow Zou's payloads may serve. It is handed to the listeners as any other.
     */
    public Map<String, Object> recordRawEvent(String name, Object data, String projectId) {
        return change(() -> {
            Instant now = clock.instant();
            return eventLog.recordRaw(name, data, projectId, (String) adminPerson.get("id"), now, timestamp(now));
        });
    }

    /**
     * As Zou's {@code zou remove-old-data}: deletes the events logged before {@code before} (a new install, or a
     * log pruned after its retention, serves an empty or short log). Returns how many went.
     */
    public int removeEventsBefore(Instant before) {
        return change(() -> eventLog.removeBefore(Objects.requireNonNull(before, "before")));
    }

    /** The query behind {@code GET /api/data/events/last}; null when the cursor event is unknown. */
    List<Map<String, Object>> lastEvents(ZouEventLog.Filter filter) {
        return eventLog.last(filter);
    }

    /** A copy of the record, or null. */
    public synchronized Map<String, Object> get(String id) {
        Map<String, Object> r = id == null ? null : records.get(id);
        return r == null ? null : copyOf(r);
    }

    // ---------------------------------------------------------------- convenience for tests

    public synchronized List<Map<String, Object>> projects() {
        return copies(ofType(PROJECT));
    }

    public synchronized List<Map<String, Object>> entities(String projectId, String type) {
        return copies(inProject(projectId, type));
    }

    public synchronized List<Map<String, Object>> tasks(String projectId) {
        return copies(inProject(projectId, TASK));
    }

    // ---------------------------------------------------------------- snapshots for the HTTP side

    /** The stored, read-only record, or null. */
    synchronized Map<String, Object> record(String id) {
        return id == null ? null : records.get(id);
    }

    synchronized List<Map<String, Object>> ofType(String type) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> r : records.values()) {
            if (type.equals(r.get("type"))) {
                result.add(r);
            }
        }
        return result;
    }

    synchronized List<Map<String, Object>> inProject(String projectId, String type) {
        Set<String> ids = byProject.getOrDefault(projectId, Map.of()).getOrDefault(type, Set.of());
        List<Map<String, Object>> result = new ArrayList<>(ids.size());
        ids.forEach(id -> result.add(records.get(id)));
        return result;
    }

    synchronized List<Map<String, Object>> tasksOf(String entityId) {
        Set<String> ids = tasksByEntity.getOrDefault(entityId, Set.of());
        List<Map<String, Object>> result = new ArrayList<>(ids.size());
        ids.forEach(id -> result.add(records.get(id)));
        return result;
    }

    boolean isOpen(Map<String, Object> project) {
        return openStatusId.equals(project.get("project_status_id"));
    }

    Map<String, Object> adminPerson() {
        return adminPerson;
    }

    String entityTypeId(String temporalType) {
        return temporalTypeIds.get(temporalType);
    }

    // ---------------------------------------------------------------- internals

    private Map<String, Object> entity(
            String projectId, String type, String entityTypeId, String name, String parentId) {
        require(projectId, PROJECT);
        Map<String, Object> e = newRecord(nextId(), type);
        fill(e, "name", name, "code", null, "description", null, "shotgun_id", null, "canceled", false,
                "nb_frames", null, "nb_entities_out", 0, "is_casting_standby", false, "is_shared", false,
                "status", "running", "project_id", projectId, "entity_type_id", entityTypeId,
                "parent_id", parentId, "source_id", null, "preview_file_id", null, "data", null,
                "ready_for", null, "created_by", adminPerson.get("id"));
        return e;
    }

    private Map<String, Object> entityType(String id, String type, String name, String shortName) {
        Map<String, Object> t = newRecord(id, type);
        t.put("name", name);
        t.put("short_name", shortName);
        t.put("description", null);
        t.put("archived", false);
        return t;
    }

    private Map<String, Object> projectStatus(String id, String name, String color) {
        Map<String, Object> s = newRecord(id, PROJECT_STATUS);
        s.put("name", name);
        s.put("color", color);
        return s;
    }

    private Map<String, Object> person(String id) {
        Map<String, Object> p = newRecord(id, PERSON);
        fill(p, "first_name", "Super", "last_name", "Admin", "full_name", "Super Admin",
                "email", "admin@example.com", "desktop_login", "", "phone", "", "active", true,
                "archived", false, "role", "admin", "has_avatar", false, "is_bot", false,
                "timezone", "Europe/Paris", "locale", "en_US", "departments", List.of());
        return p;
    }

    /** Puts key/value pairs in order: Zou's column lists read better as tables than as put calls. */
    private static void fill(Map<String, Object> record, Object... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            record.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
    }

    /** Starts a record the way the Zou examples show it: id and type first, timestamps last. */
    private static Map<String, Object> newRecord(String id, String type) {
        Map<String, Object> r = new LinkedHashMap<>(64);
        r.put("id", id);
        r.put("type", type);
        return r;
    }

    private Map<String, Object> stamped(Map<String, Object> r) {
        String now = now();
        r.put("created_at", now);
        r.put("updated_at", now);
        return r;
    }

    private Map<String, Object> publish(Map<String, Object> r) {
        recordChange(put(stamped(r)), "new");
        return copyOf(r);
    }

    private void change(Runnable body) {
        change(() -> {
            body.run();
            return null;
        });
    }

    /** Runs a change under the data lock, then hands the events it made to the listeners without the lock. */
    private <T> T change(Supplier<T> body) {
        try {
            synchronized (this) {
                return body.get();
            }
        } finally {
            // a change made inside another one (closeProject's update) leaves delivery to the outer one
            if (!Thread.holdsLock(this)) {
                eventLog.deliver();
            }
        }
    }

    /** Logs the event Zou emits when {@code record} is made, changed or removed ({@code action}). */
    private void recordChange(Map<String, Object> record, String action) {
        String type = (String) record.get("type");
        // a shot's episode is its sequence's parent (a short has none)
        Map<String, Object> sequence = SHOT.equals(type) ? records.get((String) record.get("parent_id")) : null;
        String projectId = (String) record.get(PROJECT.equals(type) ? "id" : "project_id");
        logEvent(ZouEventLog.eventName(type, action),
                ZouEventLog.changePayload(record, action, sequence == null ? null : sequence.get("parent_id")),
                projectId);
    }

    private Map<String, Object> logEvent(String name, Map<String, Object> data, String projectId) {
        Instant now = clock.instant();
        return eventLog.record(name, data, projectId, (String) adminPerson.get("id"), now, timestamp(now));
    }

    private Map<String, Object> put(Map<String, Object> record) {
        Map<String, Object> r = FrozenRecord.of(record, shapes);
        String id = (String) r.get("id");
        records.put(id, r);
        String projectId = (String) r.get("project_id");
        if (projectId != null) {
            byProject.computeIfAbsent(projectId, p -> new HashMap<>())
                    .computeIfAbsent((String) r.get("type"), t -> new LinkedHashSet<>()).add(id);
        }
        if (TASK.equals(r.get("type")) && r.get("entity_id") != null) {
            tasksByEntity.computeIfAbsent((String) r.get("entity_id"), e -> new LinkedHashSet<>()).add(id);
        }
        return r;
    }

    private void unindex(Map<String, Object> r) {
        String id = (String) r.get("id");
        Map<String, Set<String>> content = byProject.get((String) r.get("project_id"));
        if (content != null && content.containsKey((String) r.get("type"))) {
            content.get((String) r.get("type")).remove(id);
        }
        Set<String> tasks = tasksByEntity.get((String) r.get("entity_id"));
        if (tasks != null) {
            tasks.remove(id);
        }
    }

    private void removeOne(String id) {
        Map<String, Object> old = records.remove(id);
        if (old != null) {
            unindex(old);
            tasksByEntity.remove(id);
            byProject.remove(id);
        }
    }

    private Map<String, Object> require(String id, String type) {
        Map<String, Object> r = id == null ? null : records.get(id);
        if (r == null || (type != null && !type.equals(r.get("type")))) {
            throw new NoSuchElementException("No " + (type != null ? type : "record") + " with id " + id);
        }
        return r;
    }

    private int countOf(String type) {
        int count = 0;
        for (Map<String, Object> r : records.values()) {
            if (type.equals(r.get("type"))) {
                count++;
            }
        }
        return count;
    }

    private String nextId() {
        return idSource.get();
    }

    /** Naive UTC to the second, as Zou serialises datetimes; one String per second saves memory in bulk. */
    private String now() {
        return timestamp(clock.instant());
    }

    private String timestamp(Instant instant) {
        long second = instant.getEpochSecond();
        if (second != lastTimestampSecond) {
            lastTimestampSecond = second;
            lastTimestamp = ZOU_DATE_TIME.format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC));
        }
        return lastTimestamp;
    }

    private static String builtInId(String type, String name) {
        return UUID.nameUUIDFromBytes(("zou-simulator/" + type + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static List<Map<String, Object>> copies(List<Map<String, Object>> stored) {
        List<Map<String, Object>> result = new ArrayList<>(stored.size());
        stored.forEach(r -> result.add(copyOf(r)));
        return result;
    }

    static Map<String, Object> copyOf(Map<String, Object> r) {
        return FrozenRecord.thaw(r);
    }

}
