package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * A ShotGrid (Flow Production Tracking) site on loopback speaking REST API v1 over {@link ShotGridData}: script
 * authentication ({@code POST /api/v1/auth/access_token}), entity reads ({@code GET /api/v1/entity/{type}},
 * {@code GET /api/v1/entity/{type}/{id}}), {@code POST /api/v1/entity/{type}/_search} with its two vendor
 * content types, and {@code event_log_entries} through the same routes. {@code /api/v1.1} is served too.
 * For tests, benchmarks and demos; it can also misbehave on request (latency, failures with ShotGrid's error
 * envelope, 429 with {@code Retry-After}, broken JSON, expired tokens) and counts what it was asked.
 */
public final class ShotGridSimulator extends HttpSimulator {

    /** The script (ApiUser) the simulator accepts until {@link #setCredentials} says otherwise. */
    public static final String SCRIPT_NAME = "avalon_sync";
    public static final String API_KEY = "0123456789abcdef0123456789abcdef01234567";

    public static final String ARRAY_CONTENT_TYPE = "application/vnd+shotgun.api3_array+json";
    public static final String HASH_CONTENT_TYPE = "application/vnd+shotgun.api3_hash+json";
    public static final int DEFAULT_PAGE_SIZE = 500;
    public static final int MAX_PAGE_SIZE = 5000;

    private static final int THREADS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API_PATH = Pattern.compile("/api/(v1|v1\\.1)(/.*)?");
    private static final Pattern ENTITY_PATH = Pattern.compile("/entity/([^/]+)(?:/(_search|\\d+))?/?");
    private static final Pattern DIGITS = Pattern.compile("(?<=/)\\d+(?=/|$)");
    private static final String FORM = "application/x-www-form-urlencoded";


    /** A status, a JSON body and extra headers. */
    private record Reply(int status, Object body, Map<String, String> headers) {
        static Reply ok(Object body) {
            return new Reply(200, body, Map.of());
        }

        static Reply of(ShotGridError error) {
            return new Reply(error.status(), error.body(), Map.of());
        }
    }

    private final ShotGridData data;
    private final ShotGridAuth auth = new ShotGridAuth(SCRIPT_NAME, API_KEY);
    private volatile int retryAfterSeconds = 1;

    private ShotGridSimulator(SimulatorServer http, ShotGridData data) {
        super(http);
        this.data = data;
        scriptUserId(SCRIPT_NAME);
        // everything lands here so that unknown paths get ShotGrid's JSON 404 and are counted too
        http.handle(this::handle);
    }

    /** Starts a simulator on 127.0.0.1; port 0 picks a free one. */
    public static ShotGridSimulator start(int port, ShotGridData data) throws IOException {
        ShotGridSimulator simulator = new ShotGridSimulator(SimulatorServer.create(port, "shotgrid-simulator", THREADS), data);
        simulator.http.start();
        return simulator;
    }

    public String apiUrl() {
        return baseUrl() + "/api/v1";
    }

    public ShotGridData data() {
        return data;
    }

    /** The ApiUser of the accepted script, as a link ({@code {"type": "ApiUser", "id": n}}). */
    public Map<String, Object> scriptUser() {
        return ShotGridData.link(ShotGridData.API_USER, scriptUserId(auth.scriptName()));
    }

    /** Changes the one script the site accepts (its ApiUser is created when missing); issued tokens stay valid. */
    public void setCredentials(String scriptName, String apiKey) {
        auth.setCredentials(scriptName, apiKey);
        scriptUserId(scriptName);
    }

    /** Lifetime of access tokens issued from now on ({@code expires_in}); a default site says 600. */
    public void setTokenLifetimeSeconds(long seconds) {
        auth.setLifetimeSeconds(seconds);
    }

    /** Every access token issued so far answers 401 from now on; refresh tokens keep working. */
    public void expireTokens() {
        auth.expireAccessTokens();
    }

    // ---------------------------------------------------------------- misbehaviour on request

