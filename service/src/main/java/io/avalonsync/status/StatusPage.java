package io.avalonsync.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.avalonsync.cluster.ClusterStatus;
import io.avalonsync.cluster.Leadership;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.sitesync.FileTask;
import io.avalonsync.sitesync.SiteFailure;
import io.avalonsync.sitesync.SiteRecords;
import io.avalonsync.sitesync.SiteQueueCounts;
import io.avalonsync.sync.Progress;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheck;
import org.bson.Document;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * {@code GET /} (bean {@code statusPage}): the page an operator keeps open. Per source (Kitsu, ShotGrid, site sync)
 * the state and the detail /health has, the last sync with its result and the next one; the event journals with
 * their lag and backlog over the last hour; the last full sync per project; site sync's throughput over the last
 * hour, its queue per project and site, and the failed files with reset, pause and priority controls. A project
 * is named the same way everywhere: the tracker's name and the Avalon name together.
 *
 * <p>Everything is in the one response (styles, a small script, SVG charts): nothing is fetched from elsewhere, so
 * it works offline. Times are UTC in the HTML; the script shows them in the browser's zone with UTC on hover,
 * answers the controls in the page and refreshes the figures every 10 s. Every value is HTML-escaped: project
 * names, paths and errors are user data.
 */
public final class StatusPage {

    /** Quartz's group of the service's schedules ({@code quartz:avalon-sync/<name>} in the routes). */
    private static final String SCHEDULES = "avalon-sync";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String STYLE = resource("status-page.css");
    private static final String SCRIPT = resource("status-page.js");
    private static final Map<String, String> SOURCE_NAMES = Map.of("kitsu", "Kitsu", "shotgrid", "ShotGrid");

    private final CamelContext context;
    private final StatusFigures figures;
    private final StatusHistory history;
    private final SiteRecords siteRecords;
    private final boolean siteSyncEnabled;
    private final String node;
    private final NodeRegistry nodes;

    /**
     * @param siteRecords the site sync records (site names, retry count)
     * @param node      this node's site sync id
     * @param nodes     the daemon's node record (the "Nodes" section); null in one-shot runs
     */
    public StatusPage(CamelContext context, StatusFigures figures, StatusHistory history, SiteRecords siteRecords,
            boolean siteSyncEnabled, String node, NodeRegistry nodes) {
        this.context = context;
        this.figures = figures;
        this.history = history;
        this.siteRecords = siteRecords;
        this.siteSyncEnabled = siteSyncEnabled;
        this.node = node;
        this.nodes = nodes;
    }

    /** The page; the route sets its content type (HTML). */
    public String render() {
        long began = System.nanoTime();
        Instant now = Instant.now();
        StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // without the script, the page reloads itself instead
                .append("<noscript><meta http-equiv=\"refresh\" content=\"10\"></noscript>")
                .append("<title>avalon-sync</title><style>").append(STYLE).append("</style></head><body>")
                .append("<header><h1>avalon-sync</h1><span class=\"muted\">")
                .append(nodes == null ? "" : "node " + esc(nodes.nodeId()) + " · ")
                .append("as of ").append(time(now)).append("</span><nav><a href=\"/health\">/health</a>")
                .append("<a href=\"/metrics\">/metrics</a><a href=\"/sitesync\">/sitesync</a></nav></header>")
                .append("<div id=\"notice\" role=\"status\" aria-live=\"polite\"></div><main id=\"main\">");

        Map<String, HealthCheck.Result> checks = new LinkedHashMap<>();
        for (HealthCheck.Result r : HealthReport.serviceChecks(context)) {
            checks.put(r.getCheck().getId(), r);
        }
        StatusFigures.SiteSync siteSync = null;
        String siteSyncProblem = null;
        try {
            siteSync = figures.siteSync();
        } catch (RuntimeException e) {
            siteSyncProblem = e.toString();
        }
        sources(html, checks);
        otherChecks(html, checks);
        try {
            duplicates(html);
            events(html, now);
            fullSyncs(html, siteSync);
        } catch (RuntimeException e) {
            html.append("<p class=\"DOWN\">cannot read the sync state: ").append(esc(e.toString())).append("</p>");
        }
        siteSync(html, siteSync, siteSyncProblem, now);
        if (nodes != null) {
            try {
                nodes(html, ClusterStatus.of(context, nodes));
            } catch (RuntimeException e) {
                html.append("<p class=\"DOWN\">cannot read the node records: ").append(esc(e.toString())).append("</p>");
            }
        }

        html.append("<footer>drawn in ").append((System.nanoTime() - began) / 1_000_000).append(" ms; the charts")
                .append(" cover the last hour since the service started and refresh with the page every 10 s</footer>")
                .append("</main><script>").append(SCRIPT).append("</script></body></html>");
        return html.toString();
    }

