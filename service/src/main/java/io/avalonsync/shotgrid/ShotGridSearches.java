package io.avalonsync.shotgrid;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import io.avalonsync.sync.ProjectPass;
import io.avalonsync.sync.Progress;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The steps of the ShotGrid read routes ({@code direct:shotgrid-search}, {@code direct:shotgrid-page},
 * {@code direct:shotgrid-fetch}): a search read page after page, one page's answer read as a stream, and the
 * records of a read handed to where they go. The request itself is a camel-http endpoint of those routes, so its
 * retries are the calling route's redelivery (routes/errors.camel.yaml).
 */
public final class ShotGridSearches {

    private final ShotGridFields fields;

    /** @param fields the field mapping: its fields are asked for too, whoever built the search */
    public ShotGridSearches(ShotGridFields fields) {
        this.fields = fields;
    }

    /** Property of {@code direct:shotgrid-search}: where its paging stands. */
    public static final String PAGES = "shotgridPages";
    /** Property of {@code direct:shotgrid-page}: the search whose page is being read. */
    public static final String PAGE_SEARCH = "shotgridPageSearch";
    /** Property of {@code direct:shotgrid-fetch}: the fetch whose records are being read. */
    public static final String FETCH = "shotgridFetch";

    /** A search starts at its first page; a full sync counts its rows (a search answer carries no total). */
    public ShotGridPages start(@Body ShotGridSearch search, @ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass) {
        Progress progress = pass == null ? null : pass.progress();
        if (search == null) {
            throw new IllegalArgumentException("direct:shotgrid-search needs a ShotGridSearch as its body");
        }
        if (progress != null) {
            progress.phase("read", search.type() + " rows", Progress.UNKNOWN, "entities");
        }
        // the mapped fields (shotgrid.fields.*) are asked for too; the next pages repeat the same search
        return new ShotGridPages(fields.widen(search));
    }

    /** One page read: its records kept, the next page asked for when this one was full. */
    public void add(@Body ShotGridPage page, @ExchangeProperty(PAGES) ShotGridPages pages,
            @ExchangeProperty(ProjectPass.PROPERTY) ProjectPass<?> pass) {
        Progress progress = pass == null ? null : pass.progress();
        pages.add(page);
        if (progress != null) {
            progress.advance(page.records().size());
        }
    }

    /** The answer to one page's request, read as a stream into flat records. */
    public ShotGridPage page(@Body InputStream answer, @ExchangeProperty(PAGE_SEARCH) ShotGridSearch search)
            throws IOException {
        try (InputStream in = answer) {
            return ShotGridPage.read(in, search.size(), search.toString());
        }
    }

    /**
     * An error answer: ShotGrid's error envelope (title, code, detail) becomes the failure's message, with the HTTP
     * failure as its cause, so the error handlers still decide on its status. An answer without the envelope
     * fails as it came.
     */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) HttpOperationFailedException failure)
            throws HttpOperationFailedException {
        ShotGridResponseException envelope = ShotGridResponseException.of(failure);
        if (envelope == null) {
            throw failure;
        }
        throw envelope;
    }

    /** Every record of a fetch's search, handed to where the fetch says they go. */
    public void found(@Body List<Map<String, Object>> records, @ExchangeProperty(FETCH) ShotGridFetch fetch) {
        fetch.found(records);
    }
}
