package io.avalonsync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Zou's {@code api_event} table as {@link KitsuData} keeps it: every change, in the order it happened,
 * plus the listeners that hear about each one (the simulator's Socket.IO stream is one of them).
 * <p>
 * Entries are compact (a generated production records one per task), and the map callers see is built on
 * demand. {@code created_at} is kept to the microsecond, as in Zou's database, and shown truncated to the
 * second, as Zou serialises it: so {@code after=12:00:00} still matches an event at 12:00:00.4.
 */
final class ZouEventLog {

    /** Query of {@code GET /api/data/events/last}; null fields do not filter. Times are epoch microseconds. */
    record Filter(Long afterMicros, Long beforeMicros, String projectId, String name, String cursorEventId,
                  int limit) {
    }

    /** One stored event; {@code data} is a read-only record whose key arrays are shared. */
    private record Entry(int position, UUID id, long createdMicros, String createdAt, String name, String userId,
                         String projectId, Object data) {
    }

    // newest first as Zou's "ORDER BY created_at DESC"; the log position settles events of one instant
    private static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::createdMicros)
            .thenComparingInt(Entry::position).reversed();

    private final List<Entry> entries = new ArrayList<>();
    // positions keep counting after old events are removed
    private int recorded;
    private final Map<List<String>, String[]> shapes = new HashMap<>();
    // one String per event name, however many events carry it
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();
    // recorded but not yet handed to the listeners: delivery happens once the data lock is released
    private final Queue<Entry> undelivered = new ConcurrentLinkedQueue<>();
    private final Object deliveryLock = new Object();

    /** The event name Zou derives from a table: {@code AssetType} + {@code new} is {@code asset-type:new}. */
    static String eventName(String recordType, String action) {
        return words(recordType, '-') + ":" + action;
    }

    /** The payload key naming the changed row: {@code AssetType} gives {@code asset_type_id}. */
    static String idKey(String recordType) {
        return words(recordType, '_') + "_id";
    }

    /**
     * The payload Zou emits for a change of {@code record}: the row id, and for a few events what a listener
     * needs without fetching ({@code project_id} is added by {@link #record}, as Zou's {@code emit} does).
     */
    static Map<String, Object> changePayload(Map<String, Object> record, String action, Object shotEpisodeId) {
        String type = (String) record.get("type");
        Map<String, Object> payload = new LinkedHashMap<>(8);
        payload.put(idKey(type), record.get("id"));
        if ("new".equals(action) && KitsuData.ASSET.equals(type)) {
            payload.put("asset_type", record.get("entity_type_id"));
        } else if ("new".equals(action) && KitsuData.SHOT.equals(type)) {
            payload.put("episode_id", shotEpisodeId);
        } else if ("delete".equals(action) && KitsuData.TASK.equals(type)) {
            // the task can no longer be fetched, so the event says where it was
            payload.put("entity_id", record.get("entity_id"));
            payload.put("task_type_id", record.get("task_type_id"));
        }
        return payload;
    }

    /**
     * Appends an event. As Zou's {@code emit}, a project id also lands in the payload. The caller holds the
     * data lock, which keeps the log in the order the changes were made.
     */
    synchronized Map<String, Object> record(String name, Map<String, Object> data, String projectId, String userId,
                                            Instant created, String createdAt) {
        Map<String, Object> payload = data == null ? new LinkedHashMap<>() : KitsuData.copyOf(data);
        if (projectId != null) {
            payload.put("project_id", projectId);
        }
        return add(name, FrozenRecord.of(payload, shapes), projectId, userId, created, createdAt);
    }

    /**
     * Appends an event whose data is stored as given, object or not: Zou keeps {@code data} as JSON, and a
     * Zou-like server (or a bug) can log a list, a string or null there.
     */
    synchronized Map<String, Object> recordRaw(String name, Object data, String projectId, String userId,
                                               Instant created, String createdAt) {
        return add(name, data, projectId, userId, created, createdAt);
    }

    private Map<String, Object> add(String name, Object data, String projectId, String userId, Instant created,
                                    String createdAt) {
        long createdMicros = created.getEpochSecond() * 1_000_000L + created.getNano() / 1_000;
        Entry entry = new Entry(recorded++, randomUuid(), createdMicros, createdAt,
                name == null ? null : names.computeIfAbsent(name, n -> n), userId, projectId, data);
        entries.add(entry);
        if (!listeners.isEmpty()) {
            undelivered.add(entry);
        }
        return view(entry);
    }

    /** Zou's {@code remove-old-data}: deletes the events created before {@code before}; returns how many went. */
    synchronized int removeBefore(Instant before) {
        long micros = before.getEpochSecond() * 1_000_000L + before.getNano() / 1_000;
        int size = entries.size();
        entries.removeIf(e -> e.createdMicros() < micros);
        return size - entries.size();
    }

    /** Copies of every event, oldest first. */
    synchronized List<Map<String, Object>> all() {
        List<Map<String, Object>> copies = new ArrayList<>(entries.size());
        entries.forEach(e -> copies.add(view(e)));
        return copies;
    }

    synchronized int size() {
        return entries.size();
    }

    /** What {@code /data/events/last} answers, newest first; null when the cursor event is unknown. */
    List<Map<String, Object>> last(Filter filter) {
        List<Entry> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(entries);
        }
        Entry cursor = null;
        if (filter.cursorEventId() != null) {
            cursor = find(snapshot, filter.cursorEventId());
            if (cursor == null) {
                return null;
            }
        }
        List<Entry> matching = new ArrayList<>();
        for (Entry entry : snapshot) {
            if (matches(entry, filter) && (cursor == null || NEWEST_FIRST.compare(entry, cursor) > 0)) {
                matching.add(entry);
            }
        }
        // the log is written in time order, so this is a reversal unless a test clock went backwards
        matching.sort(NEWEST_FIRST);
        List<Map<String, Object>> page = new ArrayList<>(Math.min(filter.limit(), matching.size()));
        for (int i = 0; i < matching.size() && i < filter.limit(); i++) {
            page.add(view(matching.get(i)));
        }
        return page;
    }

    void addListener(Consumer<Map<String, Object>> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<Map<String, Object>> listener) {
        listeners.remove(listener);
    }

    /**
     * Hands every recorded event to the listeners, in log order, each listener its own copy. Called without
     * the data lock; the delivery lock keeps two mutating threads from delivering out of order.
     */
    void deliver() {
        if (undelivered.isEmpty()) {
            return;
        }
        synchronized (deliveryLock) {
            Entry entry;
            while ((entry = undelivered.poll()) != null) {
                for (Consumer<Map<String, Object>> listener : listeners) {
                    try {
                        listener.accept(view(entry));
                    } catch (RuntimeException e) {
                        // the change is stored already: one failing listener must not hide it from the others
                    }
                }
            }
        }
    }

    private static boolean matches(Entry entry, Filter filter) {
        return (filter.afterMicros() == null || entry.createdMicros() > filter.afterMicros())
                && (filter.beforeMicros() == null || entry.createdMicros() < filter.beforeMicros())
                && (filter.projectId() == null || filter.projectId().equals(entry.projectId()))
                && (filter.name() == null || filter.name().equals(entry.name()));
    }

    private static Entry find(List<Entry> snapshot, String id) {
        UUID wanted;
        try {
            wanted = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // a catch-up pages from the newest end, so its cursors are near the end of the log
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            if (snapshot.get(i).id().equals(wanted)) {
                return snapshot.get(i);
            }
        }
        return null;
    }

    /** The event as Zou serialises an ApiEvent row. */
    private static Map<String, Object> view(Entry entry) {
        Map<String, Object> event = new LinkedHashMap<>(8);
        event.put("id", entry.id().toString());
        event.put("created_at", entry.createdAt());
        event.put("name", entry.name());
        event.put("user_id", entry.userId());
        event.put("project_id", entry.projectId());
        event.put("data", FrozenRecord.thawValue(entry.data()));
        return event;
    }

    /** Version-4 UUIDs without SecureRandom: event ids only need to be unique, and there are many. */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** {@code TaskStatus} to {@code task-status} or {@code task_status}. */
    private static String words(String recordType, char separator) {
        StringBuilder words = new StringBuilder(recordType.length() + 4);
        for (int i = 0; i < recordType.length(); i++) {
            char c = recordType.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                words.append(separator);
            }
            words.append(Character.toLowerCase(c));
        }
        return words.toString();
    }
}
