package io.avalonsync.shotgrid;

import java.io.IOException;
import java.io.InputStream;

import org.apache.camel.Exchange;

/**
 * Route steps of the EventLogEntry poll ({@code shotgrid-events-catch-up}): each page is asked for from the
 * stored low-water state ({@link ShotGridEventCursor#request()}), and its new events are journaled before the
 * state moves ({@link ShotGridEventCursor#journal}). A full page asks again at once (up to
 * {@link #MAX_PAGES} pages per poll, so a large backlog does not starve the processor).
 */
public final class ShotGridLeecher {

    public static final String MORE = "shotgridEventsMore";
    static final int MAX_PAGES = 20;
    private static final String SEARCH = "shotgridEventSearch";
    private static final String PAGES = "shotgridEventPages";

    private final ShotGridEventCursor cursor;
    private final ShotGridSteps projects;
    private final ShotGridSession session;

    public ShotGridLeecher(ShotGridEventCursor cursor, ShotGridSteps projects, ShotGridSession session) {
        this.cursor = cursor;
        this.projects = projects;
        this.session = session;
    }

    /** Starts a poll. */
    public void begin(Exchange exchange) {
        exchange.setProperty(MORE, true);
        exchange.setProperty(PAGES, 0);
    }

    /** Body: the next page's search; Content-Type and the path as for {@code direct:shotgrid-search}. */
    public void request(Exchange exchange) {
        ShotGridSearch search = cursor.request();
        exchange.setProperty(SEARCH, search);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, search.contentType());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.setProperty(ShotGridSteps.PATH, search.path());
        exchange.getMessage().setBody(search.json());
    }

    /** The page read: journaled, then the state moved; another page when this one was full. */
    public ShotGridEventCursor.Result page(Exchange exchange) throws IOException {
        ShotGridSearch search = exchange.getProperty(SEARCH, ShotGridSearch.class);
        boolean firstStart = cursor.state() == null;
        ShotGridPage page;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            page = ShotGridPage.read(in, search.size(), search.toString());
        }
        ShotGridEventCursor.Result result = cursor.journal(page.records(), projects.wanted(), session.apiUserId());
        int pages = exchange.getProperty(PAGES, 0, Integer.class) + 1;
        exchange.setProperty(PAGES, pages);
        exchange.setProperty(MORE, !firstStart && page.records().size() >= search.size() && pages < MAX_PAGES);
        exchange.getMessage().setBody(result.events().size());
        return result;
    }
}
