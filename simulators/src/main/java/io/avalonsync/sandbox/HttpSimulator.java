package io.avalonsync.sandbox;

import java.util.Map;

/**
 * What the tracker simulators (Kitsu, ShotGrid) share over their {@link SimulatorServer}: the loopback address,
 * misbehaviour on request (latency, failures, hangs, broken JSON) and request counts.
 */
public abstract class HttpSimulator implements AutoCloseable {

    final SimulatorServer http;

    HttpSimulator(SimulatorServer http) {
        this.http = http;
    }

    /** The server's URL on 127.0.0.1 (the value for {@code kitsu.url} / {@code shotgrid.url}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return http.port();
    }

    // ---------------------------------------------------------------- misbehaviour on request

    /** Every request waits this long before it is answered. */
    public void setLatencyMillis(long millis) {
        http.setLatencyMillis(millis);
    }

    /**
     * The next {@code times} requests whose path (no query string) matches get {@code status} instead, in the
     * tracker's error form (ShotGrid's error envelope; a 429 there also carries {@code Retry-After}).
     */
    public void failNext(String pathRegex, int status, int times) {
        http.plan(SimulatorServer.Misbehaviour.FAIL, pathRegex, status, 0, times);
    }

    /** The next {@code times} matching requests are held for {@code millis} before being answered. */
    public void hangNext(String pathRegex, long millis, int times) {
        http.plan(SimulatorServer.Misbehaviour.HANG, pathRegex, 0, millis, times);
    }

    /**
     * {@code action} runs when the next matching request arrives, before it is answered: a change someone makes
     * between two requests of the service (say, between its project list and its event log read).
     */
    public void beforeNext(String pathRegex, Runnable action) {
        http.planAction(pathRegex, action);
    }

    /** The next {@code times} matching requests get a 200 whose JSON body is cut off half way. */
    public void malformedNext(String pathRegex, int times) {
        http.plan(SimulatorServer.Misbehaviour.MALFORMED, pathRegex, 200, 0, times);
    }

    /** Forgets every planned failure, hang and malformed answer not yet used. */
    public void clearFaults() {
        http.clearPlans();
    }

    // ---------------------------------------------------------------- request counting

    public long requestCount() {
        return http.requestCount();
    }

    /**
     * Counts keyed by method and route, ids as placeholders, in key order: {@code "GET /api/data/projects/{id}/assets"},
     * {@code "POST /api/v1/entity/event_log_entries/_search"}.
     */
    public Map<String, Long> requestCountsByRoute() {
        return http.requestCountsByRoute();
    }

    public void resetCounts() {
        http.resetCounts();
    }

    @Override
    public void close() {
        http.close();
    }
}