    // ------------------------------------------------------------------------------------------------ sources

    private void sources(StringBuilder html, Map<String, HealthCheck.Result> checks) {
        html.append("<h2>Sources</h2><table id=\"sources\"><thead><tr><th>source</th><th>state</th><th>last sync</th>")
                .append("<th>result</th><th>next sync</th><th>detail</th></tr></thead><tbody>");
        for (String source : List.of("kitsu", "shotgrid")) {
            html.append("<tr data-source=\"").append(source).append("\"><td>").append(SOURCE_NAMES.get(source)).append("</td>");
            if (!figures.sources().contains(source)) {
                html.append("<td class=\"state muted\">off</td><td class=\"last\">-</td><td class=\"result\">-</td>")
                        .append("<td class=\"next\">-</td><td>not configured (").append(source).append(".url)</td></tr>");
                continue;
            }
            HealthCheck.Result check = checks.get(source);
            String state = check == null ? "?" : check.getState().name();
            html.append("<td class=\"state ").append(state).append("\">").append(state).append("</td>");
            StatusFigures.LastRun run = figures.lastRun(source);
            if (run == null) {
                html.append("<td class=\"last\">").append(figures.running(source) ? "running now" : "none since start")
                        .append("</td><td class=\"result\">-</td>");
            } else {
                html.append("<td class=\"last\">").append(time(run.started())).append(took(run.started(), run.finished()))
                        .append("</td><td class=\"result").append(run.failure() != null || run.failedProjects() > 0 ? " bad" : "")
                        .append("\">").append(esc(result(run))).append("</td>");
            }
            html.append("<td class=\"next\">").append(next(source + "-full-sync-schedule", source, source + "-full-sync"))
                    .append("</td><td>").append(detail(check, checks.get(source + "-events"))).append("</td></tr>");
        }
        html.append("<tr data-source=\"sitesync\"><td>Site sync</td><td class=\"state ")
                .append(siteSyncEnabled ? "UP\">on" : "muted\">off").append("</td>");
        StatusHistory.LastPass pass = history.lastPass();
        if (pass == null) {
            html.append("<td class=\"last\">none since start</td><td class=\"result\">-</td>");
        } else {
            html.append("<td class=\"last\">").append(time(pass.finished())).append(took(pass.started(), pass.finished()))
                    .append("</td><td class=\"result").append(pass.failed() > 0 ? " warn" : "").append("\">")
                    .append(pass.uploaded()).append(" uploaded, ").append(pass.downloaded()).append(" downloaded, ")
                    .append(pass.failed()).append(" failed, ").append(esc(Progress.bytesText(pass.bytes()))).append("</td>");
        }
        html.append("<td class=\"next\">").append(siteSyncEnabled ? next("sitesync-loop", null, "sitesync") : "-")
                .append("</td><td>").append(siteSyncEnabled ? "" : "sitesync.enabled is false; ").append("node ")
                .append(esc(node)).append(", sites ").append(esc(siteRecords.activeSite())).append(" &harr; ")
                .append(esc(siteRecords.remoteSite())).append(", up to ").append(siteRecords.retryCount())
                .append(" tries per file</td></tr></tbody></table>");
    }

    private static String result(StatusFigures.LastRun run) {
        if (run.failure() != null) {
            return "failed: " + run.failure();
        }
        String projects = run.failedProjects() == 0 ? "synced " + run.projects() + " projects"
                : "synced " + (run.projects() - run.failedProjects()) + " of " + run.projects() + " projects ("
                        + run.failedProjects() + " failed)";
        return projects + ": " + run.written() + " written, " + run.rejected() + " rejected";
    }

