package io.avalonsync.status;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.avalonsync.cluster.ClusterStatus;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.sitesync.SiteSyncOps;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.bson.Document;

/**
 * {@code GET /}: a small server-rendered page for operators (no scripts or outside assets, so it works offline):
 * the sources as /health sees them, the last full sync per project, the event journals' backlog and lag, and for
 * site sync the queue per project and site and the failed files with their error, attempts and a reset button.
 * Every value is HTML-escaped: project names, paths and errors are user data.
 */
public final class StatusPage {

    private final SiteSyncOps siteSync;
    private final StatusFigures figures;

    private final NodeRegistry nodes;

    public StatusPage(SiteSyncOps siteSync, StatusFigures figures) {
        this(siteSync, figures, null);
    }

    /** @param nodes the daemon's node record (the "Nodes" section); null in one-shot runs */
    public StatusPage(SiteSyncOps siteSync, StatusFigures figures, NodeRegistry nodes) {
        this.siteSync = siteSync;
        this.figures = figures;
        this.nodes = nodes;
    }

    @SuppressWarnings("unchecked")
    public String render(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
                .append("<title>avalon-sync</title><style>body{font-family:sans-serif;margin:1.5em}")
                .append("table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:2px 8px;")
                .append("text-align:left}.UP{color:green}.DOWN{color:#b00}</style></head><body><h1>avalon-sync</h1>");

        html.append("<h2>Sources</h2><table id=\"sources\"><tr><th>check</th><th>state</th><th>detail</th></tr>");
        for (HealthCheck.Result r : HealthReport.serviceChecks(exchange.getContext())) {
            html.append("<tr><td>").append(esc(r.getCheck().getId())).append("</td><td class=\"")
                    .append(r.getState().name()).append("\">").append(r.getState().name()).append("</td><td>")
                    .append(esc(r.getMessage().orElse(""))).append("</td></tr>");
        }
        html.append("</table><p><a href=\"/health\">/health</a>, <a href=\"/health/ready\">/health/ready</a>,")
                .append(" <a href=\"/health/live\">/health/live</a> (JSON) &middot; <a href=\"/metrics\">/metrics</a> (Prometheus)</p>");
        if (nodes != null) {
            try {
                nodes(html, ClusterStatus.of(exchange.getContext(), nodes));
            } catch (RuntimeException e) {
                html.append("<p class=\"DOWN\">cannot read the node records: ").append(esc(e.toString())).append("</p>");
            }
        }
        try {
            duplicates(html);
            fullSyncs(html);
            events(html);
        } catch (RuntimeException e) {
            html.append("<p class=\"DOWN\">cannot read the sync state: ").append(esc(e.toString())).append("</p>");
        }

        html.append("<h2>Site sync</h2>");
        Map<String, Object> overview;
        try {
            overview = siteSync.overview();
        } catch (RuntimeException e) {
            html.append("<p class=\"DOWN\">cannot read the site sync state: ").append(esc(e.toString())).append("</p></body></html>");
            return html.toString();
        }
        html.append("<p>").append(Boolean.TRUE.equals(overview.get("enabled")) ? "enabled" : "<b>disabled</b> (sitesync.enabled)")
                .append(", node ").append(esc(String.valueOf(overview.get("node")))).append(", sites ")
                .append(esc(String.valueOf(overview.get("activeSite")))).append(" &harr; ")
                .append(esc(String.valueOf(overview.get("remoteSite"))))
                .append(" &middot; <form style=\"display:inline\" method=\"post\" action=\"/sitesync/run\">")
                .append("<button>sync now</button></form> &middot; <a href=\"/sitesync\">/sitesync</a> (JSON)</p>");
        html.append("<table id=\"queue\"><tr><th>project</th><th>site</th><th>direction</th><th>done</th><th>in progress</th>")
                .append("<th>queued</th><th>waiting</th><th>failed</th><th>paused</th><th>blocked</th></tr>");
        List<Map<String, Object>> projects = (List<Map<String, Object>>) overview.get("projects");
        for (Map<String, Object> p : projects) {
            for (Map<String, Object> s : (List<Map<String, Object>>) p.get("sites")) {
                html.append("<tr><td>").append(esc(String.valueOf(p.get("project")))).append("</td>");
                for (String key : List.of("site", "direction", "done", "inProgress", "queued", "waiting", "failed",
                        "paused", "blocked")) {
                    html.append("<td>").append(esc(String.valueOf(s.get(key)))).append("</td>");
                }
                html.append("</tr>");
            }
        }
        html.append("</table><h3>Failed files</h3><table id=\"failures\"><tr><th>project</th><th>path</th><th>site</th><th>tries</th>")
                .append("<th>kind</th><th>error</th><th>last failed</th><th>next attempt</th><th></th></tr>");
        int shown = 0;
        for (Map<String, Object> p : projects) {
            for (Map<String, Object> f : (List<Map<String, Object>>) p.get("failures")) {
                shown++;
                html.append("<tr><td>").append(esc(String.valueOf(p.get("project")))).append("</td><td>")
                        .append(esc(String.valueOf(f.get("path")))).append("</td><td>").append(esc(String.valueOf(f.get("site"))))
                        .append("</td><td>").append(f.get("tries")).append(Boolean.TRUE.equals(f.get("exhausted")) ? " (gave up)" : "")
                        .append("</td><td>").append(esc(String.valueOf(f.get("errorKind")))).append("</td><td>")
                        .append(esc(String.valueOf(f.get("error")))).append("</td><td>").append(esc(String.valueOf(f.get("lastFailed"))))
                        .append("</td><td>").append(esc(String.valueOf(f.get("nextAttempt")))).append("</td><td>")
                        .append("<form method=\"post\" action=\"/sitesync/reset\">")
                        .append(hidden("project", p.get("project"))).append(hidden("representation", f.get("representation")))
                        .append(hidden("file", f.get("file"))).append(hidden("site", f.get("site")))
                        .append("<button>reset</button></form></td></tr>");
            }
        }
        if (shown == 0) {
            html.append("<tr><td colspan=\"9\">none</td></tr>");
        }
        html.append("</table></body></html>");
        return html.toString();
    }

