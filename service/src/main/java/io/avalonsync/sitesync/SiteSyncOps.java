package io.avalonsync.sitesync;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Headers;
import org.bson.types.ObjectId;

/**
 * The site sync operations of the status server (bean {@code SiteSyncOps}): reset, pause and priority per file,
 * representation or project, and the queue overview. Parameters come as query or form fields, or as a JSON
 * object: {@code project} (collection, required), {@code representation}, {@code file}, {@code site},
 * {@code value}. A form post (the status page's buttons) is answered with a redirect back to the page.
 */
public class SiteSyncOps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FAILURES_SHOWN = 200;

    private final SiteRecords records;
    private final SiteQueue queue;
    private final SiteAdmin admin;
    private final boolean enabled;
    private final String node;

    public SiteSyncOps(SiteRecords records, SiteQueue queue, SiteAdmin admin, boolean enabled, String node) {
        this.records = Objects.requireNonNull(records, "records");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.enabled = enabled;
        this.node = node;
    }

    /** Per project: the counts per site and the failed files. */
    public Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        out.put("node", node);
        out.put("activeSite", records.activeSite());
        out.put("remoteSite", records.remoteSite());
        out.put("retryCount", records.retryCount());
        List<Map<String, Object>> projects = new ArrayList<>();
        Instant now = Instant.now();
        for (String project : queue.projects()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("project", project);
            List<Map<String, Object>> sites = new ArrayList<>();
            for (SiteQueueCounts c : queue.counts(project, now)) {
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
            for (SiteFailure f : queue.failures(project, FAILURES_SHOWN)) {
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

    /** GET /sitesync: the overview as JSON. */
    public String overviewJson(@Headers Map<String, Object> headers) throws IOException {
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(overview());
    }

    /** POST /sitesync/reset: forgets failures (tries, error, backoff) so the files are selected again. */
    public String reset(@Body String body, @Headers Map<String, Object> headers) throws IOException {
        return operate(body, headers, p -> answer(headers, "reset",
                admin.reset(p.project, p.representation, p.file, p.site)));
    }

    /** POST /sitesync/pause: value true (default) pauses, false resumes; site defaults to the remote site. */
    public String pause(@Body String body, @Headers Map<String, Object> headers) throws IOException {
        return operate(body, headers, p -> {
            boolean paused = p.value == null || Boolean.parseBoolean(p.value);
            return answer(headers, paused ? "paused" : "resumed", admin.pause(p.project, p.representation, p.file,
                    p.site == null ? records.remoteSite() : p.site, paused));
        });
    }

    /** POST /sitesync/priority: value 1–1000, higher first; site defaults to the remote site. */
    public String priority(@Body String body, @Headers Map<String, Object> headers) throws IOException {
        return operate(body, headers, p -> {
            int value;
            try {
                value = Integer.parseInt(p.value == null ? "" : p.value.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("value must be a whole number from 1 to 1000, got '" + p.value + "'");
            }
            if (value < 1 || value > 1000) {
                throw new BadRequest("value must be from 1 to 1000, got " + value);
            }
            return answer(headers, "priority " + value, admin.priority(p.project, p.representation, p.file,
                    p.site == null ? records.remoteSite() : p.site, value));
        });
    }

    /** POST /sitesync/run: the pass summary as JSON (or back to the page for a form post). */
    public String ran(@Body SiteSyncPass pass, @Headers Map<String, Object> headers) throws IOException {
        if (isForm(headers)) {
            return redirect(headers);
        }
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", String.valueOf(pass));
        out.put("pass", pass);
        return JSON.writeValueAsString(out);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    // The request's parameters, read from the JSON body and the query/form fields (which Camel gives as headers);
    // the response's status and type are written into the same headers.

    private record Params(String project, ObjectId representation, Object file, String site, String value) {
    }

    /** A request this service cannot act on: answered with 400 and the reason. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private interface Operation {
        String apply(Params params) throws IOException;
    }

    private String operate(String body, Map<String, Object> headers, Operation operation) throws IOException {
        try {
            return operation.apply(params(body, headers));
        } catch (BadRequest e) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            headers.put(Exchange.CONTENT_TYPE, "application/json");
            return JSON.writeValueAsString(Map.of("error", e.getMessage()));
        }
    }

    private Params params(String body, Map<String, Object> headers) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (body != null && body.trim().startsWith("{")) {
            JsonNode node = JSON.readTree(body);
            node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        for (String key : List.of("project", "representation", "file", "site", "value")) {
            Object header = headers.get(key);
            if (header != null && !String.valueOf(header).isBlank() && !values.containsKey(key)) {
                values.put(key, String.valueOf(header));
            }
        }
        values.replaceAll((k, v) -> v == null || v.isBlank() ? null : v.trim());
        String project = values.get("project");
        if (project == null) {
            throw new BadRequest("project is required (the project's collection name)");
        }
        ObjectId representation = null;
        if (values.get("representation") != null) {
            if (!ObjectId.isValid(values.get("representation"))) {
                throw new BadRequest("representation must be an ObjectId, got '" + values.get("representation") + "'");
            }
            representation = new ObjectId(values.get("representation"));
        }
        String fileText = values.get("file");
        Object file = fileText == null ? null : ObjectId.isValid(fileText) ? new ObjectId(fileText) : fileText;
        if (file != null && representation == null) {
            throw new BadRequest("file needs its representation");
        }
        String site = values.get("site");
        if (site != null && !site.equals(records.activeSite()) && !site.equals(records.remoteSite())) {
            throw new BadRequest("site must be " + records.activeSite() + " or " + records.remoteSite() + ", got '"
                    + site + "'");
        }
        return new Params(project, representation, file, site, values.get("value"));
    }

    private static String answer(Map<String, Object> headers, String what, long changed) throws IOException {
        if (isForm(headers)) {
            return redirect(headers);
        }
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        return JSON.writeValueAsString(Map.of("done", what, "representationsChanged", changed));
    }

    private static boolean isForm(Map<String, Object> headers) {
        Object type = headers.get(Exchange.CONTENT_TYPE);
        return type != null && String.valueOf(type).startsWith("application/x-www-form-urlencoded");
    }

    private static String redirect(Map<String, Object> headers) {
        headers.put(Exchange.HTTP_RESPONSE_CODE, 303);
        headers.put("Location", "/");
        headers.put(Exchange.CONTENT_TYPE, "text/plain");
        return "see /";
    }
}
