package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Kitsu (Zou) server on loopback, speaking the real REST protocol over {@link KitsuData}: for tests,
 * benchmarks and the {@code demo} command. Besides serving data it can misbehave on request
 * (latency, failures, hangs, broken JSON, expired tokens) and counts what it was asked.
 * <p>
 * Every change to the data is also broadcast on Zou's Socket.IO event stream ({@link #eventsUrl()}, namespace
 * {@code /events}) and listed by {@code GET /api/data/events/last}. The stream can be cut, restarted, silenced
 * and fed raw frames, to exercise a listener's reconnect and catch-up.
 */
public final class KitsuSimulator implements AutoCloseable {

    public static final String EMAIL = "admin@example.com";
    public static final String PASSWORD = "mysecretpassword";

    private static final int THREADS = 8;
    private static final Pattern UUID_SEGMENT = Pattern.compile(
            "/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$)");
    private static final String NOT_FOUND = "The requested URL was not found on the server. If you entered"
            + " the URL manually please check your spelling and try again.";
    private static final String NOT_ALLOWED = "The method is not allowed for the requested URL.";

    private enum FaultKind { FAIL, HANG, MALFORMED }

    /** A planned misbehaviour for the next {@code remaining} requests whose whole path matches. */
    private static final class Fault {
        final FaultKind kind;
        final Pattern path;
        final int status;
        final long millis;
        int remaining;

        Fault(FaultKind kind, String pathRegex, int status, long millis, int times) {
            this.kind = kind;
            this.path = Pattern.compile(pathRegex);
            this.status = status;
            this.millis = millis;
            this.remaining = times;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final KitsuData data;
    private final ZouAuth auth = new ZouAuth(EMAIL, PASSWORD);
    private final ZouRoutes routes;
    private final List<Fault> faults = new ArrayList<>();
    private final LongAdder requestCount = new LongAdder();
    private final Map<String, LongAdder> requestCountsByRoute = new ConcurrentHashMap<>();
    private final ZouEventStream eventStream;
    private final Consumer<Map<String, Object>> eventForwarder = this::forwardEvent;
    private volatile long latencyMillis;
    private volatile boolean eventsEmitted = true;

    private KitsuSimulator(HttpServer server, ExecutorService executor, KitsuData data) {
        this.server = server;
        this.executor = executor;
        this.data = data;
        this.routes = new ZouRoutes(data, auth);
        this.eventStream = new ZouEventStream(server.getAddress().getAddress(), auth);
        // Everything lands here so that unknown paths get Zou's JSON 404 and are counted too
        server.createContext("/", this::handle);
    }

    /** Starts a simulator on 127.0.0.1; port 0 picks a free one. */
    public static KitsuSimulator start(int port, KitsuData data) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        // small answers otherwise wait ~40 ms for Nagle + delayed ACK; a real Zou behind nginx does not
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "kitsu-simulator-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        KitsuSimulator simulator = new KitsuSimulator(server, executor, data);
        server.start();
        try {
            simulator.eventStream.start(0);
        } catch (IOException e) {
            simulator.close();
            throw e;
        }
        data.addEventListener(simulator.eventForwarder);
        return simulator;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String apiUrl() {
        return baseUrl() + "/api";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public KitsuData data() {
        return data;
    }

    /** Changes the one account the server accepts; tokens already issued stay valid. */
    public void setCredentials(String email, String password) {
        auth.setCredentials(email, password);
    }

    // ---------------------------------------------------------------- misbehaviour on request

    /** Every request waits this long before it is answered. */
    public void setLatencyMillis(long millis) {
        latencyMillis = Math.max(0, millis);
    }

    /** The next {@code times} requests whose path (no query string) matches get {@code status} instead. */
    public void failNext(String pathRegex, int status, int times) {
        addFault(new Fault(FaultKind.FAIL, pathRegex, status, 0, times));
    }

    /** The next {@code times} matching requests are held for {@code millis} before being answered. */
    public void hangNext(String pathRegex, long millis, int times) {
        addFault(new Fault(FaultKind.HANG, pathRegex, 0, millis, times));
    }

    /** The next {@code times} matching requests get a 200 whose JSON body is cut off half way. */
    public void malformedNext(String pathRegex, int times) {
        addFault(new Fault(FaultKind.MALFORMED, pathRegex, 200, 0, times));
    }

    /** Forgets every planned failure, hang and malformed answer not yet used. */
    public void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

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

    // ---------------------------------------------------------------- request counting

    public long requestCount() {
        return requestCount.sum();
    }

    /** Counts keyed like {@code "GET /api/data/projects/{id}/assets"}, in key order. */
    public Map<String, Long> requestCountsByRoute() {
        Map<String, Long> counts = new TreeMap<>();
        requestCountsByRoute.forEach((route, count) -> counts.put(route, count.sum()));
        return counts;
    }

    public void resetCounts() {
        requestCountsByRoute.clear();
        requestCount.reset();
    }

    @Override
    public void close() {
        data.removeEventListener(eventForwarder);
        eventStream.close();
        server.stop(0);
        // interrupts requests still waiting on latency or a hang
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- request handling

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            ZouRoutes.Match match = routes.match(method, path);
            String template = match.route() != null
                    ? match.route().template() : UUID_SEGMENT.matcher(path).replaceAll("/{id}");
            countRequest(method + " " + template);

            pause(latencyMillis);
            Fault hang = takeFault(FaultKind.HANG, path);
            if (hang != null) {
                pause(hang.millis);
            }
            Fault failure = takeFault(FaultKind.FAIL, path);
            if (failure != null) {
                send(exchange, ZouReply.error(failure.status, "simulated failure"), false);
                return;
            }
            ZouReply reply = answer(exchange, match);
            send(exchange, reply, takeFault(FaultKind.MALFORMED, path) != null);
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
            writeFixed(exchange, 200, cut);
        } else if (reply.isStreamed()) {
            exchange.sendResponseHeaders(reply.status(), 0);
            reply.writeTo(exchange.getResponseBody());
        } else {
            writeFixed(exchange, reply.status(), reply.toBytes());
        }
    }

    private static void writeFixed(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void countRequest(String route) {
        requestCount.increment();
        requestCountsByRoute.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    private void addFault(Fault fault) {
        if (fault.remaining > 0) {
            synchronized (faults) {
                faults.add(fault);
            }
        }
    }

    private Fault takeFault(FaultKind kind, String path) {
        synchronized (faults) {
            for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
                Fault fault = it.next();
                if (fault.kind == kind && fault.path.matcher(path).matches()) {
                    if (--fault.remaining <= 0) {
                        it.remove();
                    }
                    return fault;
                }
            }
        }
        return null;
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