    /** The detail /health has: the check's message and details, and the event journal's. */
    private static String detail(HealthCheck.Result tracker, HealthCheck.Result journal) {
        List<String> parts = new ArrayList<>();
        for (HealthCheck.Result r : new HealthCheck.Result[] {tracker, journal}) {
            if (r == null) {
                continue;
            }
            r.getMessage().ifPresent(parts::add);
            HealthReport.details(r).forEach((key, value) -> {
                if (!key.equals("last_sync")) {
                    parts.add(key.replace('_', ' ') + " " + value);
                }
            });
        }
        return parts.isEmpty() ? "" : esc(String.join("; ", parts));
    }

    /**
     * When the schedule fires next: from Quartz, which runs it. A node that follows in a cluster has no trigger (the
     * leader runs it); a one-shot run has no schedule at all.
     */
    private String next(String routeId, String group, String trigger) {
        Instant next = nextFire(trigger);
        if (next != null) {
            return time(next);
        }
        ServiceStatus route = context.getRouteController().getRouteStatus(routeId);
        if (route == null || !route.isStarted()) {
            return "<span class=\"muted\">not scheduled here</span>";
        }
        if (group != null && Boolean.FALSE.equals(Leadership.of(context).get(group))) {
            return "<span class=\"muted\">on the leading node</span>";
        }
        return "-";
    }

