package io.avalonsync.sandbox;

import static io.avalonsync.sandbox.KitsuData.ASSET;
import static io.avalonsync.sandbox.KitsuData.ASSET_TYPE;
import static io.avalonsync.sandbox.KitsuData.ENTITY_TYPE;
import static io.avalonsync.sandbox.KitsuData.EPISODE;
import static io.avalonsync.sandbox.KitsuData.PROJECT;
import static io.avalonsync.sandbox.KitsuData.PROJECT_STATUS;
import static io.avalonsync.sandbox.KitsuData.SEQUENCE;
import static io.avalonsync.sandbox.KitsuData.SHOT;
import static io.avalonsync.sandbox.KitsuData.TASK;
import static io.avalonsync.sandbox.KitsuData.TASK_STATUS;
import static io.avalonsync.sandbox.KitsuData.TASK_TYPE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Zou REST routes the simulator answers, and the record views they return (Zou v1.0.67 shapes).
 * Routes are a plain table matched in order, so a literal segment ({@code /projects/open}) must be
 * registered before the variable one ({@code /projects/{id}}) it would otherwise fall into.
 */
final class ZouRoutes {

    static final String ZOU_VERSION = "1.0.67";

    /** Who may call a route: anybody, or the holder of an access or a refresh token. */
    enum Access { PUBLIC, ACCESS_TOKEN, REFRESH_TOKEN }

    interface Handler {
        ZouReply handle(Call call) throws IOException;
    }

    /** One request as a handler sees it; {@code id} is the {@code {id}} path segment, if the route has one. */
    record Call(String id, Map<String, String> query, byte[] body, String contentType, String token) {
    }

    record Route(String method, String template, Pattern pattern, Access access, Handler handler) {
    }

    /** The route for a request; without one, {@code pathKnown} tells a wrong method (405) from a wrong path (404). */
    record Match(Route route, String id, boolean pathKnown) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Zou caps /data/events/last at this many events per page
    private static final int MAX_EVENTS = 1000;
    private static final DateTimeFormatter ZOU_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ID_SEGMENT = Pattern.compile("\\{id}");
    private static final List<String> WITH_TASKS_TASK_KEYS = List.of(
            "id", "entity_id", "task_type_id", "task_status_id", "assignees", "priority", "difficulty",
            "estimation", "duration", "retake_count", "start_date", "due_date", "real_start_date", "end_date",
            "done_date", "last_comment_date", "last_preview_file_id", "data");

    private final KitsuData data;
    private final ZouAuth auth;
    private final List<Route> routes = new ArrayList<>();

