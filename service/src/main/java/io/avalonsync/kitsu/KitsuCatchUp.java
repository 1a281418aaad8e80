package io.avalonsync.kitsu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * One catch-up from Kitsu's event log (exchange property {@value #PROPERTY}): where the cursor stood, the query of
 * the next page, the events read so far (newest first) and whether another page is wanted.
 */
public final class KitsuCatchUp {

    public static final String PROPERTY = "kitsuCatchUp";

    /** The stored cursor; null when this catch-up places the first one. */
    private final Document cursor;
    /** {@code created_at} the log is asked after (the cursor's second minus one), or null. */
    private final String after;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private String query;
    private boolean more = true;
    private boolean started;

    KitsuCatchUp(Document cursor, String after, String query) {
        this.cursor = cursor;
        this.after = after;
        this.query = query;
    }

    /** Whether the route reads another page. */
    public boolean isMore() {
        return more;
    }

    /** The query string of the next page's request. */
    public String getQuery() {
        return query;
    }

    /** True once this catch-up placed the first cursor: a full sync already running may have missed events. */
    public boolean isStarted() {
        return started;
    }

    /** Whether this catch-up places the first cursor (no cursor was stored). */
    boolean placesFirstCursor() {
        return cursor == null;
    }

    Document cursor() {
        return cursor;
    }

    String after() {
        return after;
    }

    List<Map<String, Object>> events() {
        return events;
    }

    void next(String query) {
        this.query = query;
    }

    // the setters are named unlike the getters: a route's ${exchangeProperty.kitsuCatchUp.more} would call more(..)
    void wantsMore(boolean more) {
        this.more = more;
    }

    void placedFirstCursor() {
        started = true;
    }
}