    /** The {@code Retry-After} seconds a simulated 429 carries (default 1). */
    public void setRetryAfterSeconds(int seconds) {
        retryAfterSeconds = Math.max(0, seconds);
    }

    // ---------------------------------------------------------------- request handling

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            http.count(method + " " + DIGITS.matcher(path).replaceAll("{id}"));

            http.beforeAnswer(path);
            SimulatorServer.Plan failure = http.take(SimulatorServer.Misbehaviour.FAIL, path);
            if (failure != null) {
                send(exchange, simulatedFailure(failure.status), false);
                return;
            }
            Reply reply;
            try {
                reply = answer(exchange, method, path);
            } catch (ShotGridError e) {
                reply = Reply.of(e);
            } catch (RuntimeException e) {
                if (Boolean.getBoolean("shotgrid.simulator.debug")) {
                    e.printStackTrace();
                }
                reply = new Reply(500, ShotGridError.envelope(500, ShotGridError.INVALID, "Shotgun Server Error", null),
                        Map.of());
            }
            send(exchange, reply, http.take(SimulatorServer.Misbehaviour.MALFORMED, path) != null);
        } catch (IOException | RuntimeException e) {
            // the client went away mid-answer, or the simulator is closing: nothing left to tell anyone
        } finally {
            exchange.close();
        }
    }

    private Reply simulatedFailure(int status) {
        String title;
        int code = ShotGridError.INVALID;
        Object source = Map.of();
        Map<String, String> headers = Map.of();
        switch (status) {
            case 401: title = "Unauthorized"; code = ShotGridError.AUTH; break;
            case 403: title = "Forbidden"; break;
            case 404: title = "Record not found"; code = ShotGridError.NOT_FOUND; break;
            case 429:
                title = "Too Many Requests";
                headers = Map.of("Retry-After", Integer.toString(retryAfterSeconds));
                break;
            case 500: title = "Shotgun Server Error"; source = null; break;
            case 502: title = "Bad Gateway"; source = null; break;
            case 503: title = "Service Unavailable"; source = null; break;
            case 504: title = "Gateway Timeout"; source = null; break;
            default: title = "Simulated failure";
        }
        return new Reply(status, ShotGridError.envelope(status, code, title, source), headers);
    }

    private Reply answer(HttpExchange exchange, String method, String path) throws IOException {
        Matcher api = API_PATH.matcher(path);
        if (!api.matches() || api.group(2) == null) {
            throw notFound(path);
        }
        String prefix = "/api/" + api.group(1);
        String rest = api.group(2);
        Map<String, String> query = KitsuSimulator.parseQuery(exchange.getRequestURI().getRawQuery());
        if (rest.equals("/auth/access_token")) {
            if (!method.equals("POST")) {
                throw notFound(path);
            }
            return accessToken(exchange, query);
        }
        Matcher entity = ENTITY_PATH.matcher(rest);
        if (!entity.matches()) {
            throw notFound(path);
        }
        authorize(exchange);
        String type = ShotGridData.typeOfSlug(entity.group(1));
        if (type == null) {
            throw new ShotGridError(404, ShotGridError.INVALID, "Entity type '" + entity.group(1) + "' does not exist.",
                    Map.of("entity_type", entity.group(1)));
        }
        String tail = entity.group(2);
        if (tail == null && method.equals("GET")) {
            return list(prefix, type, query);
        }
        if ("_search".equals(tail) && method.equals("POST")) {
            return search(exchange, prefix, type, query);
        }
        if (tail != null && !tail.equals("_search") && method.equals("GET")) {
            return one(prefix, type, Integer.parseInt(tail), query);
        }
        throw notFound(path);
    }

    private static ShotGridError notFound(String path) {
        return new ShotGridError(404, ShotGridError.INVALID, "Not Found", Map.of("path", path));
    }

    // ---------------------------------------------------------------- auth

    private Reply accessToken(HttpExchange exchange, Map<String, String> query) throws IOException {
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (contentType != null && !contentType.equals(FORM)) {
            throw new ShotGridError(415, ShotGridError.INVALID, "Content-Type must be " + FORM,
                    Map.of("content_type", contentType));
        }
        // the documented form is the body; official clients send the same fields in the query string
        Map<String, String> params = new LinkedHashMap<>(query);
        params.putAll(KitsuSimulator.parseQuery(new String(body, StandardCharsets.UTF_8)));
        String grant = params.get("grant_type");
        ShotGridAuth.Tokens tokens;
        if ("client_credentials".equals(grant)) {
            String script = params.getOrDefault("client_id", "");
            if (!auth.scriptMatches(script, params.getOrDefault("client_secret", ""))) {
                throw new ShotGridError(400, ShotGridError.AUTH, "Can't authenticate script '" + script + "'", Map.of());
            }
            tokens = auth.issue(scriptUserId(script));
        } else if ("refresh_token".equals(grant)) {
            Integer user = auth.redeem(params.get("refresh_token"));
            if (user == null) {
                throw new ShotGridError(401, ShotGridError.AUTH, "Unauthorized", Map.of());
            }
            tokens = auth.issue(user);
        } else {
            throw new ShotGridError(400, ShotGridError.AUTH, "Unsupported grant_type", Map.of("grant_type",
                    String.valueOf(grant)));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("token_type", "Bearer");
        reply.put("access_token", tokens.accessToken());
        reply.put("expires_in", tokens.expiresInSeconds());
        reply.put("refresh_token", tokens.refreshToken());
        return Reply.ok(reply);
    }

    private void authorize(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (auth.check(token) != ShotGridAuth.Check.VALID) {
            throw new ShotGridError(401, ShotGridError.AUTH, "Unauthorized", null);
        }
    }

    /** The ApiUser whose {@code firstname} is the script name; created (without events) when missing. */
    private int scriptUserId(String scriptName) {
        synchronized (data) {
            Map<String, Object> user = data.findOne(ShotGridData.API_USER, "firstname", scriptName);
            if (user != null) {
                return (Integer) user.get("id");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("firstname", scriptName);
            fields.put("lastname", "1.0");
            fields.put("description", "Script");
            return data.insertWithoutEvents(ShotGridData.API_USER, fields);
        }
    }

    // ---------------------------------------------------------------- reads

    private Reply list(String prefix, String type, Map<String, String> query) {
        int size = pageNumber(query.get("page[size]"), DEFAULT_PAGE_SIZE, "size");
        int number = pageNumber(query.get("page[number]"), 1, "number");
        ShotGridQuery sg = new ShotGridQuery(data, type);
        Predicate<Map<String, Object>> filter = sg.queryFilters(query);
        List<String> fields = ShotGridQuery.fields(query.get("fields"));
        List<Map<String, Object>> page = data.select(type, retiredOnly(query.get("options[return_only]")), filter,
                sg.sort(query.get("sort")), (number - 1) * size, size, row -> sg.render(row, fields, prefix));
        String base = prefix + "/entity/" + ShotGridData.slug(type);
        IntFunction<String> pageLink = n -> base + "?page%5Bnumber%5D=" + n + "&page%5Bsize%5D=" + size;
        return Reply.ok(envelope(page, pageLink.apply(number), pageLink, number));
    }

    private Reply one(String prefix, String type, int id, Map<String, String> query) {
        ShotGridQuery sg = new ShotGridQuery(data, type);
        List<String> fields = ShotGridQuery.fields(query.get("fields"));
        List<Map<String, Object>> found = data.select(type, retiredOnly(query.get("options[return_only]")),
                row -> id == (Integer) row.get("id"), null, 0, 1, row -> sg.render(row, fields, prefix));
        if (found.isEmpty()) {
            throw new ShotGridError(404, ShotGridError.NOT_FOUND, "Record not found",
                    Map.of("entity", Map.of("type", type, "id", id)));
        }
        return Reply.ok(Map.of("data", found.get(0)));
    }

    private Reply search(HttpExchange exchange, String prefix, String type, Map<String, String> query)
            throws IOException {
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        byte[] raw = exchange.getRequestBody().readAllBytes();
        boolean array = ARRAY_CONTENT_TYPE.equals(contentType);
        if (!array && !HASH_CONTENT_TYPE.equals(contentType)) {
            throw new ShotGridError(415, ShotGridError.INVALID, "Content-Type must be one of: " + ARRAY_CONTENT_TYPE
                    + ", " + HASH_CONTENT_TYPE, Map.of("content_type", String.valueOf(contentType)));
        }
        if (accept != null && accept.contains("vnd+shotgun")) {
            throw new ShotGridError(406, ShotGridError.INVALID, "Not Acceptable: the response is application/json",
                    Map.of("accept", accept));
        }
        Map<?, ?> body;
        try {
            Object parsed = raw.length == 0 ? Map.of() : JSON.readValue(raw, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw ShotGridError.invalid("Invalid JSON body: expected an object");
            }
            body = map;
        } catch (JsonProcessingException e) {
            throw ShotGridError.invalid("Invalid JSON body");
        }
        ShotGridQuery sg = new ShotGridQuery(data, type);
        Predicate<Map<String, Object>> filter = array ? sg.arrayFilters(body.get("filters"))
                : sg.hashFilters(body.get("filters"));
        Map<?, ?> page = body.get("page") instanceof Map<?, ?> p ? p : Map.of();
        int size = pageNumber(first(page.get("size"), query.get("page[size]")), DEFAULT_PAGE_SIZE, "size");
        int number = pageNumber(first(page.get("number"), query.get("page[number]")), 1, "number");
        Map<?, ?> options = body.get("options") instanceof Map<?, ?> o ? o : Map.of();
        List<String> fields = ShotGridQuery.fields(body.containsKey("fields") ? body.get("fields") : query.get("fields"));
        Object sort = first(body.get("sort"), query.get("sort"));
        List<Map<String, Object>> rows = data.select(type, retiredOnly(options.get("return_only")), filter,
                sg.sort(sort == null ? null : String.valueOf(sort)), (number - 1) * size, size,
                row -> sg.render(row, fields, prefix));
        String base = prefix + "/entity/" + ShotGridData.slug(type) + "/_search";
        return Reply.ok(envelope(rows, base, n -> base + "?page%5Bnumber%5D=" + n, number));
    }

    /** {@code {data, links: {self, next, prev?}}}; {@code next} is there on every page, even an empty one. */
    private static Map<String, Object> envelope(List<Map<String, Object>> rows, String self,
                                                IntFunction<String> pageLink, int number) {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("next", pageLink.apply(number + 1));
        if (number > 1) {
            links.put("prev", pageLink.apply(number - 1));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("data", rows);
        reply.put("links", links);
        return reply;
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    private static boolean retiredOnly(Object returnOnly) {
        if (returnOnly == null || "active".equals(returnOnly)) {
            return false;
        }
        if ("retired".equals(returnOnly)) {
            return true;
        }
        throw ShotGridError.invalid("return_only must be one of: active, retired", Map.of("options", "return_only"));
    }

    private static int pageNumber(Object value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        int number;
        try {
            number = value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw ShotGridError.invalid(name + " must be an integer", Map.of("page", name));
        }
        if (number < 1) {
            throw ShotGridError.invalid(name + " must be greater than 0", Map.of("page", name));
        }
        if (name.equals("size") && number > MAX_PAGE_SIZE) {
            // the server's own wording (it accepts 5000 itself)
            throw ShotGridError.invalid("size must be less than " + MAX_PAGE_SIZE, Map.of("page", name));
        }
        return number;
    }

    private static String mediaType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase();
    }

    // ---------------------------------------------------------------- plumbing

    private static void send(HttpExchange exchange, Reply reply, boolean malformed) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = JSON.writeValueAsBytes(reply.body());
        if (malformed) {
            // any proper prefix of a JSON object is invalid; half way lands inside a record
            SimulatorServer.writeFixed(exchange, 200, Arrays.copyOf(body, Math.max(1, body.length / 2)));
        } else {
            SimulatorServer.writeFixed(exchange, reply.status(), body);
        }
    }

    private static void writeFixed(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

}
