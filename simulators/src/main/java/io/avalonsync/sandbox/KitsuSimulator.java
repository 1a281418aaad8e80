package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * A Kitsu (Zou) server on loopback, speaking the real REST protocol over {@link KitsuData}: for tests,
 * benchmarks and the {@code demo} command. Besides serving data it can misbehave on request
 * (latency, failures, hangs, broken JSON, expired tokens) and counts what it was asked.
 * <p>
 * Every change to the data is also broadcast on Zou's Socket.IO event stream ({@link #eventsUrl()}, namespace
 * {@code /events}) and listed by {@code GET /api/data/events/last}. The stream can be cut, restarted, silenced
 * and fed raw frames, to exercise a listener's reconnect and catch-up.
 */
public final class KitsuSimulator extends HttpSimulator {

    public static final String EMAIL = "admin@example.com";
    public static final String PASSWORD = "mysecretpassword";

    private static final int THREADS = 8;
    private static final Pattern UUID_SEGMENT = Pattern.compile(
            "/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$)");
    private static final String NOT_FOUND = "The requested URL was not found on the server. If you entered"
            + " the URL manually please check your spelling and try again.";
    private static final String NOT_ALLOWED = "The method is not allowed for the requested URL.";


    private final KitsuData data;
    private final ZouAuth auth = new ZouAuth(EMAIL, PASSWORD);
    private final ZouRoutes routes;
    private final ZouEventStream eventStream;
    private final Consumer<Map<String, Object>> eventForwarder = this::forwardEvent;
    private volatile boolean eventsEmitted = true;

    private KitsuSimulator(SimulatorServer http, KitsuData data) {
        super(http);
        this.data = data;
        this.routes = new ZouRoutes(data, auth);
        this.eventStream = new ZouEventStream(http.address(), auth);
        // Everything lands here so that unknown paths get Zou's JSON 404 and are counted too
        http.handle(this::handle);
    }

    /** Starts a simulator on 127.0.0.1; port 0 picks a free one. */
    public static KitsuSimulator start(int port, KitsuData data) throws IOException {
        KitsuSimulator simulator = new KitsuSimulator(SimulatorServer.create(port, "kitsu-simulator", THREADS), data);
        simulator.http.start();
        try {
            simulator.eventStream.start(0);
        } catch (IOException e) {
            simulator.close();
            throw e;
        }
        data.addEventListener(simulator.eventForwarder);
        return simulator;
    }

    public String apiUrl() {
        return baseUrl() + "/api";
    }

    public KitsuData data() {
        return data;
    }

    /** Changes the one account the server accepts; tokens already issued stay valid. */
    public void setCredentials(String email, String password) {
        auth.setCredentials(email, password);
    }

    // ---------------------------------------------------------------- misbehaviour on request

    /** All access tokens issued so far answer "Signature has expired"; refresh tokens keep working. */
    public void expireTokens() {
        auth.expireAccessTokens();
    }

    // ---------------------------------------------------------------- event stream

    /** Where Socket.IO clients connect: {@code eventsUrl() + "/events"} with path {@code /socket.io}. */
    public String eventsUrl() {
        return "http://127.0.0.1:" + eventStream.port();
    }

    /** Cuts every event stream connection without a goodbye, like a network failure. */
    public void dropConnections() {
        eventStream.dropConnections();
    }

    /**
     * With {@code false}, changes are still logged (and listed by {@code /data/events/last}) but not broadcast:
     * the events a listener misses while it is away.
     */
    public void setEventsEmitted(boolean emitted) {
        eventsEmitted = emitted;
    }

    /** Broadcasts {@code 42/events,["<eventName>",<rawJsonPayload>]} as is, even a broken payload; not logged. */
    public void emitRaw(String eventName, String rawJsonPayload) {
        eventStream.broadcast(eventName, rawJsonPayload);
    }

    /** The event stream goes away (clients are disconnected) until {@link #startEventStream()}. */
    public void stopEventStream() {
        eventStream.stop();
    }

