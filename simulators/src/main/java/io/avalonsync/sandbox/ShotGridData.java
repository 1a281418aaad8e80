package io.avalonsync.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The records of a simulated ShotGrid site: Project, Asset, Episode, Sequence, Shot, Task, Step, HumanUser,
 * ApiUser rows (integer ids, allocated per entity type, so Shot 5 and Asset 5 both exist) and the
 * EventLogEntry rows their changes write. Thread-safe.
 * <p>
 * Rows are flat maps: plain fields hold strings, numbers and booleans; entity fields hold links
 * {@code {"type": "Sequence", "id": 45}} (the {@code name} is looked up when served, so it follows renames);
 * multi-entity fields hold lists of links.
 * <p>
 * Mutations log events as the server does: a create writes one {@code Shotgun_<Type>_Change} with
 * {@code meta.in_create = true} per initial field (server defaults included) and then {@code Shotgun_<Type>_New};
 * an update writes one {@code _Change} per field whose value changed; a retirement writes a
 * {@code retirement_date} change and {@code _Retirement} (its Tasks are trashed with it); a revival the reverse
 * change and {@code _Revival}, its Tasks' changes first.
 * An event's {@code entity} is served as null while its target is retired (use {@code meta.entity_id}).
 * Writes by an ApiUser whose {@code generate_event_log_entries} is not true log nothing, as on a real site.
 * <p>
 * Event ids are allocated in order but an event can be committed late ({@link #holdEvents}, a commit delay on
 * {@link #update(String, int, Map, Map, long)}): until then it is invisible to every read, so a poller can see
 * id N+1 before id N.
 */
public final class ShotGridData {

    public static final String PROJECT = "Project";
    public static final String ASSET = "Asset";
    public static final String EPISODE = "Episode";
    public static final String SEQUENCE = "Sequence";
    public static final String SHOT = "Shot";
    public static final String TASK = "Task";
    public static final String STEP = "Step";
    public static final String HUMAN_USER = "HumanUser";
    public static final String API_USER = "ApiUser";
    public static final String EVENT_LOG_ENTRY = "EventLogEntry";

    /** The project checkbox that turns the Avalon sync on. */
    public static final String SYNC_FIELD = "sg_avalon_auto_sync";

    /** Internal mark on a Task trashed along with its entity, so that reviving the entity brings it back. */
    private static final String RETIRED_WITH = "_retired_with";

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RETIREMENT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Field data types per entity type, in the order {@code fields=*} lists them. */
    private static final Map<String, Map<String, String>> SCHEMA = new LinkedHashMap<>();
    private static final Map<String, String> SLUGS = new LinkedHashMap<>();
    /** Server-set values of a new row, logged with {@code in_create} like the fields the caller gave. */
    private static final Map<String, Map<String, Object>> DEFAULTS = new LinkedHashMap<>();

    static {
        schema(PROJECT, "projects", "name", "text", "code", "text", "sg_description", "text", "sg_status", "list",
                SYNC_FIELD, "checkbox");
        schema(ASSET, "assets", "code", "text", "description", "text", "sg_asset_type", "list",
                "sg_status_list", "status_list", "project", "entity");
        schema(EPISODE, "episodes", "code", "text", "description", "text", "sg_status_list", "status_list",
                "project", "entity");
        schema(SEQUENCE, "sequences", "code", "text", "description", "text", "episode", "entity",
                "sg_status_list", "status_list", "project", "entity");
        schema(SHOT, "shots", "code", "text", "description", "text", "sg_sequence", "entity",
                "sg_cut_in", "number", "sg_cut_out", "number", "sg_head_in", "number", "sg_tail_out", "number",
                "sg_cut_duration", "number", "sg_status_list", "status_list", "project", "entity");
        schema(TASK, "tasks", "content", "text", "step", "entity", "entity", "entity",
                "sg_status_list", "status_list", "task_assignees", "multi_entity", "start_date", "date",
                "due_date", "date", "project", "entity");
        schema(STEP, "steps", "code", "text", "short_name", "text", "entity_type", "text");
        schema(HUMAN_USER, "human_users", "name", "text", "firstname", "text", "lastname", "text",
                "login", "text", "email", "text", "sg_status_list", "status_list");
        schema(API_USER, "api_users", "firstname", "text", "lastname", "text", "description", "text",
                "email", "text", "generate_event_log_entries", "checkbox");
        schema(EVENT_LOG_ENTRY, "event_log_entries", "event_type", "text", "attribute_name", "text",
                "meta", "serializable", "description", "text", "session_uuid", "uuid",
                "entity", "entity", "project", "entity", "user", "entity");
        for (String type : List.of(ASSET, EPISODE, SEQUENCE, SHOT, TASK)) {
            DEFAULTS.put(type, Map.of("sg_status_list", "wtg"));
        }
        DEFAULTS.put(HUMAN_USER, Map.of("sg_status_list", "act"));
        DEFAULTS.put(PROJECT, Map.of("sg_status", "Active", SYNC_FIELD, false));
        DEFAULTS.put(API_USER, Map.of("generate_event_log_entries", false));
    }

    private static void schema(String type, String slug, String... fieldsAndTypes) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            fields.put(fieldsAndTypes[i], fieldsAndTypes[i + 1]);
        }
        if (!type.equals(EVENT_LOG_ENTRY)) {
            fields.put("created_at", "date_time");
            fields.put("updated_at", "date_time");
        } else {
            fields.put("created_at", "date_time");
        }
        SCHEMA.put(type, Collections.unmodifiableMap(fields));
        SLUGS.put(type, slug);
    }

    /** One EventLogEntry: its row, and whether readers can see it yet. */
    private static final class Event {
        final Map<String, Object> row;
        volatile boolean held;
        volatile long visibleAtMillis;

        Event(Map<String, Object> row) {
            this.row = row;
        }

        int id() {
            return (Integer) row.get("id");
        }

        boolean visible(long now) {
            return !held && now >= visibleAtMillis;
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<Integer, Map<String, Object>>> rows = new LinkedHashMap<>();
    private final Map<String, Integer> lastIds = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<Integer, String> sessions = new LinkedHashMap<>();
    private int lastEventId;
    private boolean holding;

    public ShotGridData() {
        for (String type : SCHEMA.keySet()) {
            if (!type.equals(EVENT_LOG_ENTRY)) {
                rows.put(type, new TreeMap<>());
                lastIds.put(type, 0);
            }
        }
    }

    // ---------------------------------------------------------------- schema

    /** Entity types this site knows (EventLogEntry included). */
    public static Set<String> entityTypes() {
        return Collections.unmodifiableSet(SCHEMA.keySet());
    }

    /** The field names and data types of {@code type} ({@code text}, {@code entity}, {@code multi_entity} ...). */
    public static Map<String, String> fields(String type) {
        Map<String, String> fields = SCHEMA.get(type);
        if (fields == null) {
            throw new IllegalArgumentException("unknown entity type '" + type + "' (known: " + SCHEMA.keySet() + ")");
        }
        return fields;
    }

    /** The REST path segment: {@code Shot -> shots}, {@code EventLogEntry -> event_log_entries}. */
    public static String slug(String type) {
        fields(type);
        return SLUGS.get(type);
    }

    /** The entity type a REST path segment names ({@code shots}, {@code shot}, {@code Shot}, {@code Shots}), or null. */
    static String typeOfSlug(String segment) {
        String lower = segment.toLowerCase();
        for (Map.Entry<String, String> entry : SLUGS.entrySet()) {
            String type = entry.getKey().toLowerCase();
            String slug = entry.getValue();
            String singular = slug.endsWith("ies") ? slug.substring(0, slug.length() - 3) + "y"
                    : slug.substring(0, slug.length() - 1);
            if (lower.equals(slug) || lower.equals(singular) || lower.equals(type) || lower.equals(type + "s")) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** A link as mutations take it: {@code {"type": type, "id": id}}. */
    public static Map<String, Object> link(String type, int id) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("type", type);
        link.put("id", id);
        return link;
    }

    // ---------------------------------------------------------------- reads (for tests and the benchmark driver)

    /** A copy of the row (retired or not), or null. */
    public Map<String, Object> get(String type, int id) {
        lock.readLock().lock();
        try {
            Map<String, Object> row = table(type).get(id);
            return row == null ? null : new LinkedHashMap<>(row);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ids of the live (not retired) rows of {@code type}, ascending. */
    public List<Integer> ids(String type) {
        lock.readLock().lock();
        try {
            List<Integer> ids = new ArrayList<>();
            for (Map<String, Object> row : table(type).values()) {
                if (row.get("retirement_date") == null) {
                    ids.add((Integer) row.get("id"));
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Live rows of {@code type}. */
    public int count(String type) {
        return ids(type).size();
    }

    /** The first live row of {@code type} whose {@code field} equals {@code value}, or null. */
    public Map<String, Object> findOne(String type, String field, Object value) {
        lock.readLock().lock();
        try {
            for (Map<String, Object> row : table(type).values()) {
                if (row.get("retirement_date") == null && Objects.equals(row.get(field), value)) {
                    return new LinkedHashMap<>(row);
                }
            }
            return null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Committed (visible) events, oldest id first, as flat maps with raw links. */
    public List<Map<String, Object>> events() {
        long now = System.currentTimeMillis();
        lock.readLock().lock();
        try {
            List<Map<String, Object>> visible = new ArrayList<>();
            for (Event event : events) {
                if (event.visible(now)) {
                    visible.add(new LinkedHashMap<>(event.row));
                }
            }
            return visible;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Committed (visible) events. */
    public int eventCount() {
        return events().size();
    }

    /** The highest event id allocated so far, committed or not; 0 before the first. */
    public int lastEventId() {
        lock.readLock().lock();
        try {
            return lastEventId;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The display name links carry: {@code code}, {@code content} for a Task, {@code name} for a Project. */
    public String displayName(String type, int id) {
        lock.readLock().lock();
        try {
            Map<String, Object> row = table(type).get(id);
            return row == null ? null : displayName(type, row);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- out-of-order commit

    /** While on, events are given ids but stay invisible until {@link #releaseEvent} / {@link #releaseEvents}. */
    public void holdEvents(boolean hold) {
        lock.writeLock().lock();
        try {
            holding = hold;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Ids of the events written but not committed yet, ascending. */
    public List<Integer> heldEventIds() {
        lock.readLock().lock();
        try {
            List<Integer> ids = new ArrayList<>();
            for (Event event : events) {
                if (event.held) {
                    ids.add(event.id());
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Commits one held event: readers see it from now on, whatever the order of the other held ids. */
    public void releaseEvent(int eventId) {
        lock.writeLock().lock();
        try {
            for (Event event : events) {
                if (event.id() == eventId) {
                    if (!event.held) {
                        throw new IllegalStateException("event " + eventId + " is not held");
                    }
                    event.held = false;
                    return;
                }
            }
            throw new IllegalArgumentException("no event " + eventId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Commits every held event. */
    public void releaseEvents() {
        lock.writeLock().lock();
        try {
            for (Event event : events) {
                event.held = false;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- mutations

    /** Adds a row without logging anything: bulk loads (a generated production) start with an empty event log. */
    public int insertWithoutEvents(String type, Map<String, Object> fields) {
        lock.writeLock().lock();
        try {
            Map<String, Object> row = newRow(type, fields);
            table(type).put((Integer) row.get("id"), row);
            return (Integer) row.get("id");
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Creates a row; logs one in-create {@code _Change} per non-null initial field, then {@code _New}. Returns its id. */
    public int create(String type, Map<String, Object> fields, Map<String, Object> byUser) {
        lock.writeLock().lock();
        try {
            checkUser(byUser);
            Map<String, Object> row = newRow(type, fields);
            int id = (Integer) row.get("id");
            table(type).put(id, row);
            if (logs(byUser)) {
                for (Map.Entry<String, Object> field : row.entrySet()) {
                    String name = field.getKey();
                    if (field.getValue() != null && fields(type).containsKey(name)
                            && !name.equals("created_at") && !name.equals("updated_at")) {
                        logChange(type, row, name, null, field.getValue(), true, byUser, 0);
                    }
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("type", "new_entity");
                meta.put("entity_type", type);
                meta.put("entity_id", id);
                log(type, row, "Shotgun_" + type + "_New", null, meta, byUser,
                        userName(byUser) + " created new " + type + " " + displayName(type, row), 0);
            }
            return id;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Changes fields of a live row; one {@code _Change} per field whose value differs. Returns the event ids. */
    public List<Integer> update(String type, int id, Map<String, Object> fields, Map<String, Object> byUser) {
        return update(type, id, fields, byUser, 0);
    }

    /**
     * As {@link #update(String, int, Map, Map)}, the events being committed {@code commitDelayMillis} after
     * they were written: later events can become visible first.
     */
    public List<Integer> update(String type, int id, Map<String, Object> fields, Map<String, Object> byUser,
                                long commitDelayMillis) {
        lock.writeLock().lock();
        try {
            checkUser(byUser);
            Map<String, Object> row = liveRow(type, id);
            Map<String, Object> values = normalize(type, fields);
            List<Integer> written = new ArrayList<>();
            for (Map.Entry<String, Object> field : values.entrySet()) {
                Object old = row.get(field.getKey());
                if (Objects.equals(old, field.getValue())) {
                    continue;
                }
                row.put(field.getKey(), field.getValue());
                row.put("updated_at", now());
                if (logs(byUser)) {
                    written.add(logChange(type, row, field.getKey(), old, field.getValue(), false, byUser,
                            commitDelayMillis));
                }
            }
            return written;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Deletes (trashes) a live row: a {@code retirement_date} change, then {@code _Retirement}. The Tasks linked
     * to it by {@code entity} go to the trash with it, each logging a {@code retirement_date} change only.
     */
    public List<Integer> retire(String type, int id, Map<String, Object> byUser) {
        lock.writeLock().lock();
        try {
            checkUser(byUser);
            Map<String, Object> row = liveRow(type, id);
            String date = RETIREMENT_DATE.format(Instant.now());
            row.put("retirement_date", date);
            boolean logs = logs(byUser);
            List<Integer> written = new ArrayList<>();
            if (logs) {
                written.add(logChange(type, row, "retirement_date", null, date, false, byUser, 0));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("id", id);
                meta.put("type", "entity_retirement");
                meta.put("entity_id", id);
                meta.put("class_name", type);
                meta.put("entity_type", type);
                meta.put("display_name", displayName(type, row));
                meta.put("retirement_date", date);
                written.add(log(type, row, "Shotgun_" + type + "_Retirement", null, meta, byUser,
                        userName(byUser) + " retired " + type + " " + displayName(type, row), 0));
            }
            for (Map<String, Object> task : childTasks(type, id, false)) {
                task.put("retirement_date", date);
                task.put(RETIRED_WITH, type + "#" + id);
                if (logs) {
                    written.add(logChange(TASK, task, "retirement_date", null, date, false, byUser, 0));
                }
            }
            return written;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Restores a retired row. Tasks that were trashed with it come back first (a {@code retirement_date} change
     * to null each, no Task revival event), then the row's own {@code retirement_date} change and {@code _Revival}:
     * the order a real site logs an Asset's revival in.
     */
    public List<Integer> revive(String type, int id, Map<String, Object> byUser) {
        lock.writeLock().lock();
        try {
            checkUser(byUser);
            Map<String, Object> row = table(type).get(id);
            if (row == null || row.get("retirement_date") == null) {
                throw new IllegalStateException(type + " " + id + (row == null ? " does not exist" : " is not retired"));
            }
            boolean logs = logs(byUser);
            List<Integer> written = new ArrayList<>();
            for (Map<String, Object> task : childTasks(type, id, true)) {
                Object taskDate = task.remove("retirement_date");
                task.remove(RETIRED_WITH);
                if (logs) {
                    written.add(logChange(TASK, task, "retirement_date", taskDate, null, false, byUser, 0));
                }
            }
            Object date = row.remove("retirement_date");
            if (logs) {
                written.add(logChange(type, row, "retirement_date", date, null, false, byUser, 0));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("type", "entity_revival");
                meta.put("entity_type", type);
                meta.put("entity_id", id);
                meta.put("class_name", type);
                meta.put("display_name", displayName(type, row));
                written.add(log(type, row, "Shotgun_" + type + "_Revival", null, meta, byUser,
                        userName(byUser) + " revived " + type + " " + displayName(type, row), 0));
            }
            return written;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Live Tasks of an entity, or ({@code trashedWithIt}) the retired ones that went to the trash with it. */
    private List<Map<String, Object>> childTasks(String type, int id, boolean trashedWithIt) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        if (type.equals(TASK)) {
            return tasks;
        }
        for (Map<String, Object> task : rows.get(TASK).values()) {
            if (task.get("entity") instanceof Map<?, ?> link && type.equals(link.get("type"))
                    && Integer.valueOf(id).equals(link.get("id"))
                    && (trashedWithIt ? (type + "#" + id).equals(task.get(RETIRED_WITH))
                            : task.get("retirement_date") == null)) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    // ---------------------------------------------------------------- what the REST layer reads

    /** Marks a value a dotted path cannot reach (through a multi-entity field, or a missing link). */
    static final Object ABSENT = new Object();

    /**
     * Filters, sorts, pages and renders rows of {@code type} under one read lock. {@code retired} selects
     * retired rows instead of live ones; for EventLogEntry it selects nothing but committed events. A null
     * {@code order} is id ascending, the stored order: the scan then stops at the end of the page.
     */
    <T> List<T> select(String type, boolean retired, Predicate<Map<String, Object>> filter,
                       Comparator<Map<String, Object>> order, int offset, int limit,
                       Function<Map<String, Object>, T> render) {
        long now = System.currentTimeMillis();
        lock.readLock().lock();
        try {
            List<Map<String, Object>> matches = new ArrayList<>();
            long enough = order == null ? offset + (long) limit : Long.MAX_VALUE;
            if (type.equals(EVENT_LOG_ENTRY)) {
                if (!retired) {
                    for (Event event : events) {
                        if (matches.size() >= enough) {
                            break;
                        }
                        if (event.visible(now) && filter.test(event.row)) {
                            matches.add(event.row);
                        }
                    }
                }
            } else {
                for (Map<String, Object> row : table(type).values()) {
                    if (matches.size() >= enough) {
                        break;
                    }
                    if ((row.get("retirement_date") != null) == retired && filter.test(row)) {
                        matches.add(row);
                    }
                }
            }
            if (order != null) {
                matches.sort(order);
            }
            List<T> page = new ArrayList<>();
            for (int i = offset; i < matches.size() && i < offset + (long) limit; i++) {
                page.add(render.apply(matches.get(i)));
            }
            return page;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The value of a field or dotted path ({@code sg_sequence.Sequence.code}) of a row, as served: an event's
     * {@code entity} is null while its target is retired. Call under {@link #select}'s lock.
     */
    Object value(String type, Map<String, Object> row, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            Object value = row.get(path);
            if (type.equals(EVENT_LOG_ENTRY) && path.equals("entity") && value instanceof Map<?, ?> link
                    && isRetired(link)) {
                return null;
            }
            return value;
        }
        String[] parts = path.split("\\.", 3);
        if (parts.length < 3) {
            return ABSENT;
        }
        Object link = value(type, row, parts[0]);
        if (!(link instanceof Map<?, ?> target) || !parts[1].equals(target.get("type"))) {
            return link == null || link instanceof Map<?, ?> ? null : ABSENT;
        }
        TreeMap<Integer, Map<String, Object>> table = rows.get(parts[1]);
        Map<String, Object> targetRow = table == null ? null : table.get((Integer) target.get("id"));
        return targetRow == null ? null : value(parts[1], targetRow, parts[2]);
    }

    /** A stored link as served: {@code {"id", "name", "type"}} with the target's current display name. */
    Map<String, Object> linkOut(Object stored) {
        if (!(stored instanceof Map<?, ?> link)) {
            return null;
        }
        String type = (String) link.get("type");
        Integer id = (Integer) link.get("id");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        TreeMap<Integer, Map<String, Object>> table = rows.get(type);
        Map<String, Object> row = table == null ? null : table.get(id);
        out.put("name", row == null ? link.get("name") : displayName(type, row));
        out.put("type", type);
        return out;
    }

    // ---------------------------------------------------------------- internals

    private boolean isRetired(Map<?, ?> link) {
        TreeMap<Integer, Map<String, Object>> table = rows.get((String) link.get("type"));
        Map<String, Object> row = table == null ? null : table.get((Integer) link.get("id"));
        return row == null || row.get("retirement_date") != null;
    }

    private TreeMap<Integer, Map<String, Object>> table(String type) {
        TreeMap<Integer, Map<String, Object>> table = rows.get(type);
        if (table == null) {
            throw new IllegalArgumentException("unknown entity type '" + type + "' (known: " + rows.keySet() + ")");
        }
        return table;
    }

    private Map<String, Object> liveRow(String type, int id) {
        Map<String, Object> row = table(type).get(id);
        if (row == null) {
            throw new IllegalArgumentException(type + " " + id + " does not exist");
        }
        if (row.get("retirement_date") != null) {
            throw new IllegalStateException(type + " " + id + " is retired");
        }
        return row;
    }

    private Map<String, Object> newRow(String type, Map<String, Object> fields) {
        Map<String, Object> values = normalize(type, fields);
        int id = lastIds.merge(type, 1, Integer::sum);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.putAll(values);
        for (Map.Entry<String, Object> preset : DEFAULTS.getOrDefault(type, Map.of()).entrySet()) {
            row.putIfAbsent(preset.getKey(), preset.getValue());
        }
        String now = now();
        row.put("created_at", now);
        row.put("updated_at", now);
        return row;
    }

    /** Checks field names and link targets, and stores links as {@code {type, id}} only. */
    private Map<String, Object> normalize(String type, Map<String, Object> fields) {
        Map<String, String> schema = fields(type);
        if (type.equals(EVENT_LOG_ENTRY)) {
            throw new IllegalArgumentException("EventLogEntry rows are written by the server only");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            String dataType = schema.get(name);
            if (dataType == null || name.equals("created_at") || name.equals("updated_at")) {
                throw new IllegalArgumentException(type + " has no writable field '" + name + "' (fields: "
                        + schema.keySet() + ")");
            }
            Object value = field.getValue();
            if (dataType.equals("entity")) {
                value = value == null ? null : checkedLink(type, name, value);
            } else if (dataType.equals("multi_entity")) {
                List<Map<String, Object>> links = new ArrayList<>();
                for (Object item : value == null ? List.of() : (List<?>) value) {
                    links.add(checkedLink(type, name, item));
                }
                value = links;
            } else if (value instanceof Long number && number == number.intValue()) {
                value = number.intValue();
            }
            values.put(name, value);
        }
        return values;
    }

    private Map<String, Object> checkedLink(String type, String field, Object value) {
        if (!(value instanceof Map<?, ?> link) || !(link.get("type") instanceof String target)
                || !(link.get("id") instanceof Number id)) {
            throw new IllegalArgumentException(type + "." + field + " takes a link {\"type\": ..., \"id\": ...}, not "
                    + value);
        }
        if (!rows.containsKey(target) || !rows.get(target).containsKey(id.intValue())) {
            throw new IllegalArgumentException(type + "." + field + ": " + target + " " + id + " does not exist");
        }
        return link(target, id.intValue());
    }

    private void checkUser(Map<String, Object> user) {
        if (user == null) {
            return;
        }
        Object type = user.get("type");
        if (!HUMAN_USER.equals(type) && !API_USER.equals(type)) {
            throw new IllegalArgumentException("changes are made by a HumanUser or an ApiUser, not " + user);
        }
        checkedLink("EventLogEntry", "user", user);
    }

    /** Scripts log only with {@code generate_event_log_entries} on (a site's default is off). */
    private boolean logs(Map<String, Object> user) {
        if (user == null || !API_USER.equals(user.get("type"))) {
            return true;
        }
        Map<String, Object> apiUser = rows.get(API_USER).get(((Number) user.get("id")).intValue());
        return Boolean.TRUE.equals(apiUser.get("generate_event_log_entries"));
    }

    @SuppressWarnings("unchecked")
    private int logChange(String type, Map<String, Object> row, String field, Object old, Object value,
                          boolean inCreate, Map<String, Object> byUser, long commitDelayMillis) {
        String dataType = field.equals("retirement_date") ? "date_time" : fields(type).get(field);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("type", "attribute_change");
        meta.put("attribute_name", field);
        meta.put("entity_type", type);
        meta.put("entity_id", row.get("id"));
        meta.put("field_data_type", dataType);
        if (inCreate) {
            meta.put("in_create", true);
        }
        if (dataType.equals("multi_entity")) {
            List<Object> before = old == null ? List.of() : (List<Object>) old;
            List<Object> after = value == null ? List.of() : (List<Object>) value;
            meta.put("added", linksOut(minus(after, before)));
            meta.put("removed", linksOut(minus(before, after)));
        } else if (dataType.equals("entity")) {
            meta.put("old_value", linkOut(old));
            meta.put("new_value", linkOut(value));
        } else {
            meta.put("old_value", old);
            meta.put("new_value", value);
        }
        String description = userName(byUser) + " changed \"" + field + "\" from \"" + describe(old) + "\" to \""
                + describe(value) + "\" on " + type + " " + displayName(type, row);
        return log(type, row, "Shotgun_" + type + "_Change", field, meta, byUser, description, commitDelayMillis);
    }

    private int log(String type, Map<String, Object> row, String eventType, String attributeName,
                    Map<String, Object> meta, Map<String, Object> byUser, String description, long commitDelayMillis) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", ++lastEventId);
        event.put("event_type", eventType);
        event.put("attribute_name", attributeName);
        event.put("meta", meta);
        event.put("description", description);
        event.put("created_at", now());
        // the web UI stamps a session; scripts (and the server itself) do not
        event.put("session_uuid", byUser != null && HUMAN_USER.equals(byUser.get("type"))
                ? sessions.computeIfAbsent(((Number) byUser.get("id")).intValue(), u -> UUID.randomUUID().toString())
                : null);
        event.put("entity", link(type, (Integer) row.get("id")));
        // Project events carry their project in entity, not in project
        event.put("project", type.equals(PROJECT) ? null : row.get("project"));
        event.put("user", byUser == null ? null : link((String) byUser.get("type"), ((Number) byUser.get("id")).intValue()));
        Event record = new Event(event);
        record.held = holding;
        record.visibleAtMillis = commitDelayMillis > 0 ? System.currentTimeMillis() + commitDelayMillis : 0;
        events.add(record);
        return lastEventId;
    }

    private List<Map<String, Object>> linksOut(List<Object> links) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object link : links) {
            out.add(linkOut(link));
        }
        return out;
    }

    private static List<Object> minus(List<Object> from, List<Object> remove) {
        Set<Object> result = new LinkedHashSet<>(from);
        result.removeAll(remove);
        return new ArrayList<>(result);
    }

    private String describe(Object value) {
        if (value instanceof Map<?, ?> link) {
            Map<String, Object> out = linkOut(link);
            return out.get("type") + " " + out.get("name");
        }
        return String.valueOf(value);
    }

    private String userName(Map<String, Object> user) {
        if (user == null) {
            return "Shotgun Support";
        }
        String type = (String) user.get("type");
        return displayName(type, rows.get(type).get(((Number) user.get("id")).intValue()));
    }

    static String displayName(String type, Map<String, Object> row) {
        switch (type) {
            case PROJECT:
            case HUMAN_USER:
                return (String) row.get("name");
            case TASK:
                return (String) row.get("content");
            case API_USER:
                return row.get("lastname") == null ? (String) row.get("firstname")
                        : row.get("firstname") + " " + row.get("lastname");
            case EVENT_LOG_ENTRY:
                return "Event Log Entry " + row.get("id");
            default:
                return (String) row.get("code");
        }
    }

    private static String now() {
        return DATE_TIME.format(Instant.now());
    }
}
