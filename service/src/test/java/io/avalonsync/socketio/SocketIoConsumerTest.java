package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.avalonsync.socketio.ReceivedEvents.Received;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.Test;

/** Events, payloads and route stop/start against the reference Socket.IO server. */
class SocketIoConsumerTest extends SocketIoServerTestSupport {

    @Test
    void subscribedEventsArriveInOrderWithNameBodyAndHeaders() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        RecordingTokenProvider tokens = startRoute("&events=asset:new, shot:update", "good1");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);
        server.await(line -> line.equals("connected good1"));

        long before = System.currentTimeMillis();
        List<String> expectedNames = new ArrayList<>();
        List<String> expectedBodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String event = i % 2 == 0 ? "asset:new" : "shot:update";
            // keys out of alphabetical order, nesting, and delimiters inside a string: all must survive verbatim
            String body = "{\"zeta\":" + i + ",\"asset_id\":\"a" + i + "\",\"project_id\":\"p1\","
                          + "\"data\":{\"b\":[1,2.5],\"a\":\"comma, ] brace } \\\"quoted\\\"\"}}";
            server.emit(event, body);
            server.emit("task:new", "{\"task_id\":\"t" + i + "\"}"); // not subscribed
            expectedNames.add(event);
            expectedBodies.add(body);
        }
        List<Received> events = received.await(r -> !r.isSignal(), 20);
        long after = System.currentTimeMillis();

        assertEquals(expectedNames, events.stream().map(Received::event).toList());
        assertEquals(expectedBodies, events.stream().map(Received::body).toList());
        for (Received event : events) {
            assertEquals("/events", event.headers().get(SocketIoConstants.NAMESPACE));
            long receivedAt = (Long) event.headers().get(SocketIoConstants.RECEIVED_AT);
            assertTrue(receivedAt >= before && receivedAt <= after, "received at " + receivedAt);
            assertTrue(event.thread().contains("SocketIoConsumer/events"), "processed on " + event.thread());
        }
        Received connected = received.all().get(0);
        assertEquals(SocketIoConstants.CONNECTED, connected.event(), "the signal precedes the events");
        assertNull(connected.body());
        assertEquals("/events", connected.headers().get(SocketIoConstants.NAMESPACE));
        assertEquals(List.of(false), tokens.calls());
        assertTrue(received.named("task:new").isEmpty());
    }

    @Test
    void nonObjectPayloadsAreDeliveredAsTheirText() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        startRoute("&events=*&token=good1"); // the fixed token option instead of a provider
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        server.emit("number", "42");
        server.emit("text", "\"plain text\"");
        server.emit("json-in-text", "\"{\\\"asset_id\\\":\\\"a1\\\"}\"");
        server.emit("array", "[1,\"two\",{\"three\":3}]");
        server.emit("null", "null");
        server.emit("boolean", "true");
        server.emitArgs("no-payload", "[]");
        server.emitArgs("two-args", "[{\"first\":1},\"second\"]");

        List<Received> events = received.await(r -> !r.isSignal(), 8);
        assertEquals(List.of("number", "text", "json-in-text", "array", "null", "boolean", "no-payload", "two-args"),
                events.stream().map(Received::event).toList());
        List<Object> bodies = events.stream().map(Received::body).toList();
        assertEquals("42", bodies.get(0));
        assertEquals("plain text", bodies.get(1));
        assertEquals("{\"asset_id\":\"a1\"}", bodies.get(2));
        assertEquals("[1,\"two\",{\"three\":3}]", bodies.get(3));
        assertEquals("null", bodies.get(4));
        assertEquals("true", bodies.get(5));
        assertNull(bodies.get(6));
        assertEquals("{\"first\":1}", bodies.get(7));
    }

    @Test
    void processingErrorsGoToTheExceptionHandlerAndLaterEventsStillFlow() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        ExceptionHandler recording = new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                handled.add(exception);
            }
        };
        received.failWhenBodyContains("boom");
        context().getRegistry().bind("errors", recording);
        startRoute("&events=asset:new&exceptionHandler=#errors", "good1");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        server.emit("asset:new", "{\"asset_id\":\"boom\"}");
        server.emit("asset:new", "{\"asset_id\":\"fine\"}");
        received.awaitNamed("asset:new", 2);
        assertEquals(1, handled.size(), "handled: " + handled);
        assertTrue(handled.get(0).getMessage().contains("boom"), handled.get(0).toString());
    }

    @Test
    void stoppingTheRouteDisconnectsCleanlyAndStartingReconnects() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        startRoute("&events=asset:new", "good1");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        context.getRouteController().stopRoute(ROUTE_ID);
        // "client namespace disconnect" is what the server reports for the client's 41 packet
        server.await(line -> line.equals("disconnected client namespace disconnect"));
        awaitNoThreadsNamed("SocketIoConsumer/events", "SocketIoReconnect/events");
        server.emit("asset:new", "{\"asset_id\":\"while-stopped\"}");

        context.getRouteController().startRoute(ROUTE_ID);
        server.awaitCount(line -> line.equals("connected good1"), 2);
        received.awaitNamed(SocketIoConstants.CONNECTED, 2);
        server.emit("asset:new", "{\"asset_id\":\"after-restart\"}");
        received.awaitNamed("asset:new", 1);
        assertEquals(List.of("{\"asset_id\":\"after-restart\"}"),
                received.named("asset:new").stream().map(Received::body).toList());
        assertTrue(received.named(SocketIoConstants.DISCONNECTED).isEmpty(), "no signal for our own stop");
    }

    private static void awaitNoThreadsNamed(String... fragments) throws InterruptedException {
        Set<String> alive = Set.of();
        for (int i = 0; i < 100; i++) {
            alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> List.of(fragments).stream().anyMatch(name::contains))
                    .collect(Collectors.toSet());
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("threads still running after the route stopped: " + alive);
    }
}
