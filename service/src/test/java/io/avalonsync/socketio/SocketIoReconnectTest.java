package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.SyncHarness;
import io.avalonsync.socketio.ReceivedEvents.Received;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** Refused tokens, server kicks and server restarts against the reference Socket.IO server. */
class SocketIoReconnectTest extends SocketIoServerTestSupport {

    /** The reference server's pingInterval + pingTimeout: when a silent connection is given up at the latest. */
    private static final long PING_TIMEOUT_MILLIS = 45_000;

    @Test
    void refusedTokenIsRenewedAndTheNextOneAccepted() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        RecordingTokenProvider tokens = startRoute("&events=asset:new", "expired", "good1");

        server.await(line -> line.equals("rejected expired"));
        server.await(line -> line.equals("connected good1"));
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);
        assertEquals(List.of(false, true), tokens.calls());

        server.emit("asset:new", "{\"asset_id\":\"a1\"}");
        assertEquals("{\"asset_id\":\"a1\"}", received.awaitNamed("asset:new", 1).get(0).body());
        assertEquals(1, received.named(SocketIoConstants.CONNECTED).size());
    }

    @Test
    void serverKickRenewsTheTokenAndReconnects() throws Exception {
        server = ReferenceSocketIoServer.start("good1,good2");
        RecordingTokenProvider tokens = startRoute("&events=asset:new", "good1", "good2");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        server.send("kick");
        Received disconnected = received.awaitNamed(SocketIoConstants.DISCONNECTED, 1).get(0);
        assertEquals("io server disconnect", disconnected.headers().get(SocketIoConstants.REASON));
        server.await(line -> line.equals("connected good2"));
        received.awaitNamed(SocketIoConstants.CONNECTED, 2);
        assertEquals(List.of(false, true), tokens.calls());

        server.emit("asset:new", "{\"asset_id\":\"after-kick\"}");
        assertEquals("{\"asset_id\":\"after-kick\"}", received.awaitNamed("asset:new", 1).get(0).body());
        List<String> order = received.all().stream().map(Received::event).toList();
        assertEquals(List.of(SocketIoConstants.CONNECTED, SocketIoConstants.DISCONNECTED, SocketIoConstants.CONNECTED,
                "asset:new"), order);
    }

    @Test
    void serverRestartOnTheSamePortReconnectsWithOneWarning() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        try (LogCapture log = new LogCapture(SocketIoConsumer.class)) {
            RecordingTokenProvider tokens = startRoute("&events=asset:new", "good1");
            received.awaitNamed(SocketIoConstants.CONNECTED, 1);
            server.emit("asset:new", "{\"asset_id\":\"before\"}");
            received.awaitNamed("asset:new", 1);

            server.kill();
            received.awaitNamed(SocketIoConstants.DISCONNECTED, 1);
            // several failed attempts while nobody listens on the port
            SyncHarness.await("two failed reconnect attempts", 30_000, () -> log.messages(Level.DEBUG).stream()
                    .filter(m -> m.startsWith("Still no connection")).count() >= 2);
            server.restart();
            received.awaitNamed(SocketIoConstants.CONNECTED, 2);
            server.emit("asset:new", "{\"asset_id\":\"after\"}");
            received.awaitNamed("asset:new", 2);

            assertEquals(List.of("{\"asset_id\":\"before\"}", "{\"asset_id\":\"after\"}"),
                    received.named("asset:new").stream().map(Received::body).toList());
            List<String> warnings = log.messages(Level.WARN);
            assertEquals(1, warnings.size(), "one WARN for the whole outage: " + warnings);
            assertTrue(log.messages(Level.DEBUG).stream().filter(m -> m.startsWith("Still no connection")).count() >= 2,
                    "the failed retries are logged at DEBUG: " + log.messages(Level.DEBUG));
            int attempts = reconnectAttempts(log.messages(Level.INFO));
            assertTrue(attempts >= 2, "reconnected after " + attempts + " attempts");
            // a transport failure does not make the token suspect: the library retried with the same one
            assertEquals(List.of(false), tokens.calls());
        }
    }

    @Test
    void aTokenRefusedForeverIsRetriedWithBackoffAndWarnedOnce() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        try (LogCapture log = new LogCapture(SocketIoConsumer.class)) {
            RecordingTokenProvider tokens = startRoute("&events=asset:new", "bad1", "bad2", "bad3");
            server.await(line -> line.equals("rejected bad1"));
            long rejected = System.nanoTime();
            SyncHarness.await("four token renewals", 30_000, () -> tokens.renewals() >= 4);
            long millis = (System.nanoTime() - rejected) / 1_000_000;
            // backoff of 100 ms doubling to 1000 ms: four renewals take at least 100 + 200 + 400 ms; a fixed 100 ms
            // delay would make them in about 400 ms (a loaded machine only makes it slower)
            assertTrue(millis >= 650, "four renewals within " + millis + " ms of the first refusal");
            assertEquals(1, log.messages(Level.WARN).size(), "warned once: " + log.messages(Level.WARN));
            assertTrue(received.named(SocketIoConstants.CONNECTED).isEmpty());
        }
    }

    /**
     * A Zou restart: the server closes every connection with the WebSocket close handshake, then comes back on the
     * same port. The close must be noticed at once, not at the ping timeout (25 s + 20 s on the reference server).
     */
    @Test
    void aGracefulServerShutdownIsNoticedAtOnceAndReconnected() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        try (LogCapture log = new LogCapture(SocketIoConsumer.class)) {
            RecordingTokenProvider tokens = startRoute("&events=asset:new", "good1");
            received.awaitNamed(SocketIoConstants.CONNECTED, 1);

            long closed = System.nanoTime();
            server.send("shutdown");
            received.awaitNamed(SocketIoConstants.DISCONNECTED, 1);
            long noticedMillis = (System.nanoTime() - closed) / 1_000_000;
            assertTrue(noticedMillis < PING_TIMEOUT_MILLIS / 3, "noticed after " + noticedMillis + " ms");

            server.restart();
            received.awaitNamed(SocketIoConstants.CONNECTED, 2);
            server.emit("asset:new", "{\"asset_id\":\"after-restart\"}");
            assertEquals("{\"asset_id\":\"after-restart\"}", received.awaitNamed("asset:new", 1).get(0).body());
            assertEquals(1, log.messages(Level.WARN).size(), "one WARN for the outage: " + log.messages(Level.WARN));
            assertEquals(List.of(false), tokens.calls(), "a clean close does not make the token suspect");
        }
    }

    /** An nginx reload: the connection is closed cleanly while the server goes on listening. */
    @Test
    void aCleanlyClosedConnectionIsReconnectedAtOnce() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        startRoute("&events=asset:new", "good1");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        long closed = System.nanoTime();
        server.send("close-connections");
        received.awaitNamed(SocketIoConstants.CONNECTED, 2);
        long reconnectedMillis = (System.nanoTime() - closed) / 1_000_000;
        assertTrue(reconnectedMillis < PING_TIMEOUT_MILLIS / 3, "reconnected after " + reconnectedMillis + " ms");
        assertEquals(1, received.named(SocketIoConstants.DISCONNECTED).size());

        server.emit("asset:new", "{\"asset_id\":\"after-close\"}");
        assertEquals("{\"asset_id\":\"after-close\"}", received.awaitNamed("asset:new", 1).get(0).body());
    }

    /** The TCP connection ends without a WebSocket close frame (a proxy or the network dropping it). */
    @Test
    void aCutTcpConnectionIsReconnectedAtOnce() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        startRoute("&events=asset:new", "good1");
        received.awaitNamed(SocketIoConstants.CONNECTED, 1);

        long cut = System.nanoTime();
        server.send("cut");
        received.awaitNamed(SocketIoConstants.CONNECTED, 2);
        long reconnectedMillis = (System.nanoTime() - cut) / 1_000_000;
        assertTrue(reconnectedMillis < PING_TIMEOUT_MILLIS / 3, "reconnected after " + reconnectedMillis + " ms");

        server.emit("asset:new", "{\"asset_id\":\"after-cut\"}");
        assertEquals("{\"asset_id\":\"after-cut\"}", received.awaitNamed("asset:new", 1).get(0).body());
    }

    private static int reconnectAttempts(List<String> infos) {
        Pattern reconnected = Pattern.compile("Reconnected to .* after (\\d+) attempts?");
        for (String info : infos) {
            Matcher matcher = reconnected.matcher(info);
            if (matcher.matches()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no 'Reconnected ... after N attempts' at INFO: " + infos);
    }
}
