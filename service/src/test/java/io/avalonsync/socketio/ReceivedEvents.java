package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The end of a test route: keeps the event name, body and headers of every exchange, in arrival order. */
final class ReceivedEvents implements Processor {

    record Received(String event, Object body, Map<String, Object> headers, String thread) {
        boolean isSignal() {
            return event.startsWith("socketio:");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final List<Received> received = new ArrayList<>();
    private volatile String failOn;

    @Override
    public void process(Exchange exchange) {
        Map<String, Object> headers = new HashMap<>(exchange.getMessage().getHeaders());
        Object body = exchange.getMessage().getBody();
        synchronized (received) {
            received.add(new Received(exchange.getMessage().getHeader(SocketIoConstants.EVENT, String.class),
                    body, headers, Thread.currentThread().getName()));
            received.notifyAll();
        }
        if (failOn != null && body != null && body.toString().contains(failOn)) {
            throw new IllegalStateException("route failure for " + body);
        }
    }

    /** After recording it, fail the exchange of any body containing the text. */
    void failWhenBodyContains(String text) {
        this.failOn = text;
    }

    List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Everything except the connected/disconnected signals. */
    List<Received> events() {
        return all().stream().filter(r -> !r.isSignal()).toList();
    }

    List<Received> named(String event) {
        return all().stream().filter(r -> r.event().equals(event)).toList();
    }

    /** Waits until at least {@code expected} exchanges match, then returns all that match. */
    List<Received> await(Predicate<Received> condition, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (received) {
            while (received.stream().filter(condition).count() < expected) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("expected " + expected + " matching exchanges, got: " + received);
                }
                received.wait(left);
            }
            return received.stream().filter(condition).toList();
        }
    }

    List<Received> awaitNamed(String event, int expected) throws InterruptedException {
        return await(r -> r.event().equals(event), expected);
    }
}
