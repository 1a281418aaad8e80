package io.avalonsync.sitesync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.bson.types.ObjectId;

/**
 * The site sync operations of the status server (bean {@code siteSyncOps}): reset, pause and priority per file,
 * representation or project, and the queue overview. Parameters come as query or form fields, or as a JSON
 * object: {@code project} (collection, required), {@code representation}, {@code file}, {@code site},
 * {@code value}. A form post (the status page's buttons) is answered with a redirect back to the page.
 */
public class SiteSyncOps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FAILURES_SHOWN = 200;

    private final SiteFiles files;
    private final boolean enabled;
    private final String node;

    public SiteSyncOps(SiteFiles files, boolean enabled, String node) {
        this.files = files;
        this.enabled = enabled;
        this.node = node;
    }

    /** Per project: the counts per site and the failed files. */
    public Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        out.put("node", node);
        out.put("activeSite", files.activeSite());
        out.put("remoteSite", files.remoteSite());
        out.put("retryCount", files.retryCount());
        List<Map<String, Object>> projects = new ArrayList<>();
        Instant now = Instant.now();
        for (String project : files.projects()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("project", project);
            List<Map<String, Object>> sites = new ArrayList<>();
            for (SiteQueueCounts c : files.counts(project, now)) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("site", c.site());
                s.put("direction", c.direction().name());
                s.put("done", c.done());
                s.put("inProgress", c.inProgress());
                s.put("paused", c.paused());
                s.put("failed", c.failed());
                s.put("waiting", c.waiting());
                s.put("queued", c.queued());
                s.put("blocked", c.blocked());
                sites.add(s);
            }
            p.put("sites", sites);
            List<Map<String, Object>> failures = new ArrayList<>();
            for (SiteFailure f : files.failures(project, FAILURES_SHOWN)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("representation", String.valueOf(f.representationId()));
                m.put("file", String.valueOf(f.fileId()));
                m.put("path", f.path());
                m.put("site", f.site());
                m.put("tries", f.tries());
                m.put("error", f.error());
                m.put("errorKind", f.errorKind());
                m.put("lastFailed", f.lastFailedDt() == null ? null : f.lastFailedDt().toString());
                m.put("nextAttempt", f.nextAttemptDt() == null ? null : f.nextAttemptDt().toString());
                m.put("exhausted", f.exhausted());
                m.put("paused", f.paused());
                m.put("priority", f.priority() == null ? FileTask.DEFAULT_PRIORITY : f.priority());
                failures.add(m);
            }
            p.put("failures", failures);
            projects.add(p);
        }
        out.put("projects", projects);
        return out;
    }

    /** GET /sitesync */
    public String overviewJson(Exchange exchange) throws Exception {
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(overview());
    }

    /** POST /sitesync/reset: forgets failures (tries, error, backoff) so the files are selected again. */
    public String reset(Exchange exchange) throws Exception {
        Params p = params(exchange);
        if (p == null) {
            return answer(exchange, null, 0);
        }
        long changed = files.reset(p.project, p.representation, p.file, p.site);
        return answer(exchange, "reset", changed);
    }

    /** POST /sitesync/pause: value true (default) pauses, false resumes; site defaults to the remote site. */
    public String pause(Exchange exchange) throws Exception {
        Params p = params(exchange);
        if (p == null) {
            return answer(exchange, null, 0);
        }
        boolean paused = p.value == null || Boolean.parseBoolean(p.value);
        long changed = files.pause(p.project, p.representation, p.file, p.site == null ? files.remoteSite() : p.site, paused);
        return answer(exchange, paused ? "paused" : "resumed", changed);
    }

    /** POST /sitesync/priority: value 1–1000, higher first; site defaults to the remote site. */
    public String priority(Exchange exchange) throws Exception {
        Params p = params(exchange);
        if (p == null) {
            return answer(exchange, null, 0);
        }
        int value;
        try {
            value = Integer.parseInt(p.value == null ? "" : p.value.trim());
        } catch (NumberFormatException e) {
            return badRequest(exchange, "value must be a whole number from 1 to 1000, got '" + p.value + "'");
        }
        if (value < 1 || value > 1000) {
            return badRequest(exchange, "value must be from 1 to 1000, got " + value);
        }
        long changed = files.priority(p.project, p.representation, p.file, p.site == null ? files.remoteSite() : p.site, value);
        return answer(exchange, "priority " + value, changed);
    }

    /** POST /sitesync/run: the pass summary as JSON (or back to the page for a form post). */
    public String ran(Exchange exchange) throws Exception {
        SiteSyncPass pass = exchange.getIn().getBody(SiteSyncPass.class);
        if (isForm(exchange)) {
            return redirect(exchange);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", String.valueOf(pass));
        out.put("pass", pass);
        return JSON.writeValueAsString(out);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private record Params(String project, ObjectId representation, Object file, String site, String value) {
    }

    /** The parameters, or null with a 400 answer already set. */
    private Params params(Exchange exchange) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        String body = exchange.getIn().getBody(String.class);
        if (body != null && body.trim().startsWith("{")) {
            JsonNode node = JSON.readTree(body);
            node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        for (String key : List.of("project", "representation", "file", "site", "value")) {
            String header = exchange.getIn().getHeader(key, String.class);
            if (header != null && !header.isBlank() && !values.containsKey(key)) {
                values.put(key, header);
            }
        }
        values.replaceAll((k, v) -> v == null || v.isBlank() ? null : v.trim());
        String project = values.get("project");
        if (project == null) {
            badRequest(exchange, "project is required (the project's collection name)");
            return null;
        }
        ObjectId representation = null;
        if (values.get("representation") != null) {
            if (!ObjectId.isValid(values.get("representation"))) {
                badRequest(exchange, "representation must be an ObjectId, got '" + values.get("representation") + "'");
                return null;
            }
            representation = new ObjectId(values.get("representation"));
        }
        String fileText = values.get("file");
        Object file = fileText == null ? null : ObjectId.isValid(fileText) ? new ObjectId(fileText) : fileText;
        if (file != null && representation == null) {
            badRequest(exchange, "file needs its representation");
            return null;
        }
        String site = values.get("site");
        if (site != null && !site.equals(files.activeSite()) && !site.equals(files.remoteSite())) {
            badRequest(exchange, "site must be " + files.activeSite() + " or " + files.remoteSite() + ", got '" + site + "'");
            return null;
        }
        return new Params(project, representation, file, site, values.get("value"));
    }

    private String badRequest(Exchange exchange, String message) throws Exception {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.setProperty("siteSyncBadRequest", message);
        return JSON.writeValueAsString(Map.of("error", message));
    }

    private String answer(Exchange exchange, String what, long changed) throws Exception {
        if (what == null) {
            return JSON.writeValueAsString(Map.of("error", exchange.getProperty("siteSyncBadRequest", "bad request", String.class)));
        }
        if (isForm(exchange)) {
            return redirect(exchange);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return JSON.writeValueAsString(Map.of("done", what, "representationsChanged", changed));
    }

    private static boolean isForm(Exchange exchange) {
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        return type != null && type.startsWith("application/x-www-form-urlencoded");
    }

    private static String redirect(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", "/");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
        return "see /";
    }
}
