package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.avalonsync.journal.EventJournal;
import org.apache.camel.Exchange;
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
 * The socket's live events carry no event id, so they are treated as a doorbell: each one (and every
 * (re)connect, and a periodic poll) triggers a catch-up, and only events from the log are journaled.
 */
public final class KitsuEventCursor {

    public static final String CURSOR = "kitsu:events";
    static final int PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(KitsuEventCursor.class);
    private static final DateTimeFormatter ZOU_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final EventJournal journal;

    public KitsuEventCursor(EventJournal journal) {
        this.journal = journal;
    }

    /** Query of the first page; with no cursor yet, only the newest event is asked for, to start there. */
    public void request(Exchange exchange) {
        Document cursor = journal.cursor(CURSOR);
        exchange.setProperty("kitsuEvents", new ArrayList<Map<String, Object>>());
        exchange.setProperty("kitsuEventsMore", true);
        exchange.getMessage().setBody(null);
        exchange.getMessage().removeHeaders("*");
        if (cursor == null) {
            // first start: the newest page tells where the log stands; what came before is the full sync's
            exchange.setProperty("kitsuEventsStart", true);
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "limit=" + PAGE);
            return;
        }
        exchange.setProperty("kitsuEventsCursor", cursor);
        String after = LocalDateTime.parse(cursor.getString("createdAt"), ZOU_TIME).minusSeconds(1).format(ZOU_TIME);
        exchange.setProperty("kitsuEventsAfter", after);
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "after=" + after + "&limit=" + PAGE);
    }

    /** One page of the log; asks for the next (older) page while pages come back full. */
    @SuppressWarnings("unchecked")
    public void page(Exchange exchange) {
        List<Map<String, Object>> page;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            page = KitsuSnapshot.readList(in, null);
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the event log: " + e.getMessage(), e);
        }
        List<Map<String, Object>> events = exchange.getProperty("kitsuEvents", List.class);
        events.addAll(page);
        boolean more = page.size() >= PAGE && !exchange.getProperty("kitsuEventsStart", false, Boolean.class);
        exchange.setProperty("kitsuEventsMore", more);
        if (more) {
            Object oldest = page.get(page.size() - 1).get("id");
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "after=" + exchange.getProperty("kitsuEventsAfter")
                    + "&limit=" + PAGE + "&cursor_event_id=" + oldest);
        }
        exchange.getMessage().setBody(null);
    }

    /** The cursor after these events: the newest second and every id seen in it. */
    private static Document cursorAt(String newestTime, List<Map<String, Object>> events, List<String> earlierIds) {
        List<String> ids = new ArrayList<>(earlierIds);
        for (Map<String, Object> event : events) {
            String id = String.valueOf(event.get("id"));
            if (newestTime.equals(String.valueOf(event.get("created_at"))) && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return new Document("createdAt", newestTime).append("ids", ids);
    }

    /** Journals the events oldest first, then moves the cursor; body: how many were new. */
    @SuppressWarnings("unchecked")
    public int journal(Exchange exchange) {
        List<Map<String, Object>> events = new ArrayList<>(exchange.getProperty("kitsuEvents", List.class));
        if (events.isEmpty()) {
            return 0;
        }
        Collections.reverse(events);
        Map<String, Object> newest = events.get(events.size() - 1);
        String newestTime = String.valueOf(newest.get("created_at"));
        if (exchange.getProperty("kitsuEventsStart", false, Boolean.class)) {
            // the events of this page count as seen; later events of the same second are new. Only when the page
            // is full of that one second (a bulk import) can its other events not be told apart: then the whole
            // second counts as seen, until the log moves on to the next second
            Document start = cursorAt(newestTime, events, List.of());
            boolean bulk = events.size() >= PAGE
                    && events.stream().allMatch(e -> newestTime.equals(String.valueOf(e.get("created_at"))));
            journal.moveCursor(CURSOR, bulk ? start.append("wholeSecond", true) : start);
            LOG.info("kitsu events: starting from the event log's newest event ({}); older changes are the full sync's",
                    newestTime);
            return 0;
        }
        Document cursor = exchange.getProperty("kitsuEventsCursor", Document.class);
        String seenTime = cursor.getString("createdAt");
        List<String> seenIds = cursor.getList("ids", String.class, List.of());
        boolean wholeSecond = cursor.getBoolean("wholeSecond", false);
        List<Map<String, Object>> unseen = events.stream()
                .filter(e -> String.valueOf(e.get("created_at")).compareTo(seenTime) > 0
                        || String.valueOf(e.get("created_at")).equals(seenTime) && !wholeSecond
                        && !seenIds.contains(String.valueOf(e.get("id"))))
                .toList();
        if (unseen.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> relevant = unseen.stream().filter(e -> KitsuEvents.relevant((String) e.get("name"))).toList();
        int added = journal.append("kitsu", relevant);
        Document moved = cursorAt(newestTime, events, newestTime.equals(seenTime) ? seenIds : List.of());
        if (wholeSecond && newestTime.equals(seenTime)) {
            moved.append("wholeSecond", true);
        }
        journal.moveCursor(CURSOR, moved);
        if (added > 0) {
            LOG.info("kitsu events: {} new events journaled (up to {})", added, newest.get("created_at"));
        }
        return added;
    }
}
