package io.avalonsync.shotgrid;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.sync.Progress;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps of the ShotGrid routes that read: the paged {@code _search} loop of {@code direct:shotgrid-search}
 * (the request itself is a camel-http endpoint, so its retries are the route's redelivery), the choice of the
 * projects to sync, and the snapshot a project's full sync collects.
 * <p>
 * Projects to sync: with {@code shotgrid.sync-field} set, the projects whose checkbox is on; with it empty, every
 * project that is neither archived nor a template. The last answer is kept ({@link #wanted()}) for the event
 * leecher and processor, so a project switched off stops syncing at the next poll.
 */
public final class ShotGridSteps {

    public static final String SEARCH = "shotgridSearch";
    public static final String PAGE_SEARCH = "shotgridPageSearch";
    public static final String PATH = "shotgridPath";
    public static final String MORE = "shotgridMore";
    public static final String RECORDS = "shotgridRecords";
    public static final String PROJECT_ID = "shotgridProjectId";
    public static final String PROJECT_NAME = "shotgridProjectName";

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridSteps.class);

    private final String syncField;
    private final ShotGridFields fields;
    private volatile Set<String> wanted;

    /** @param syncField shotgrid.sync-field; blank = every active project */
    public ShotGridSteps(String syncField) {
        this(syncField, ShotGridFields.defaults());
    }

    /** @param fields the entity types and the field mapping to sync ({@code shotgrid.entity-types}, {@code shotgrid.fields.*}) */
    public ShotGridSteps(String syncField, ShotGridFields fields) {
        this.syncField = syncField == null || syncField.isBlank() ? null : syncField.strip();
        this.fields = fields;
    }

    public ShotGridFields fields() {
        return fields;
    }

    // ---- direct:shotgrid-search: property shotgridSearch in, body = every record of every page out ----------

    public void begin(Exchange exchange) {
        ShotGridSearch search = exchange.getProperty(SEARCH, ShotGridSearch.class);
        exchange.setProperty(RECORDS, new ArrayList<Map<String, Object>>());
        if (search == null) {
            // nothing to read: an entity type shotgrid.entity-types leaves out (searchOf)
            exchange.setProperty(MORE, false);
            return;
        }
        exchange.setProperty(PAGE_SEARCH, search);
        exchange.setProperty(MORE, true);
        // a _search answer carries no total (a _summarize count would cost a request per type): rate only
        Progress.of(exchange).phase("read", search.type() + " rows", Progress.UNKNOWN, "entities");
    }

    /** Body: the JSON of the current page's search; Content-Type: its array or hash form; property shotgridPath. */
    public void request(Exchange exchange) {
        // the mapped fields (shotgrid.fields.*) are asked for too, whoever built the search
        ShotGridSearch search = fields.widen(exchange.getProperty(PAGE_SEARCH, ShotGridSearch.class));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, search.contentType());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.setProperty(PATH, search.path());
        exchange.getMessage().setBody(search.json());
    }

    /** The answer of one page: records kept, the next page asked for when this one was full. */
    @SuppressWarnings("unchecked")
    public void page(Exchange exchange) throws IOException {
        ShotGridSearch search = exchange.getProperty(PAGE_SEARCH, ShotGridSearch.class);
        ShotGridPage page;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            page = ShotGridPage.read(in, search.size(), search.toString());
        }
        ((List<Map<String, Object>>) exchange.getProperty(RECORDS, List.class)).addAll(page.records());
        Progress.of(exchange).advance(page.records().size());
        exchange.setProperty(MORE, page.hasNext());
        if (page.hasNext()) {
            exchange.setProperty(PAGE_SEARCH, search.next());
        }
        exchange.getMessage().setBody(null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> records(Exchange exchange) {
        exchange.removeProperty(PAGE_SEARCH);
        return (List<Map<String, Object>>) exchange.removeProperty(RECORDS);
    }

    // ---- error handler predicates (routes/errors.camel.yaml) ----------------------------------------------------

    /** ShotGrid refused the token (401), wherever the failure is wrapped. */
    public boolean refused(Exchange exchange) {
        return io.avalonsync.sync.HttpFaults.status(failure(exchange)) == 401;
    }

    /** A fault worth redelivering: 429 or 5xx, wherever the failure is wrapped. */
    public boolean transientFault(Exchange exchange) {
        int status = io.avalonsync.sync.HttpFaults.status(failure(exchange));
        return status == 429 || status >= 500;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    // ---- projects ------------------------------------------------------------------------------------------

    /** Property shotgridSearch: the site's projects to sync (the sync checkbox filters on the server). */
    public void projectsSearch(Exchange exchange) {
        exchange.setProperty(SEARCH, projectsSearch());
    }

    public ShotGridSearch projectsSearch() {
        List<String> fields = new ArrayList<>(ShotGridSearch.fields("Project"));
        if (syncField != null) {
            fields.add(syncField);
        }
        ShotGridSearch search = ShotGridSearch.of("Project").fields(fields);
        return syncField == null ? search : search.where(syncField, "is", true);
    }

    /** Body in: the Project records; body out: those to sync. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> selected(Exchange exchange) {
        List<Map<String, Object>> all = exchange.getMessage().getBody(List.class);
        List<Map<String, Object>> chosen = selected(all);
        exchange.getMessage().setBody(chosen);
        return chosen;
    }

    public List<Map<String, Object>> selected(List<Map<String, Object>> projects) {
        List<Map<String, Object>> chosen = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> project : projects) {
            if (!toSync(project)) {
                continue;
            }
            chosen.add(project);
            ids.add(String.valueOf(ShotGridValues.integer(project.get("id"))));
        }
        if (wanted == null || !wanted.equals(ids)) {
            LOG.info("shotgrid projects to sync: {}", chosen.stream().map(p -> p.get("name") + " (" + p.get("id") + ")").toList());
        }
        wanted = Set.copyOf(ids);
        return chosen;
    }

    /** Neither archived nor a template, and its sync checkbox on (also when a server ignored the filter). */
    public boolean toSync(Map<String, Object> project) {
        return !ShotGridValues.flag(project, "archived") && !ShotGridValues.flag(project, "is_template")
                && (syncField == null || ShotGridValues.flag(project, syncField));
    }

    /** Ids of the projects to sync as last read, or null before the first read. */
    public Set<String> wanted() {
        return wanted;
    }

    public boolean wanted(String projectId) {
        Set<String> current = wanted;
        return current == null || current.contains(projectId);
    }

    // ---- full sync of one project -------------------------------------------------------------------------

    /** Body: one project record; the snapshot the next reads fill. */
    @SuppressWarnings("unchecked")
    public void start(Exchange exchange) {
        Map<String, Object> project = exchange.getMessage().getBody(Map.class);
        exchange.setProperty(ShotGridSnapshot.PROPERTY, new ShotGridSnapshot(project));
        exchange.setProperty(PROJECT_ID, String.valueOf(ShotGridValues.integer(project.get("id"))));
        exchange.setProperty(PROJECT_NAME, project.get("name"));
    }

    /** Property shotgridSearch: every row of a type in the project ({@code Step}: the site's steps). */
    public void searchOf(Exchange exchange, String type) {
        int projectId = Integer.parseInt(exchange.getProperty(PROJECT_ID, String.class));
        if (!fields.synced(type)) {
            exchange.removeProperty(SEARCH); // not synced (shotgrid.entity-types): nothing is read
            return;
        }
        exchange.setProperty(SEARCH, "Step".equals(type) ? ShotGridSearch.of("Step") : ShotGridSearch.inProject(type, projectId));
    }

    /** Body in: the records of a type; kept in the snapshot. */
    @SuppressWarnings("unchecked")
    public void collect(Exchange exchange, String type) {
        ShotGridSnapshot snapshot = exchange.getProperty(ShotGridSnapshot.PROPERTY, ShotGridSnapshot.class);
        snapshot.add(type, exchange.getMessage().getBody(List.class));
        exchange.getMessage().setBody(null);
    }
}
