package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The loopback HTTP server under each simulator (Kitsu, ShotGrid, Drive): the JDK server on 127.0.0.1 with its
 * own daemon threads, request counts by route, a latency for every request, and misbehaviour planned for the
 * next requests whose path matches (fail with a status, hang, answer malformed JSON).
 */
final class SimulatorServer implements AutoCloseable {

    enum Misbehaviour { FAIL, HANG, MALFORMED, ACT }

    /** A planned misbehaviour for the next {@code remaining} requests whose whole path matches. */
    static final class Plan {
        final Misbehaviour kind;
        final Pattern path;
        final int status;
        final long millis;
        final Runnable action;
        int remaining;

        Plan(Misbehaviour kind, String pathRegex, int status, long millis, int times) {
            this(kind, pathRegex, status, millis, times, null);
        }

        Plan(Misbehaviour kind, String pathRegex, int status, long millis, int times, Runnable action) {
            this.kind = kind;
            this.path = Pattern.compile(pathRegex);
            this.status = status;
            this.millis = millis;
            this.remaining = times;
            this.action = action;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Plan> plans = new ArrayList<>();
    private final LongAdder requestCount = new LongAdder();
    private final Map<String, LongAdder> requestCountsByRoute = new ConcurrentHashMap<>();
    private volatile long latencyMillis;

    private SimulatorServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A server on 127.0.0.1:{@code port} (0 picks a free one), not started: give it its handler, then start it. */
    static SimulatorServer create(int port, String threadName, int threads) throws IOException {
        // small answers otherwise wait ~40 ms for Nagle + delayed ACK; a real server behind a proxy does not
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, threadName + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        return new SimulatorServer(server, executor);
    }

    /** Every request goes to {@code handler}, so unknown paths are answered (and counted) as the real server does. */
    SimulatorServer handle(HttpHandler handler) {
        server.createContext("/", handler);
        return this;
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    InetAddress address() {
        return server.getAddress().getAddress();
    }

    // ---------------------------------------------------------------- misbehaviour

    void setLatencyMillis(long millis) {
        latencyMillis = Math.max(0, millis);
    }

    /** Waits the latency every request has; call first thing in the handler. */
    void latency() {
        pause(latencyMillis);
    }

    void plan(Misbehaviour kind, String pathRegex, int status, long millis, int times) {
        if (times > 0) {
            synchronized (plans) {
                plans.add(new Plan(kind, pathRegex, status, millis, times));
            }
        }
    }

    /** {@code action} runs once, when the next request whose path matches arrives, before it is answered. */
    void planAction(String pathRegex, Runnable action) {
        synchronized (plans) {
            plans.add(new Plan(Misbehaviour.ACT, pathRegex, 0, 0, 1, action));
        }
    }

    /** Waits the latency, then a planned hang, then runs a planned action: the common start of every request. */
    void beforeAnswer(String path) {
        latency();
        Plan hang = take(Misbehaviour.HANG, path);
        if (hang != null) {
            pause(hang.millis);
        }
        Plan act = take(Misbehaviour.ACT, path);
        if (act != null) {
            act.action.run();
        }
    }

    /** The planned misbehaviour of this kind for this path, used up by one request; null when none. */
    Plan take(Misbehaviour kind, String path) {
        synchronized (plans) {
            for (Iterator<Plan> it = plans.iterator(); it.hasNext(); ) {
                Plan plan = it.next();
                if (plan.kind == kind && plan.path.matcher(path).matches()) {
                    if (--plan.remaining <= 0) {
                        it.remove();
                    }
                    return plan;
                }
            }
        }
        return null;
    }

    void clearPlans() {
        synchronized (plans) {
            plans.clear();
        }
    }

    // ---------------------------------------------------------------- counting

    void count(String route) {
        requestCount.increment();
        requestCountsByRoute.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    long requestCount() {
        return requestCount.sum();
    }

    long requestCount(String route) {
        LongAdder count = requestCountsByRoute.get(route);
        return count == null ? 0 : count.sum();
    }

    /** Counts by route key, in key order. */
    Map<String, Long> requestCountsByRoute() {
        Map<String, Long> counts = new TreeMap<>();
        requestCountsByRoute.forEach((route, count) -> counts.put(route, count.sum()));
        return counts;
    }

    void resetCounts() {
        requestCountsByRoute.clear();
        requestCount.reset();
    }

    // ---------------------------------------------------------------- helpers

    static void writeFixed(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        // interrupts requests still waiting on latency or a hang
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
