package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream's Engine.IO / Socket.IO frames as they go over the wire, seen with a plain WebSocket client. */
class ZouEventStreamProtocolTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ENGINE_IO_4 = "/socket.io/?EIO=4&transport=websocket";

    /** Keeps every text frame and the close code; answers nothing unless told to. */
    static final class RawClient extends WebSocketClient {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        /** For a failure's message: what the connection went through (a frame once failed to come, with no clue). */
        volatile String closedWith;
        volatile Exception error;

        RawClient(URI uri, Map<String, String> headers) {
            super(uri, headers);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String frame) {
            frames.add(frame);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closedWith = code + " " + reason + (remote ? " (by the server)" : "");
            closed.countDown();
        }

        @Override
        public void onError(Exception e) {
            error = e;
        }

        String next() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, () -> "frame received; open " + isOpen() + ", closed " + closedWith + ", error " + error);
            return frame;
        }

        /** The next frame that is not a ping, answering pings on the way as a live client does. */
        String nextAnsweringPings() throws InterruptedException {
            String frame = next();
            while (frame.equals("2")) {
                send("3");
                frame = next();
            }
            return frame;
        }

        boolean awaitClosed() throws InterruptedException {
            return closed.await(10, TimeUnit.SECONDS);
        }
    }

    private final List<RawClient> clients = new ArrayList<>();
    private KitsuData data;
    private KitsuSimulator simulator;
    private String token;

    @BeforeEach
    void start() throws Exception {
        data = new KitsuData();
        simulator = KitsuSimulator.start(0, data);
        token = login();
    }

    @AfterEach
    void stop() {
        clients.forEach(WebSocketClient::close);
        simulator.close();
    }

    @Test
    void openPacketAnnouncesTheHeartbeatAndNoUpgrades() throws Exception {
        simulator.setPingInterval(1_500, 1_000);
        RawClient client = connect(ENGINE_IO_4, token);
        String open = client.next();
        assertEquals('0', open.charAt(0));
        JsonNode handshake = MAPPER.readTree(open.substring(1));
        assertEquals(List.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"), fieldNames(handshake));
        assertTrue(handshake.get("sid").asText().length() >= 16);
        assertEquals(0, handshake.get("upgrades").size());
        assertEquals(1_500, handshake.get("pingInterval").asInt());
        assertEquals(1_000, handshake.get("pingTimeout").asInt());
        assertEquals(1_000_000, handshake.get("maxPayload").asInt());
    }

    @Test
    void onlyEngineIo4OnTheSocketIoPathIsServed() throws Exception {
        for (String refused : List.of("/socket.io/?EIO=3&transport=websocket", "/engine.io/?EIO=4", "/socket.io/")) {
            RawClient client = new RawClient(URI.create(simulator.eventsUrl().replace("http", "ws") + refused),
                    Map.of("Authorization", "Bearer " + token));
            clients.add(client);
            // the handshake may succeed or not before the close: either way nothing is served
            client.connectBlocking(10, TimeUnit.SECONDS);
            assertTrue(client.awaitClosed(), refused + " closed");
            assertTrue(client.frames.isEmpty(), refused + " got no open packet");
        }
        assertEquals(0, simulator.eventClients());
    }

    @Test
    void joiningEventsChecksTheHandshakeHeaderNotThePayload() throws Exception {
        RawClient client = connect(ENGINE_IO_4, token);
        client.next();
        client.send("40/events,{\"token\":\"ignored\"}");
        String accepted = client.next();
        assertTrue(accepted.startsWith("40/events,{\"sid\":\""), accepted);
        assertEquals(1, simulator.eventClients());

        RawClient stranger = connect(ENGINE_IO_4, null);
        stranger.next();
        stranger.send("40/events,{\"token\":\"" + token + "\"}");
        assertEquals("44/events,{\"message\":\"unauthorized\"}", stranger.next());
        assertEquals(1, simulator.eventClients());
    }

    @Test
    void otherNamespacesAreInvalid() throws Exception {
        RawClient client = connect(ENGINE_IO_4, token);
        client.next();
        client.send("40/admin,");
        assertEquals("44/admin,{\"message\":\"Invalid namespace\"}", client.next());
        client.send("40");
        assertEquals("44{\"message\":\"Invalid namespace\"}", client.next());
        assertEquals(0, simulator.eventClients());
    }

    @Test
    void eventsAreBroadcastToJoinedClientsUntilTheyLeave() throws Exception {
        RawClient joined = joined();
        RawClient other = joined();
        RawClient notJoined = connect(ENGINE_IO_4, token);
        notJoined.next();

        String projectId = (String) data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080").get("id");
        String expected = "42/events,[\"project:new\",{\"project_id\":\"" + projectId + "\"}]";
        assertEquals(expected, joined.nextAnsweringPings());
        assertEquals(expected, other.nextAnsweringPings());

        other.send("41/events,");
        joined.send("2");
        assertEquals("3", joined.next(), "a client ping is answered");
        awaitEventClients(1);
        data.closeProject(projectId);
        assertTrue(joined.nextAnsweringPings().startsWith("42/events,[\"project:update\""));
        assertTrue(notJoined.frames.isEmpty() && other.frames.isEmpty());
    }

    @Test
    void emitRawSendsBrokenPayloadsVerbatim() throws Exception {
        RawClient client = joined();
        simulator.emitRaw("asset:update", "{\"asset_id\": broken");
        assertEquals("42/events,[\"asset:update\",{\"asset_id\": broken]", client.nextAnsweringPings());
        assertTrue(data.events().isEmpty(), "raw frames are not logged");
    }

    @Test
    void aClientThatStopsAnsweringPingsIsClosed() throws Exception {
        simulator.setPingInterval(200, 200);
        RawClient silent = joined();
        assertEquals("2", silent.next());
        assertTrue(silent.awaitClosed(), "closed after pingInterval + pingTimeout without a pong");
        awaitEventClients(0);
    }

    @Test
    void theAccessCookieIsAcceptedLikeTheHeader() throws Exception {
        RawClient client = new RawClient(URI.create(simulator.eventsUrl().replace("http", "ws") + ENGINE_IO_4),
                Map.of("Cookie", "other=1; access_token_cookie=" + token));
        clients.add(client);
        assertTrue(client.connectBlocking(10, TimeUnit.SECONDS));
        client.next();
        client.send("40/events,");
        assertTrue(client.next().startsWith("40/events,"));
    }

    // ---------------------------------------------------------------- helpers

    private RawClient joined() throws Exception {
        RawClient client = connect(ENGINE_IO_4, token);
        client.next();
        client.send("40/events,");
        assertTrue(client.next().startsWith("40/events,"));
        return client;
    }

    private RawClient connect(String pathAndQuery, String bearer) throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        RawClient client = new RawClient(URI.create(simulator.eventsUrl().replace("http", "ws") + pathAndQuery),
                headers);
        clients.add(client);
        assertTrue(client.connectBlocking(10, TimeUnit.SECONDS), "WebSocket handshake");
        return client;
    }

    private void awaitEventClients(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (simulator.eventClients() != expected) {
            assertTrue(System.nanoTime() < deadline, "eventClients() stayed " + simulator.eventClients());
            Thread.sleep(20);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private String login() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + KitsuSimulator.EMAIL
                        + "\",\"password\":\"" + KitsuSimulator.PASSWORD + "\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body()).get("access_token").asText();
    }
}