    ZouRoutes(KitsuData data, ZouAuth auth) {
        this.data = data;
        this.auth = auth;

        Handler index = call -> ZouReply.ok(Map.of("api", "Zou", "version", ZOU_VERSION));
        add("GET", "/api/", Access.PUBLIC, index);
        add("GET", "/api", Access.PUBLIC, index);
        add("POST", "/api/auth/login", Access.PUBLIC, this::login);
        add("GET", "/api/auth/refresh-token", Access.REFRESH_TOKEN, call -> ZouReply.ok(
                Map.of("access_token", auth.issue(ZouAuth.Kind.ACCESS, personId()))));
        add("GET", "/api/auth/authenticated", Access.ACCESS_TOKEN, call -> ZouReply.ok(
                mapOf("authenticated", true, "user", user(), "organisation", organisation())));
        add("GET", "/api/auth/logout", Access.ACCESS_TOKEN, call -> {
            auth.revoke(call.token());
            return ZouReply.ok(Map.of("logout", true));
        });

        get("/api/data/projects/open", call -> ZouReply.list(openProjects(), this::projectListView));
        get("/api/data/projects/all", call -> ZouReply.list(data.ofType(PROJECT),
                p -> withoutRelations(projectListView(p))));
        get("/api/data/projects", call -> ZouReply.list(data.ofType(PROJECT),
                "true".equalsIgnoreCase(call.query().get("relations")) ? p -> p : ZouRoutes::withoutRelations));
        get("/api/data/projects/{id}", call -> one(call, PROJECT, "Project",
                p -> with(p, "project_status_name", statusName(p))));
        get("/api/data/project-status", call -> ZouReply.list(data.ofType(PROJECT_STATUS)));

        get("/api/data/task-types", call -> ZouReply.list(data.ofType(TASK_TYPE)));
        get("/api/data/task-types/{id}", call -> one(call, TASK_TYPE, "Task type", t -> t));
        get("/api/data/projects/{id}/task-types", this::projectTaskTypes);
        get("/api/data/task-status", call -> ZouReply.list(data.ofType(TASK_STATUS)));
        get("/api/data/task-status/{id}", call -> one(call, TASK_STATUS, "Task status", s -> s));
        get("/api/data/asset-types", call -> ZouReply.list(data.ofType(ASSET_TYPE),
                t -> with(t, "task_types", List.of())));
        get("/api/data/asset-types/{id}", call -> one(call, ASSET_TYPE, "Asset type", t -> t));
        get("/api/data/projects/{id}/asset-types", this::projectAssetTypes);
        get("/api/data/entity-types", call -> ZouReply.list(entityTypes(), t -> with(t, "type", ENTITY_TYPE)));
        get("/api/data/entity-types/{id}", this::entityType);

        get("/api/data/projects/{id}/assets", call -> projectList(call, ASSET));
        get("/api/data/projects/{id}/episodes", call -> projectList(call, EPISODE));
        get("/api/data/projects/{id}/sequences", call -> projectList(call, SEQUENCE));
        get("/api/data/projects/{id}/shots", call -> projectList(call, SHOT));
        get("/api/data/projects/{id}/tasks", call -> projectList(call, TASK));

        get("/api/data/assets/{id}", call -> one(call, ASSET, "Asset", this::fullAsset));
        get("/api/data/episodes/{id}", call -> one(call, EPISODE, "Episode",
                e -> with(e, "project_name", nameOf(e.get("project_id")))));
        get("/api/data/sequences/{id}", call -> one(call, SEQUENCE, "Sequence", this::fullSequence));
        get("/api/data/shots/{id}", call -> one(call, SHOT, "Shot", this::fullShot));
        for (String kind : List.of(ASSET, EPISODE, SEQUENCE, SHOT)) {
            String plural = kind.toLowerCase() + "s";
            get("/api/data/" + plural + "/{id}/tasks", call -> entityTasks(call, kind));
        }
        get("/api/data/tasks/{id}", call -> one(call, TASK, "Task", t -> t));
        get("/api/data/tasks/{id}/full", call -> one(call, TASK, "Task", this::fullTask));
        // the catch-up side of the event stream; the Socket.IO stream itself is ZouEventStream, on its own port
        get("/api/data/events/last", this::lastEvents);
    }

    /** A read route for holders of an access token: nearly all of Zou's data API. */
    private void get(String template, Handler handler) {
        add("GET", template, Access.ACCESS_TOKEN, handler);
    }

    /** Registers a route; the template's {@code {id}} matches one path segment. */
    void add(String method, String template, Access access, Handler handler) {
        Pattern pattern = Pattern.compile(ID_SEGMENT.matcher(Pattern.quote(template))
                .replaceAll(Matcher.quoteReplacement("\\E([^/]+)\\Q")));
        routes.add(new Route(method, template, pattern, access, handler));
    }

