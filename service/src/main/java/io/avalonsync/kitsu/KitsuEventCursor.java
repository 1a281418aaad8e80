package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.journal.EventJournal;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catch-up from Kitsu's event log ({@code GET /data/events/last}, newest first, second precision). The
 * cursor is the {@code created_at} of the newest journaled event and the ids seen in that second; each
 * catch-up asks for everything after that second minus one (Zou truncates to seconds), pages backwards
 * while pages are full, drops what the cursor has seen, and journals the rest oldest first before it
 * moves the cursor. An event journaled twice anyway is a no-op.
 * <p>
 * The first catch-up places the cursor, and it does so by the log's own events, never by a clock (the
 * tracker's clock may be ahead of or behind this service's): at the newest event and every id of its second
 * (all of them, paging back through a bulk import), or, when the log is empty, as "empty", after which every
 * event the log shows is new. Whatever happened before that is the full sync's, so a full sync must start
 * after the cursor is placed: the start-up sync places it first, and a cursor placed later asks for one.
 * <p>
 * The socket's live events carry no event id, so they are treated as a doorbell: each one (and every
 * (re)connect, and a periodic poll) triggers a catch-up, and only events from the log are journaled.
 */
public final class KitsuEventCursor {

    public static final String CURSOR = "kitsu:events";
    static final int PAGE = 1000;
    /** Ids of one second kept at most: past that (a huge bulk import) the whole second counts as seen. */
    static final int MAX_SECOND_IDS = 50 * PAGE;
    private static final Logger LOG = LoggerFactory.getLogger(KitsuEventCursor.class);
    private static final DateTimeFormatter ZOU_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final EventJournal journal;

    public KitsuEventCursor(EventJournal journal) {
        this.journal = journal;
    }

    /** A catch-up from the stored cursor; with no cursor yet, it asks for the newest page, to start there. */
    public KitsuCatchUp request() {
        Document cursor = journal.cursor(CURSOR);
        if (cursor == null) {
            // first start: the newest page tells where the log stands; what came before is the full sync's
            return new KitsuCatchUp(null, null, "limit=" + PAGE);
        }
        if (cursor.getString("createdAt") == null) {
            // placed on an empty log: everything the log shows came after
            return new KitsuCatchUp(cursor, null, "limit=" + PAGE);
        }
        String after = LocalDateTime.parse(cursor.getString("createdAt"), ZOU_TIME).minusSeconds(1).format(ZOU_TIME);
        return new KitsuCatchUp(cursor, after, "after=" + after + "&limit=" + PAGE);
    }

    /**
     * One page of the log; asks for the next (older) page while pages come back full. When placing the first
     * cursor, only while the page is all of the newest second: its every id must be known.
     */
    public void page(@Body InputStream body, @ExchangeProperty(KitsuCatchUp.PROPERTY) KitsuCatchUp catchUp) {
        List<Map<String, Object>> page;
        try (InputStream in = body) {
            page = KitsuSnapshot.readList(in, null);
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the event log: " + e.getMessage(), e);
        }
        List<Map<String, Object>> events = catchUp.events();
        events.addAll(page);
        boolean more = page.size() >= PAGE;
        if (more && catchUp.placesFirstCursor()) {
            String newest = String.valueOf(events.get(0).get("created_at"));
            more = newest.equals(String.valueOf(page.get(page.size() - 1).get("created_at")))
                    && events.size() < MAX_SECOND_IDS;
        }
        catchUp.wantsMore(more);
        if (more) {
            Object oldest = page.get(page.size() - 1).get("id");
            String after = catchUp.after();
            catchUp.next((after == null ? "" : "after=" + after + "&") + "limit=" + PAGE + "&cursor_event_id=" + oldest);
        }
    }

    /** The cursor after these events: the newest second and every id seen in it. */
    private static Document cursorAt(String newestTime, List<Map<String, Object>> events, List<String> earlierIds) {
        List<String> ids = new ArrayList<>(earlierIds);
        Set<String> known = new HashSet<>(earlierIds);
        for (Map<String, Object> event : events) {
            String id = String.valueOf(event.get("id"));
            if (newestTime.equals(String.valueOf(event.get("created_at"))) && known.add(id)) {
                ids.add(id);
            }
        }
        return new Document("createdAt", newestTime).append("ids", ids);
    }

    /** Journals the events oldest first, then moves the cursor; returns how many were new. */
    public int journal(@ExchangeProperty(KitsuCatchUp.PROPERTY) KitsuCatchUp catchUp) {
        List<Map<String, Object>> events = new ArrayList<>(catchUp.events());
        if (catchUp.placesFirstCursor()) {
            return start(catchUp, events);
        }
        if (events.isEmpty()) {
            return 0;
        }
        Collections.reverse(events);
        Map<String, Object> newest = events.get(events.size() - 1);
        String newestTime = String.valueOf(newest.get("created_at"));
        Document cursor = catchUp.cursor();
        String seenTime = cursor.getString("createdAt");
        Set<String> seenIds = new HashSet<>(cursor.getList("ids", String.class, List.of()));
        boolean wholeSecond = cursor.getBoolean("wholeSecond", false);
        List<Map<String, Object>> unseen = seenTime == null ? events : events.stream()
                .filter(e -> String.valueOf(e.get("created_at")).compareTo(seenTime) > 0
                        || String.valueOf(e.get("created_at")).equals(seenTime) && !wholeSecond
                        && !seenIds.contains(String.valueOf(e.get("id"))))
                .toList();
        if (unseen.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> relevant = unseen.stream().filter(e -> KitsuEvents.relevant((String) e.get("name"))).toList();
        int added = journal.append("kitsu", relevant);
        boolean sameSecond = newestTime.equals(seenTime);
        Document moved = cursorAt(newestTime, events, sameSecond ? cursor.getList("ids", String.class, List.of()) : List.of());
        if (wholeSecond && sameSecond) {
            moved.append("wholeSecond", true);
        }
        journal.moveCursor(CURSOR, moved);
        if (added > 0) {
            LOG.info("kitsu events: {} new events journaled (up to {})", added, newest.get("created_at"));
        }
        return added;
    }

    /** The first cursor: at the newest event and every id of its second, or "empty" on an empty log. */
    private int start(KitsuCatchUp catchUp, List<Map<String, Object>> newestFirst) {
        catchUp.placedFirstCursor();
        if (newestFirst.isEmpty()) {
            journal.moveCursor(CURSOR, new Document("createdAt", null).append("ids", List.of()));
            LOG.info("kitsu events: the event log is empty; every event it shows from now on is new, what came before "
                    + "is the full sync's");
            return 0;
        }
        String newestTime = String.valueOf(newestFirst.get(0).get("created_at"));
        Document start = cursorAt(newestTime, newestFirst, List.of());
        boolean allOneSecond = newestTime.equals(String.valueOf(newestFirst.get(newestFirst.size() - 1).get("created_at")));
        if (allOneSecond && newestFirst.size() >= MAX_SECOND_IDS) {
            // too many to keep: the rest of that second counts as seen, and the next second starts afresh
            start.append("wholeSecond", true);
            LOG.warn("kitsu events: the event log's newest second ({}) holds more than {} events; events logged later "
                    + "in that same second are left to the full sync", newestTime, MAX_SECOND_IDS);
        }
        journal.moveCursor(CURSOR, start);
        LOG.info("kitsu events: starting from the event log's newest event ({}); older changes are the full sync's",
                newestTime);
        return 0;
    }
}
