package io.avalonsync.shotgrid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.journal.EventJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EventLogEntry leecher's logic (README, ShotGrid: the event-log leecher). ShotGrid reserves event ids ahead and
 * commits them late, so an {@code id > last} cursor loses events. Instead the poll reads every event (not
 * filtered by project or type, so a missing id means something) above {@code head} plus the ids of the open
 * gaps; each page goes through {@link #accept}: ids already settled are dropped, a new head opens a gap for
 * the ids it skipped, an id inside a gap closes it and is new. A gap still open {@code shotgrid.gap-timeout}
 * after it was first seen is given up (one log line naming its ids), so the low-water mark moves on.
 * <p>
 * New events are journaled ({@code EventJournal.append("shotgrid", ...)}) <b>before</b> the state moves, so a
 * crash in between re-reads and re-journals them (a no-op). Not journaled but counted as seen: the script's
 * own events, {@code in_create} field changes (the {@code _New} event covers the create), event types this
 * service does not sync, projects not wanted, and malformed entries (logged with their id).
 * <p>
 * First start (no state): the poll asks for the newest event only and starts there; older changes are the full
 * sync's.
 */
public final class ShotGridEventCursor {

    public static final String CURSOR = "shotgrid:events";
    public static final String SOURCE = "shotgrid";
    /** Entity types whose events are journaled. */
    public static final Set<String> TYPES = Set.of("Project", "Asset", "Episode", "Sequence", "Shot", "Task", "Step");
    public static final Set<String> ACTIONS = Set.of("New", "Change", "Retirement", "Revival");
    /** Gap ranges asked for by id in one poll (the oldest first); later ones wait their turn or time out. */
    static final int QUERY_GAPS = 100;
    /** Open gap ranges kept at most; beyond, the oldest are given up, so the state stays bounded. */
    static final int MAX_GAPS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridEventCursor.class);

    private final EventJournal journal;
    private final String scriptName;
    private final String syncField;
    private final Duration gapTimeout;
    private final Clock clock;

    /** What one page did. */
    public record Result(List<Map<String, Object>> events, int duplicates, int skipped, List<String> malformed,
            List<ShotGridEventState.Gap> givenUp, ShotGridEventState state) {
    }

    /**
     * @param scriptName shotgrid.script-name: events of its ApiUser are our own
     * @param syncField  shotgrid.sync-field: a change of it on a project is kept even for a project not wanted yet
     *                   (it may just have been switched on)
     */
    public ShotGridEventCursor(EventJournal journal, String scriptName, String syncField, Duration gapTimeout, Clock clock) {
        this.journal = journal;
        this.scriptName = scriptName;
        this.syncField = syncField == null || syncField.isBlank() ? null : syncField;
        this.gapTimeout = gapTimeout;
        this.clock = clock;
    }

    /** The stored state, or null before the first poll. */
    public ShotGridEventState state() {
        return ShotGridEventState.of(journal.cursor(CURSOR));
    }

    /** The next poll's search. */
    public ShotGridSearch request() {
        return request(state());
    }

    public static ShotGridSearch request(ShotGridEventState state) {
        ShotGridSearch search = ShotGridSearch.of("EventLogEntry");
        if (state == null) {
            return search.sort("-id").size(1); // where the log stands now
        }
        List<ShotGridEventState.Gap> gaps = state.gaps();
        if (gaps.isEmpty()) {
            return search.where("id", "greater_than", state.head());
        }
        List<List<Object>> any = new ArrayList<>();
        any.add(List.of("id", "greater_than", state.head()));
        gaps.stream().limit(QUERY_GAPS).forEach(g -> any.add(g.from() == g.to()
                ? List.of("id", "is", g.from()) : List.of("id", "between", List.of(g.from(), g.to()))));
        return search.whereAny(any);
    }

    /**
     * Journals one page of a poll and moves the stored state; returns what it did.
     *
     * @param wantedProjects ids of the projects to sync (as strings), null for every project
     * @param ownUserId      the script's ApiUser id when known (from the token), else recognised by name
     */
    public Result journal(List<Map<String, Object>> page, Set<String> wantedProjects, Integer ownUserId) {
        Result result = accept(state(), page, wantedProjects, ownUserId);
        int added = journal.append(SOURCE, result.events());
        journal.moveCursor(CURSOR, result.state().toDocument());
        if (added > 0) {
            LOG.info("shotgrid events: {} journaled ({})", added, result.state());
        }
        return result;
    }

    /** The decision for one page, without side effects beyond logging; {@code state} is updated in place. */
    public Result accept(ShotGridEventState state, List<Map<String, Object>> page, Set<String> wantedProjects,
            Integer ownUserId) {
        Instant now = clock.instant();
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        int duplicates = 0;
        int skipped = 0;
        List<Map<String, Object>> sorted = new ArrayList<>();
        for (Map<String, Object> entry : page) {
            if (eventId(entry) == null) {
                String problem = "shotgrid event without a numeric id skipped: "
                        + ShotGridResponseException.abbreviate(String.valueOf(entry));
                LOG.error(problem);
                malformed.add(problem);
            } else {
                sorted.add(entry);
            }
        }
        sorted.sort(Comparator.comparingLong(ShotGridEventCursor::eventId));
        if (state == null) {
            // first start: the newest event is where the log stands; nothing before it is journaled
            long newest = sorted.isEmpty() ? 0 : eventId(sorted.get(sorted.size() - 1));
            state = new ShotGridEventState(newest);
            LOG.info("shotgrid events: starting after the event log's newest event {}; older changes are the full sync's",
                    newest);
            return new Result(List.of(), 0, sorted.size(), malformed, List.of(), state);
        }
        for (Map<String, Object> entry : sorted) {
            long id = eventId(entry);
            Instant created = createdAt(entry);
            if (!state.see(id, created == null || created.isAfter(now) ? now : created)) {
                duplicates++;
                continue;
            }
            try {
                Map<String, Object> event = toJournal(entry, wantedProjects, ownUserId);
                if (event == null) {
                    skipped++;
                } else {
                    events.add(event);
                }
            } catch (RuntimeException e) {
                String problem = "shotgrid event " + id + " is malformed and skipped: " + e.getMessage();
                LOG.error(problem);
                malformed.add(problem);
            }
        }
        List<ShotGridEventState.Gap> givenUp = giveUp(state, now);
        return new Result(events, duplicates, skipped, malformed, givenUp, state);
    }

    /** Gaps open longer than the timeout, and the oldest beyond {@link #MAX_GAPS}, are given up. */
    private List<ShotGridEventState.Gap> giveUp(ShotGridEventState state, Instant now) {
        List<ShotGridEventState.Gap> gaps = state.gaps();
        List<ShotGridEventState.Gap> givenUp = new ArrayList<>();
        int excess = gaps.size() - MAX_GAPS;
        for (ShotGridEventState.Gap gap : gaps) {
            if (excess-- > 0 || !gap.since().plus(gapTimeout).isAfter(now)) {
                state.drop(gap);
                givenUp.add(gap);
            }
        }
        if (!givenUp.isEmpty()) {
            LOG.warn("shotgrid events: gave up waiting for event ids {} (missing for {} s or more; never committed, or "
                    + "committed too late to be seen)", givenUp, gapTimeout.toSeconds());
        }
        return givenUp;
    }

    /** The journal entry of a new event, or null when it is not ours to sync. */
    Map<String, Object> toJournal(Map<String, Object> entry, Set<String> wantedProjects, Integer ownUserId) {
        String eventType = ShotGridValues.nonBlank(entry, "event_type");
        if (eventType == null) {
            throw new ShotGridResponseException("no event_type");
        }
        Object rawMeta = entry.get("meta");
        if (rawMeta != null && !(rawMeta instanceof Map)) {
            throw new ShotGridResponseException(eventType + " has a meta that is not an object: "
                    + ShotGridResponseException.abbreviate(String.valueOf(rawMeta)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = rawMeta == null ? Map.of() : (Map<String, Object>) rawMeta;
        String[] parts = eventType.split("_");
        if (parts.length != 3 || !parts[0].equals("Shotgun") || !TYPES.contains(parts[1]) || !ACTIONS.contains(parts[2])) {
            return null; // logins, views, other entity types
        }
        if (ownEvent(entry, ownUserId)) {
            return null;
        }
        if (parts[2].equals("Change") && ShotGridValues.flag(meta, "in_create")) {
            return null; // part of a create: the _New event re-reads the whole entity
        }
        // entity goes null once the target is deleted: meta keeps its type and id
        String entityType = ShotGridValues.nonBlank(meta, "entity_type");
        Integer entityId = ShotGridValues.integer(meta.get("entity_id"));
        Map<String, Object> entity = ShotGridValues.link(entry, "entity");
        if (entityType == null) {
            entityType = entity != null ? entity.get("type").toString() : parts[1];
        }
        if (entityId == null && entity != null) {
            entityId = ShotGridValues.integer(entity.get("id"));
        }
        if (entityId == null) {
            throw new ShotGridResponseException(eventType + " names no entity (neither meta.entity_id nor entity)");
        }
        String project;
        if ("Project".equals(entityType)) {
            project = String.valueOf(entityId); // project events carry the project in entity, not in project
        } else {
            Map<String, Object> link = ShotGridValues.link(entry, "project");
            project = link == null ? null : String.valueOf(ShotGridValues.integer(link.get("id")));
        }
        String attribute = ShotGridValues.nonBlank(entry, "attribute_name");
        if (attribute == null) {
            attribute = ShotGridValues.nonBlank(meta, "attribute_name");
        }
        boolean syncSwitch = "Project".equals(entityType) && syncField != null && syncField.equals(attribute);
        if (project == null && !"Step".equals(entityType)) {
            return null; // not tied to a project this service could sync
        }
        if (project != null && wantedProjects != null && !wantedProjects.contains(project) && !syncSwitch) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("entity_type", entityType);
        data.put("entity_id", entityId);
        data.put("action", parts[2]);
        data.put("attribute_name", attribute);
        data.put("meta_type", meta.get("type"));
        if (meta.get("display_name") != null) {
            data.put("display_name", meta.get("display_name"));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId(entry));
        event.put("name", eventType);
        event.put("project_id", project);
        event.put("created_at", entry.get("created_at"));
        event.put("data", data);
        return event;
    }

    /**
     * Made by this service's script: the user is an ApiUser with the token's user id or, when that is unknown,
     * named like the script (ApiUser names read {@code "<script> 1.0"}). Other scripts' changes are kept.
     */
    boolean ownEvent(Map<String, Object> entry, Integer ownUserId) {
        Map<String, Object> user = ShotGridValues.link(entry, "user");
        if (user == null || !"ApiUser".equals(user.get("type"))) {
            return false;
        }
        if (ownUserId != null) {
            return ownUserId.equals(ShotGridValues.integer(user.get("id")));
        }
        String name = user.get("name") == null ? "" : user.get("name").toString();
        return scriptName != null && (name.equals(scriptName) || name.startsWith(scriptName + " "));
    }

    private static Long eventId(Map<String, Object> entry) {
        Object id = entry.get("id");
        if (id instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() > 0) {
            return n.longValue();
        }
        if (id instanceof String s) {
            try {
                long value = Long.parseLong(s.trim());
                return value > 0 ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Instant createdAt(Map<String, Object> entry) {
        Object value = entry.get("created_at");
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null; // the gap is then timed from now
        }
    }
}
