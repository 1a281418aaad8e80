package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where one paged {@code _search} of {@code direct:shotgrid-search} stands (property {@code shotgridPages}): the
 * search of the next page, whether there is one, and the records read so far. Pages are asked for by re-posting
 * the same body with the next page number (docs/shotgrid-api.md, Paging).
 */
public final class ShotGridPages {

    private ShotGridSearch next;
    private boolean more = true;
    private final List<Map<String, Object>> records = new ArrayList<>();

    ShotGridPages(ShotGridSearch first) {
        this.next = first;
    }

    /** The search of the page to read next. */
    public ShotGridSearch getNext() {
        return next;
    }

    /** Whether another page is to be read. */
    public boolean isMore() {
        return more;
    }

    /** Every record of the pages read. */
    public List<Map<String, Object>> getRecords() {
        return records;
    }

    /** The answer to {@link #getNext()}: its records kept, the following page asked for when this one was full. */
    void add(ShotGridPage page) {
        records.addAll(page.records());
        more = page.hasNext();
        if (more) {
            next = next.next();
        }
    }
}