    private Instant nextFire(String trigger) {
        if (!(context.hasComponent("quartz") instanceof QuartzComponent quartz) || quartz.getScheduler() == null) {
            return null;
        }
        try {
            Trigger t = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(trigger, SCHEDULES));
            return t == null || t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant();
        } catch (SchedulerException e) {
            return null;
        }
    }

    /** The checks not shown with a source: MongoDB, the identity index, the cluster. */
    private static void otherChecks(StringBuilder html, Map<String, HealthCheck.Result> checks) {
        html.append("<h2>Checks</h2><table id=\"checks\"><thead><tr><th>check</th><th>state</th><th>detail</th></tr></thead><tbody>");
        checks.forEach((id, r) -> {
            if (SOURCE_NAMES.containsKey(id) || id.endsWith("-events")) {
                return;
            }
            List<String> parts = new ArrayList<>();
            r.getMessage().ifPresent(parts::add);
            HealthReport.details(r).forEach((key, value) -> parts.add(key.replace('_', ' ') + " " + value));
            html.append("<tr><td>").append(esc(id)).append("</td><td class=\"").append(r.getState().name()).append("\">")
                    .append(r.getState().name()).append("</td><td>").append(esc(String.join("; ", parts))).append("</td></tr>");
        });
        html.append("</tbody></table>");
    }

    // ------------------------------------------------------------------------------------------------- events

    private void events(StringBuilder html, Instant now) {
        html.append("<h2>Events</h2><table id=\"events\"><thead><tr><th>source</th><th class=\"num\">pending</th>")
                .append("<th class=\"num\">failed</th><th class=\"num\">parked</th><th class=\"num\">lag</th>")
                .append("<th>last applied</th><th>cursor moved</th><th>backlog, last hour</th><th>lag, last hour</th></tr></thead><tbody>");
        for (String source : figures.sources()) {
            StatusFigures.Events e = figures.events(source);
            html.append("<tr><td>").append(SOURCE_NAMES.getOrDefault(source, esc(source))).append("</td><td class=\"num\">")
                    .append(e.pending()).append("</td><td class=\"num\">").append(e.failed()).append("</td><td class=\"num")
                    .append(e.parked() > 0 ? " DOWN" : "").append("\">").append(e.parked()).append("</td><td class=\"num\">")
                    .append(seconds(e.lag().toMillis() / 1000.0)).append("</td><td>").append(time(e.lastApplied()))
                    .append("</td><td>").append(time(e.cursorMoved())).append("</td><td>")
                    .append(Charts.line("chart-" + source + "-backlog", SOURCE_NAMES.get(source) + " journal backlog (pending and failed), last hour",
                            history.backlog(source, now), Charts::plain))
                    .append("</td><td>")
                    .append(Charts.line("chart-" + source + "-lag", SOURCE_NAMES.get(source) + " event lag, last hour",
                            history.lag(source, now), StatusPage::seconds))
                    .append("</td></tr>");
        }
        if (figures.sources().isEmpty()) {
            html.append("<tr><td colspan=\"9\">no tracker enabled</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private void fullSyncs(StringBuilder html, StatusFigures.SiteSync names) {
        html.append("<h2>Last full sync</h2><table id=\"full-syncs\"><thead><tr><th>source</th><th>project</th><th>started</th>")
                .append("<th class=\"num\">took</th><th class=\"num\">documents written</th><th class=\"num\">rejected</th>")
                .append("<th>result</th></tr></thead><tbody>");
        List<StatusFigures.LastSync> rows = figures.lastSyncs();
        for (StatusFigures.LastSync s : rows) {
            String collection = s.collection() != null ? s.collection() : names == null ? null : names.collectionOf(s.project());
            html.append("<tr><td>").append(SOURCE_NAMES.getOrDefault(s.source(), esc(s.source()))).append("</td><td>")
                    .append(project(s.project(), collection)).append("</td><td>").append(time(s.at()))
                    .append("</td><td class=\"num\">").append(seconds(s.duration().toMillis() / 1000.0))
                    .append("</td><td class=\"num\">").append(s.written()).append("</td><td class=\"num\">").append(s.rejected())
                    .append("</td><td class=\"").append(s.failure() == null ? "UP\">synced" : "DOWN\">" + esc(s.failure()))
                    .append("</td></tr>");
        }
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"7\">no full sync since start</td></tr>");
        }
        html.append("</tbody></table>");
    }

    // ---------------------------------------------------------------------------------------------- site sync

    private void siteSync(StringBuilder html, StatusFigures.SiteSync siteSync, String problem, Instant now) {
        html.append("<h2 id=\"sitesync\">Site sync</h2><div class=\"charts\">")
                .append(Charts.bars("chart-sitesync-throughput", "files and bytes transferred per minute, last hour",
                        history.files(now), history.bytes(now)))
                .append("<p><form data-op=\"run\" method=\"post\" action=\"/sitesync/run\"><button>sync now</button></form>")
                .append(" <span class=\"muted\">one pass now (after the running one, if any)</span></p></div>");
        if (problem != null) {
            html.append("<p class=\"DOWN\">cannot read the site sync state: ").append(esc(problem)).append("</p>");
            return;
        }
        html.append("<h3>Queue</h3><div class=\"scroll\"><table id=\"queue\"><thead><tr><th>project</th><th>site</th><th>direction</th>")
                .append("<th class=\"num\">done</th><th class=\"num\">in progress</th><th class=\"num\">queued</th>")
                .append("<th class=\"num\">waiting</th><th class=\"num\">failed</th><th class=\"num\">paused</th>")
                .append("<th class=\"num\">blocked</th><th></th></tr></thead><tbody>");
        for (StatusFigures.SiteProject p : siteSync.projects()) {
            for (SiteQueueCounts c : p.queue()) {
                html.append("<tr><td>").append(project(p.project())).append("</td><td>").append(esc(c.site()))
                        .append("</td><td>").append(c.direction().name().toLowerCase(Locale.ROOT)).append("</td>");
                for (long n : new long[] {c.done(), c.inProgress(), c.queued(), c.waiting(), c.failed(), c.paused(), c.blocked()}) {
                    html.append("<td class=\"num\">").append(n).append("</td>");
                }
                String fields = hidden("project", p.project().collection()) + hidden("site", c.site());
                html.append("<td><form data-op=\"pause\" method=\"post\" action=\"/sitesync/pause\">").append(fields)
                        .append(hidden("value", "true")).append("<button title=\"pause every file of the project to ")
                        .append(esc(c.site())).append("\">pause all</button></form> ")
                        .append("<form data-op=\"pause\" method=\"post\" action=\"/sitesync/pause\">").append(fields)
                        .append(hidden("value", "false")).append("<button>resume all</button></form></td></tr>");
            }
        }
        if (siteSync.projects().isEmpty()) {
            html.append("<tr><td colspan=\"11\">no Avalon project</td></tr>");
        }
        html.append("</tbody></table></div>");

        html.append("<h3>Failed files</h3><div class=\"scroll\"><table id=\"failures\"><thead><tr><th>project</th>")
                .append("<th>file and error</th><th>site</th><th class=\"num\">tries</th><th>last failed</th><th>next attempt</th>")
                .append("<th>state</th><th>priority</th><th></th></tr></thead><tbody>");
        int shown = 0;
        for (StatusFigures.SiteProject p : siteSync.projects()) {
            for (SiteFailure f : p.failures()) {
                shown++;
                String fields = hidden("project", p.project().collection()) + hidden("representation", f.representationId())
                        + hidden("file", f.fileId()) + hidden("site", f.site());
                html.append("<tr data-representation=\"").append(esc(String.valueOf(f.representationId())))
                        .append("\" data-file=\"").append(esc(String.valueOf(f.fileId()))).append("\"><td>")
                        .append(project(p.project())).append("</td><td>").append(file(f.path()))
                        .append("<div class=\"error\" title=\"").append(esc(f.error())).append("\"><b>").append(esc(f.errorKind()))
                        .append("</b> ").append(esc(f.error())).append("</div></td><td>").append(esc(f.site())).append("</td><td class=\"num\">").append(f.tries())
                        .append(f.exhausted() ? " <span class=\"DOWN\">(gave up)</span>" : "")
                        .append("</td><td class=\"failed-at\">").append(time(f.lastFailedDt())).append("</td><td>")
                        .append(f.exhausted() ? "<span class=\"muted\">after a reset</span>" : time(f.nextAttemptDt()))
                        .append("</td><td class=\"run-state").append(f.paused() ? " warn\">paused" : "\">active")
                        .append("</td><td class=\"controls\">")
                        .append("<form data-op=\"priority\" method=\"post\" action=\"/sitesync/priority\" novalidate>").append(fields)
                        .append("<input type=\"number\" name=\"value\" min=\"1\" max=\"1000\" aria-label=\"priority\" value=\"")
                        .append(f.priority() == null ? FileTask.DEFAULT_PRIORITY : f.priority()).append("\"> <button>set</button></form>")
                        .append("</td><td class=\"controls\"><form data-op=\"reset\" method=\"post\" action=\"/sitesync/reset\">").append(fields)
                        .append("<button title=\"forget the failures: tried again at the next pass\">reset</button></form> ")
                        .append("<form data-op=\"pause\" method=\"post\" action=\"/sitesync/pause\">").append(fields)
                        .append(hidden("value", f.paused() ? "false" : "true")).append("<button>")
                        .append(f.paused() ? "resume" : "pause").append("</button></form></td></tr>");
            }
        }
        if (shown == 0) {
            html.append("<tr><td colspan=\"9\">none</td></tr>");
        }
        html.append("</tbody></table></div>");
    }

    // ------------------------------------------------------------------------------------------------- nodes

    /** Which node leads which singleton route group, and every node that has recorded itself. */
    private static void nodes(StringBuilder html, ClusterStatus status) {
        html.append("<h2>Nodes</h2><p id=\"leadership\">This node: ").append(esc(status.summary())).append("</p>");
        html.append("<table id=\"groups\"><thead><tr><th>singleton group</th><th>leader</th><th>this node</th></tr></thead><tbody>");
        status.leads().forEach((group, mine) -> {
            String leader = status.leaders().get(group);
            html.append("<tr><td>").append(esc(group)).append("</td><td>").append(leader == null ? "none yet" : esc(leader))
                    .append("</td><td>").append(mine ? "leads" : "follows").append("</td></tr>");
        });
        html.append("</tbody></table><table id=\"nodes\"><thead><tr><th>node</th><th>host</th><th>pid</th><th>cluster</th>")
                .append("<th>leads</th><th>started</th><th>last seen</th><th>state</th></tr></thead><tbody>");
        for (Document n : status.nodes()) {
            boolean alive = Boolean.TRUE.equals(n.getBoolean("alive"));
            html.append("<tr><td>").append(esc(n.getString("_id")))
                    .append(n.getString("_id").equals(status.node()) ? " (this one)" : "").append("</td><td>")
                    .append(esc(String.valueOf(n.get("host")))).append("</td><td>").append(n.get("pid")).append("</td><td>")
                    .append(esc(String.valueOf(n.get("cluster")))).append("</td><td>")
                    .append(esc(String.join(", ", n.getList("leads", String.class, List.of())))).append("</td><td>")
                    .append(time(n.getDate("started") == null ? null : n.getDate("started").toInstant())).append("</td><td>")
                    .append(time(n.getDate("seen") == null ? null : n.getDate("seen").toInstant())).append("</td><td class=\"")
                    .append(alive ? "UP\">running" : Boolean.TRUE.equals(n.getBoolean("stopped")) ? "\">stopped" : "DOWN\">gone")
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    /** Shown only when there are some: each needs a person (README, "Repairing duplicate documents"). */
    private void duplicates(StringBuilder html) {
        List<io.avalonsync.avalon.IdentityGuard.Duplicate> rows = figures.duplicates();
        if (rows.isEmpty()) {
            return;
        }
        html.append("<h2 class=\"DOWN\">Duplicate documents</h2><p>These tracker entities have more than one document in")
                .append(" Avalon, so their collections run without the unique identity index. Nothing is deleted")
                .append(" automatically: merge them by hand (README, &quot;Repairing duplicate documents&quot;); the index")
                .append(" is made at the next full sync.</p><table id=\"duplicates\"><thead><tr><th>collection</th><th>source</th>")
                .append("<th>tracker identity</th><th>_id</th></tr></thead><tbody>");
        for (io.avalonsync.avalon.IdentityGuard.Duplicate d : rows) {
            html.append("<tr><td>").append(esc(d.collection())).append("</td><td>").append(esc(d.source()))
                    .append("</td><td>").append(esc(d.identity())).append("</td><td>")
                    .append(esc(String.join(", ", d.ids().stream().map(String::valueOf).toList()))).append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** One name per project: the tracker's name and, when it differs, the Avalon name beside it. */
    private static String project(StatusFigures.Project p) {
        return project(p.label(), p.collection());
    }

    private static String project(String label, String collection) {
        if (collection == null || collection.equals(label)) {
            return "<span class=\"project\"><span class=\"label\">" + esc(label == null ? collection : label) + "</span></span>";
        }
        return "<span class=\"project\" title=\"tracker: " + esc(label) + ", Avalon: " + esc(collection) + "\"><span class=\"label\">"
                + esc(label) + "</span> <code>" + esc(collection) + "</code></span>";
    }

    /**
     * A file of a failure: its name first, its folder beneath (paths are long and alike), the whole path on hover.
     */
    private static String file(String path) {
        String p = path == null ? "" : path;
        int slash = p.lastIndexOf('/');
        return "<div class=\"path\" title=\"" + esc(p) + "\"><b>" + esc(p.substring(slash + 1)) + "</b>"
                + (slash > 0 ? "<div class=\"folder\">" + esc(p.substring(0, slash + 1)) + "</div>" : "") + "</div>";
    }

    /** A time to the second: UTC in the markup and on hover; the script shows it in the browser's zone. */
    static String time(Instant at) {
        if (at == null) {
            return "-";
        }
        Instant second = at.truncatedTo(ChronoUnit.SECONDS);
        String utc = UTC.format(second) + " UTC";
        return "<time datetime=\"" + second + "\" title=\"" + utc + "\">" + utc + "</time>";
    }

    private static String took(Instant started, Instant finished) {
        return finished == null ? " <span class=\"muted\">(running)</span>"
                : " <span class=\"muted\">(" + seconds(Duration.between(started, finished).toMillis() / 1000.0) + ")</span>";
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String hidden(String name, Object value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(String.valueOf(value)) + "\">";
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("status page resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
