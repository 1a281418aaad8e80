package io.avalonsync.shotgrid;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The steps of the EventLogEntry poll ({@code shotgrid-events-catch-up}): each page is asked for from the stored
 * low-water state ({@link ShotGridEventCursor#request()}), and its new events are journaled before the state
 * moves ({@link ShotGridEventCursor#journal}). A full page asks again at once (up to {@link #MAX_PAGES} pages per
 * poll, so a large backlog does not starve the processor).
 */
public final class ShotGridLeecher {

    /** Property of {@code shotgrid-events-catch-up}: where the poll stands. */
    public static final String POLL = "shotgridPoll";
    static final int MAX_PAGES = 20;

    private final ShotGridEventCursor cursor;
    private final ShotGridProjects projects;
    private final ShotGridSession session;

    /** One poll: the pages read so far, the search of the last one, whether to read another. */
    public static final class Poll {
        private int pages;
        private boolean more = true;
        private ShotGridSearch search;

        public boolean isMore() {
            return more;
        }
    }

    public ShotGridLeecher(ShotGridEventCursor cursor, ShotGridProjects projects, ShotGridSession session) {
        this.cursor = cursor;
        this.projects = projects;
        this.session = session;
    }

    /** Starts a poll. */
    public Poll begin() {
        return new Poll();
    }

    /** The next page's search, from the stored state (the low-water mark and the open gaps). */
    public ShotGridSearch request(@ExchangeProperty(POLL) Poll poll) {
        poll.search = cursor.request();
        return poll.search;
    }

    /** The page read: journaled, then the state moved; another page when this one was full. */
    public ShotGridEventCursor.Result journal(@Body ShotGridPage page, @ExchangeProperty(POLL) Poll poll) {
        boolean firstStart = cursor.state() == null;
        ShotGridEventCursor.Result result = cursor.journal(page.records(), projects.wanted(), session.apiUserId());
        poll.pages++;
        poll.more = !firstStart && page.records().size() >= poll.search.size() && poll.pages < MAX_PAGES;
        return result;
    }
}