    /** Which node leads which singleton route group, and every node that has recorded itself. */
    private static void nodes(StringBuilder html, ClusterStatus status) {
        html.append("<h2>Nodes</h2><p id=\"leadership\">This node: ").append(esc(status.summary())).append("</p>");
        html.append("<table id=\"groups\"><tr><th>singleton group</th><th>leader</th><th>this node</th></tr>");
        status.leads().forEach((group, mine) -> {
            String leader = status.leaders().get(group);
            html.append("<tr><td>").append(esc(group)).append("</td><td>").append(leader == null ? "none yet" : esc(leader))
                    .append("</td><td>").append(mine ? "leads" : "follows").append("</td></tr>");
        });
        html.append("</table><table id=\"nodes\"><tr><th>node</th><th>host</th><th>pid</th><th>cluster</th><th>leads</th>")
                .append("<th>started</th><th>last seen</th><th>state</th></tr>");
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
        html.append("</table>");
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
                .append(" is made at the next full sync.</p><table id=\"duplicates\"><tr><th>collection</th><th>source</th>")
                .append("<th>tracker identity</th><th>_id</th></tr>");
        for (io.avalonsync.avalon.IdentityGuard.Duplicate d : rows) {
            html.append("<tr><td>").append(esc(d.collection())).append("</td><td>").append(esc(d.source()))
                    .append("</td><td>").append(esc(d.identity())).append("</td><td>")
                    .append(esc(String.join(", ", d.ids().stream().map(String::valueOf).toList()))).append("</td></tr>");
        }
        html.append("</table>");
    }

    private void fullSyncs(StringBuilder html) {
        html.append("<h2>Last full sync</h2><table id=\"full-syncs\"><tr><th>source</th><th>project</th><th>started</th>")
                .append("<th>took</th><th>documents written</th><th>rejected</th><th>result</th></tr>");
        List<StatusFigures.LastSync> rows = figures.lastSyncs();
        for (StatusFigures.LastSync s : rows) {
            html.append("<tr><td>").append(esc(s.source())).append("</td><td>").append(esc(s.project())).append("</td><td>")
                    .append(time(s.at())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f s", s.duration().toMillis() / 1000.0)).append("</td><td>")
                    .append(s.written()).append("</td><td>").append(s.rejected()).append("</td><td class=\"")
                    .append(s.failure() == null ? "UP\">synced" : "DOWN\">" + esc(s.failure())).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"7\">no full sync since start</td></tr>");
        }
        html.append("</table>");
    }

    private void events(StringBuilder html) {
        html.append("<h2>Events</h2><table id=\"events\"><tr><th>source</th><th>pending</th><th>failed</th><th>parked</th>")
                .append("<th>lag</th><th>last applied</th><th>cursor moved</th></tr>");
        for (String source : figures.sources()) {
            StatusFigures.Events e = figures.events(source);
            html.append("<tr><td>").append(esc(source)).append("</td><td>").append(e.pending()).append("</td><td>")
                    .append(e.failed()).append("</td><td").append(e.parked() > 0 ? " class=\"DOWN\">" : ">").append(e.parked())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f s", e.lag().toMillis() / 1000.0))
                    .append("</td><td>").append(time(e.lastApplied()))
                    .append("</td><td>").append(time(e.cursorMoved())).append("</td></tr>");
        }
        if (figures.sources().isEmpty()) {
            html.append("<tr><td colspan=\"7\">no tracker enabled</td></tr>");
        }
        html.append("</table>");
    }

    /** UTC to the second, as operators compare it with logs. */
    private static String time(java.time.Instant at) {
        return at == null ? "-" : esc(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    private static String hidden(String name, Object value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(String.valueOf(value)) + "\">";
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