    /** Brings the event stream back on the port it had. */
    public void startEventStream() {
        try {
            eventStream.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections that joined the {@code /events} namespace. */
    public int eventClients() {
        return eventStream.eventClients();
    }

    /** Engine.IO heartbeat for connections opened from now on; python-socketio's defaults are 25000/20000. */
    public void setPingInterval(long intervalMillis, long timeoutMillis) {
        eventStream.setPingInterval(intervalMillis, timeoutMillis);
    }

    private void forwardEvent(Map<String, Object> event) {
        // no JSON for nobody: bulk changes (a generated production) cost nothing while no client listens
        if (eventsEmitted && eventStream.eventClients() > 0) {
            eventStream.broadcast((String) event.get("name"), toJson(event.get("data")));
        }
    }

    private static String toJson(Object value) {
        try {
            return new String(ZouReply.ok(value).toBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        data.removeEventListener(eventForwarder);
        eventStream.close();
        super.close();
    }

    // ---------------------------------------------------------------- request handling

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            ZouRoutes.Match match = routes.match(method, path);
            String template = match.route() != null
                    ? match.route().template() : UUID_SEGMENT.matcher(path).replaceAll("/{id}");
            http.count(method + " " + template);

            http.beforeAnswer(path);
            SimulatorServer.Plan failure = http.take(SimulatorServer.Misbehaviour.FAIL, path);
            if (failure != null) {
                send(exchange, ZouReply.error(failure.status, "simulated failure"), false);
                return;
            }
            ZouReply reply = answer(exchange, match);
            send(exchange, reply, http.take(SimulatorServer.Misbehaviour.MALFORMED, path) != null);
        } catch (IOException | RuntimeException e) {
            // the client went away mid-answer, or the simulator is closing: nothing left to tell anyone
        } finally {
            exchange.close();
        }
    }

    private ZouReply answer(HttpExchange exchange, ZouRoutes.Match match) throws IOException {
        if (match.route() == null) {
            return match.pathKnown() ? ZouReply.json(405, Map.of("message", NOT_ALLOWED))
                    : ZouReply.notFound(NOT_FOUND);
        }
        String token = bearerToken(exchange);
        ZouReply denied = authorize(match.route().access(), token);
        if (denied != null) {
            return denied;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery();
        ZouRoutes.Call call = new ZouRoutes.Call(match.id(), parseQuery(query), body,
                exchange.getRequestHeaders().getFirst("Content-Type"), token);
        try {
            return match.route().handler().handle(call);
        } catch (RuntimeException e) {
            return ZouReply.error(500, String.valueOf(e.getMessage()));
        }
    }

    /** The same answers flask-jwt-extended and Zou give for each kind of bad token. */
    private ZouReply authorize(ZouRoutes.Access access, String token) {
        if (access == ZouRoutes.Access.PUBLIC) {
            return null;
        }
        if (token == null) {
            return ZouReply.json(401, Map.of("msg", "Missing Authorization Header"));
        }
        boolean wantsAccess = access == ZouRoutes.Access.ACCESS_TOKEN;
        switch (auth.check(token, wantsAccess ? ZouAuth.Kind.ACCESS : ZouAuth.Kind.REFRESH)) {
            case VALID:
                return null;
            case EXPIRED:
                return ZouReply.error(401, "Signature has expired");
            case WRONG_KIND:
                return ZouReply.json(422, Map.of("msg",
                        wantsAccess ? "Only non-refresh tokens are allowed" : "Only refresh tokens are allowed"));
            default:
                return ZouReply.json(401, Map.of("msg", "Invalid token"));
        }
    }

    private static String bearerToken(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return null;
        }
        String token = header.substring("Bearer ".length()).trim();
        return token.isEmpty() || token.contains(" ") ? null : token;
    }

    private static void send(HttpExchange exchange, ZouReply reply, boolean malformed) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (malformed) {
            byte[] whole = reply.toBytes();
            // any proper prefix of a JSON object or array is invalid; half way lands inside a record
            byte[] cut = Arrays.copyOf(whole, Math.max(1, whole.length / 2));
            SimulatorServer.writeFixed(exchange, 200, cut);
        } else if (reply.isStreamed()) {
            exchange.sendResponseHeaders(reply.status(), 0);
            reply.writeTo(exchange.getResponseBody());
        } else {
            SimulatorServer.writeFixed(exchange, reply.status(), reply.toBytes());
        }
    }

    private static void writeFixed(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