    Match match(String method, String path) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                if (route.method().equals(method)) {
                    return new Match(route, matcher.groupCount() > 0 ? matcher.group(1) : null, true);
                }
                pathKnown = true;
            }
        }
        return new Match(null, null, pathKnown);
    }

    // ---------------------------------------------------------------- auth

    private ZouReply login(Call call) {
        String email;
        String password;
        try {
            if (call.contentType() != null && call.contentType().startsWith("application/x-www-form-urlencoded")) {
                Map<String, String> form = KitsuSimulator.parseQuery(new String(call.body(), StandardCharsets.UTF_8));
                email = form.get("email");
                password = form.get("password");
            } else {
                JsonNode json = MAPPER.readTree(call.body());
                email = json != null && json.path("email").isTextual() ? json.get("email").asText() : null;
                password = json != null && json.path("password").isTextual() ? json.get("password").asText() : null;
            }
        } catch (IOException e) {
            return ZouReply.json(400, Map.of("login", false));
        }
        if (!auth.accepts(email, password)) {
            return ZouReply.json(400, Map.of("login", false));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user());
        body.put("organisation", organisation());
        body.put("login", true);
        body.put("access_token", auth.issue(ZouAuth.Kind.ACCESS, personId()));
        body.put("refresh_token", auth.issue(ZouAuth.Kind.REFRESH, personId()));
        return ZouReply.ok(body);
    }

    private Map<String, Object> user() {
        return with(data.adminPerson(), "email", auth.email());
    }

    private String personId() {
        return (String) data.adminPerson().get("id");
    }

    private static Map<String, Object> organisation() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", "00000000-0000-4000-8000-000000000001");
        o.put("type", "Organisation");
        o.put("name", "Kitsu");
        o.put("hours_by_day", 8.0);
        o.put("has_avatar", false);
        o.put("use_original_file_name", false);
        o.put("timesheets_locked", false);
        o.put("format_duration_in_hours", false);
        o.put("hd_by_default", false);
        o.put("chat_token_slack", "");
        o.put("chat_webhook_mattermost", "");
        o.put("chat_token_discord", "");
        return o;
    }

    // ---------------------------------------------------------------- projects and settings

    private List<Map<String, Object>> openProjects() {
        List<Map<String, Object>> open = new ArrayList<>();
        for (Map<String, Object> project : data.ofType(PROJECT)) {
            if (data.isOpen(project)) {
                open.add(project);
            }
        }
        return open;
    }

    /** The extra columns Zou's project list routes (/open, /all) compute. */
    private Map<String, Object> projectListView(Map<String, Object> project) {
        Map<String, Object> view = with(project, "project_status_name", statusName(project));
        view.put("descriptors", List.of());
        view.put("task_types_priority", Map.of());
        view.put("task_statuses_link", Map.of());
        if ("tvshow".equals(project.get("production_type"))) {
            List<Map<String, Object>> episodes = data.inProject((String) project.get("id"), EPISODE);
            view.put("first_episode_id", episodes.isEmpty() ? null : episodes.get(0).get("id"));
        }
        return view;
    }

    /** The CRUD list leaves out many-to-many columns unless {@code ?relations=true}. */
    private static Map<String, Object> withoutRelations(Map<String, Object> project) {
        Map<String, Object> view = new LinkedHashMap<>(project);
        KitsuData.PROJECT_RELATIONS.forEach(view::remove);
        return view;
    }

    private String statusName(Map<String, Object> project) {
        return nameOf(project.get("project_status_id"));
    }

    private ZouReply projectTaskTypes(Call call) {
        Map<String, Object> project = data.record(call.id());
        if (!isA(project, PROJECT)) {
            return ZouReply.notFound("Project not found");
        }
        List<Map<String, Object>> taskTypes = new ArrayList<>();
        for (Object id : (List<?>) project.get("task_types")) {
            Map<String, Object> taskType = data.record((String) id);
            if (isA(taskType, TASK_TYPE)) {
                taskTypes.add(taskType);
            }
        }
        return ZouReply.list(taskTypes);
    }

    /** Only the asset types that have assets in the project, which is what Zou answers here. */
    private ZouReply projectAssetTypes(Call call) {
        if (!isA(data.record(call.id()), PROJECT)) {
            return ZouReply.notFound("Project not found");
        }
        Set<Object> used = new LinkedHashSet<>();
        data.inProject(call.id(), ASSET).forEach(a -> used.add(a.get("entity_type_id")));
        List<Map<String, Object>> types = new ArrayList<>();
        for (Map<String, Object> type : data.ofType(ASSET_TYPE)) {
            if (used.contains(type.get("id"))) {
                types.add(type);
            }
        }
        return ZouReply.list(types);
    }

    private List<Map<String, Object>> entityTypes() {
        List<Map<String, Object>> types = new ArrayList<>(data.ofType(ENTITY_TYPE));
        types.addAll(data.ofType(ASSET_TYPE));
        return types;
    }

    private ZouReply entityType(Call call) {
        Map<String, Object> type = data.record(call.id());
        if (!isA(type, ENTITY_TYPE) && !isA(type, ASSET_TYPE)) {
            return ZouReply.notFound("Entity type not found");
        }
        return ZouReply.ok(with(type, "type", ENTITY_TYPE));
    }

    // ---------------------------------------------------------------- entities and tasks

    private ZouReply projectList(Call call, String type) {
        if (!isA(data.record(call.id()), PROJECT)) {
            return ZouReply.notFound("Project not found");
        }
        return ZouReply.list(data.inProject(call.id(), type));
    }

    private Map<String, Object> fullAsset(Map<String, Object> asset) {
        Map<String, Object> full = new LinkedHashMap<>(asset);
        full.remove("source_id");
        full.remove("nb_frames");
        full.put("project_name", nameOf(asset.get("project_id")));
        full.put("asset_type_id", asset.get("entity_type_id"));
        full.put("asset_type_name", nameOf(asset.get("entity_type_id")));
        full.put("entities_out", List.of());
        full.put("entities_in", List.of());
        full.put("instance_casting", List.of());
        full.put("entity_concept_links", List.of());
        full.put("episode_id", asset.get("source_id"));
        full.put("casting_episode_ids", List.of());
        full.put("tasks", entityTaskSummaries(asset));
        return full;
    }

    private Map<String, Object> fullSequence(Map<String, Object> sequence) {
        Map<String, Object> full = with(sequence, "project_name", nameOf(sequence.get("project_id")));
        Map<String, Object> episode = data.record((String) sequence.get("parent_id"));
        if (episode != null) {
            full.put("episode_id", episode.get("id"));
            full.put("episode_name", episode.get("name"));
        }
        return full;
    }

    /** Zou's full shot surfaces frame range and fps from {@code data} and names its parents. */
    private Map<String, Object> fullShot(Map<String, Object> shot) {
        Map<String, Object> full = with(shot, "project_name", nameOf(shot.get("project_id")));
        Map<String, Object> sequence = data.record((String) shot.get("parent_id"));
        Map<String, Object> episode = sequence == null ? null : data.record((String) sequence.get("parent_id"));
        full.put("sequence_id", sequence == null ? null : sequence.get("id"));
        full.put("sequence_name", sequence == null ? null : sequence.get("name"));
        full.put("episode_id", episode == null ? null : episode.get("id"));
        full.put("episode_name", episode == null ? "" : episode.get("name"));
        Map<?, ?> frames = shot.get("data") instanceof Map<?, ?> map ? map : Map.of();
        full.put("frame_in", frames.get("frame_in"));
        full.put("frame_out", frames.get("frame_out"));
        full.put("fps", frames.get("fps"));
        full.put("tasks", entityTaskSummaries(shot));
        return full;
    }

    /** Tasks as the with-tasks routes embed them: ids only, no names. */
    private List<Map<String, Object>> entityTaskSummaries(Map<String, Object> entity) {
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Map<String, Object> task : data.tasksOf((String) entity.get("id"))) {
            Map<String, Object> summary = new LinkedHashMap<>();
            WITH_TASKS_TASK_KEYS.forEach(key -> summary.put(key, task.get(key)));
            summary.put("is_subscribed", false);
            summaries.add(summary);
        }
        return summaries;
    }

    /** The per-entity task route: each task with the names resolved, as avalon-sync used it. */
    private ZouReply entityTasks(Call call, String kind) {
        Map<String, Object> entity = data.record(call.id());
        if (!isA(entity, kind)) {
            return ZouReply.notFound(kind + " not found");
        }
        return ZouReply.list(data.tasksOf(call.id()), task -> {
            Map<String, Object> view = with(task, "project_name", nameOf(task.get("project_id")));
            view.put("task_type_name", nameOf(task.get("task_type_id")));
            view.put("task_status_name", nameOf(task.get("task_status_id")));
            view.put("entity_type_name", nameOf(entity.get("entity_type_id")));
            view.put("entity_name", entity.get("name"));
            return view;
        });
    }

    private Map<String, Object> fullTask(Map<String, Object> task) {
        Map<String, Object> entity = data.record((String) task.get("entity_id"));
        Map<String, Object> full = new LinkedHashMap<>(task);
        full.put("entity", entity);
        full.put("entity_type", entity == null ? null : data.record((String) entity.get("entity_type_id")));
        full.put("project", data.record((String) task.get("project_id")));
        full.put("task_type", data.record((String) task.get("task_type_id")));
        full.put("task_status", data.record((String) task.get("task_status_id")));
        full.put("persons", List.of());
        full.put("assigner", data.adminPerson());
        if (entity != null && (isA(entity, SHOT) || isA(entity, SEQUENCE))) {
            Map<String, Object> parent = data.record((String) entity.get("parent_id"));
            if (isA(entity, SHOT)) {
                full.put("sequence", parent);
                parent = parent == null ? null : data.record((String) parent.get("parent_id"));
            }
            full.put("episode", parent);
        }
        full.put("is_subscribed", false);
        return full;
    }

    // ---------------------------------------------------------------- events

    /** Zou allows managers and admins here; the one account is an admin, so holding a token is enough. */
    private ZouReply lastEvents(Call call) {
        Map<String, String> query = call.query();
        int limit;
        try {
            limit = Math.max(0, Math.min(Integer.parseInt(query.getOrDefault("limit", "100")), MAX_EVENTS));
        } catch (NumberFormatException e) {
            // what flask-restful's argument parser answers for a bad int
            return ZouReply.json(400, Map.of("message", Map.of("limit",
                    "invalid literal for int() with base 10: '" + query.get("limit") + "'")));
        }
        String projectId = query.get("project_id");
        if (projectId != null && !isUuid(projectId)) {
            return ZouReply.error(400, "The project_id parameter is not a valid id");
        }
        String cursor = query.get("cursor_event_id");
        if (cursor != null && !isUuid(cursor)) {
            return ZouReply.error(400, "The cursor_event_id parameter is not a valid id");
        }
        Long after;
        Long before;
        try {
            after = epochMicros(query.get("after"));
            before = epochMicros(query.get("before"));
        } catch (DateTimeParseException e) {
            // Zou's message, missing space included, whichever of the two is wrong
            return ZouReply.error(400, "Wrong date format for before argument."
                    + "Expected format: 2020-01-05T13:23:10 or 2020-01-05");
        }
        List<Map<String, Object>> events = data.lastEvents(
                new ZouEventLog.Filter(after, before, projectId, query.get("name"), cursor, limit));
        if (events == null) {
            return ZouReply.error(400, "No event found with id: " + cursor);
        }
        return ZouReply.list(events);
    }

    /** Naive UTC {@code YYYY-MM-DDTHH:MM:SS} or {@code YYYY-MM-DD} (midnight), as Zou parses them. */
    private static Long epochMicros(String value) {
        if (value == null) {
            return null;
        }
        LocalDateTime time = value.length() == 10
                ? LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay()
                : LocalDateTime.parse(value, ZOU_DATE_TIME);
        return time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }

    private static boolean isUuid(String value) {
        return UUID_TEXT.matcher(value).matches();
    }

    // ---------------------------------------------------------------- helpers

    private ZouReply one(Call call, String type, String label, UnaryOperator<Map<String, Object>> view) {
        Map<String, Object> record = data.record(call.id());
        if (!isA(record, type)) {
            return ZouReply.notFound(label + " not found");
        }
        return ZouReply.ok(view.apply(record));
    }

    private String nameOf(Object id) {
        Map<String, Object> record = id instanceof String key ? data.record(key) : null;
        return record == null ? null : (String) record.get("name");
    }

    private static boolean isA(Map<String, Object> record, String type) {
        return record != null && type.equals(record.get("type"));
    }

    /** A shallow copy with one field set; stored records are never modified. */
    private static Map<String, Object> with(Map<String, Object> record, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
