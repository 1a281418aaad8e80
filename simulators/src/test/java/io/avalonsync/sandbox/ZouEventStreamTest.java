package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import io.socket.engineio.client.transports.WebSocket;
import io.socket.engineio.parser.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's Socket.IO stream, driven by the Java client the sync uses (socket.io-client 2.1.2). */
class ZouEventStreamTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long WAIT_SECONDS = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private KitsuData data;
    private KitsuSimulator simulator;
    private String projectId;
    private String assetTypeId;
    private String token;

    @BeforeEach
    void start() throws Exception {
        data = new KitsuData();
        projectId = (String) data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080").get("id");
        assetTypeId = (String) data.addAssetType("Character", "chr").get("id");
        simulator = KitsuSimulator.start(0, data);
        token = login();
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        simulator.close();
    }

    @Test
    void connectsWithAValidTokenAndReceivesAssetNew() throws Exception {
        assertTrue(simulator.eventsUrl().matches("http://127\\.0\\.0\\.1:\\d+"));
        Socket socket = socket(token, false);
        BlockingQueue<Object> received = queue(socket, "asset:new");
        connect(socket);
        assertEquals(1, simulator.eventClients());

        String assetId = (String) data.addAsset(projectId, assetTypeId, "Boris").get("id");

        JsonNode payload = json(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(MAPPER.valueToTree(Map.of("asset_id", assetId, "asset_type", assetTypeId,
                "project_id", projectId)), payload);
    }

    @Test
    void badOrExpiredTokensGetConnectErrorUnauthorized() throws Exception {
        assertEquals("{\"message\":\"unauthorized\"}", connectError(socket("not-a-token", false)));

        simulator.expireTokens();
        assertEquals("{\"message\":\"unauthorized\"}", connectError(socket(token, false)));
        assertEquals(0, simulator.eventClients());
    }

    @Test
    void theTokenIsCheckedOnlyAtConnect() throws Exception {
        Socket socket = socket(token, false);
        BlockingQueue<Object> received = queue(socket, "episode:new");
        connect(socket);
        simulator.expireTokens();

        data.addEpisode(projectId, "E01");
        assertNotNull(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void droppedConnectionsAreSeenAndReconnected() throws Exception {
        Socket socket = socket(token, true);
        BlockingQueue<Object> disconnects = queue(socket, Socket.EVENT_DISCONNECT);
        CountDownLatch reconnected = new CountDownLatch(2);
        socket.on(Socket.EVENT_CONNECT, args -> reconnected.countDown());
        BlockingQueue<Object> received = queue(socket, "episode:new");
        connect(socket);

        simulator.dropConnections();

        assertNotNull(disconnects.poll(WAIT_SECONDS, TimeUnit.SECONDS), "disconnect seen");
        assertTrue(reconnected.await(WAIT_SECONDS, TimeUnit.SECONDS), "reconnected");
        awaitTrue(() -> simulator.eventClients() == 1);
        data.addEpisode(projectId, "E01");
        assertNotNull(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aRestartedStreamComesBackOnTheSamePort() throws Exception {
        String url = simulator.eventsUrl();
        Socket socket = socket(token, true);
        BlockingQueue<Object> disconnects = queue(socket, Socket.EVENT_DISCONNECT);
        CountDownLatch reconnected = new CountDownLatch(2);
        socket.on(Socket.EVENT_CONNECT, args -> reconnected.countDown());
        BlockingQueue<Object> received = queue(socket, "episode:new");
        connect(socket);

        simulator.stopEventStream();
        assertNotNull(disconnects.poll(WAIT_SECONDS, TimeUnit.SECONDS), "disconnect seen");
        assertEquals(0, simulator.eventClients());
        data.addEpisode(projectId, "while away");

        simulator.startEventStream();
        assertEquals(url, simulator.eventsUrl());
        assertTrue(reconnected.await(WAIT_SECONDS, TimeUnit.SECONDS), "reconnected");
        String episodeId = (String) data.addEpisode(projectId, "E02").get("id");

        JsonNode first = json(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(episodeId, first.get("episode_id").asText(), "the event made while away is not replayed");
    }

    @Test
    void silencedEventsAreLoggedButNotBroadcast() throws Exception {
        Socket socket = socket(token, false);
        BlockingQueue<Object> received = queue(socket, "asset:new");
        connect(socket);

        simulator.setEventsEmitted(false);
        String missed = (String) data.addAsset(projectId, assetTypeId, "Missed").get("id");
        simulator.setEventsEmitted(true);
        String heard = (String) data.addAsset(projectId, assetTypeId, "Heard").get("id");

        // one connection delivers in order: the first event to arrive shows whether the missed one was sent
        assertEquals(heard, json(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).get("asset_id").asText());
        HttpResponse<String> last = http.send(HttpRequest.newBuilder(
                URI.create(simulator.apiUrl() + "/data/events/last?name=asset:new"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode logged = MAPPER.readTree(last.body());
        assertEquals(List.of(heard, missed), List.of(logged.get(0).at("/data/asset_id").asText(),
                logged.get(1).at("/data/asset_id").asText()));
    }

    @Test
    void emitRawDeliversThePayloadAsWritten() throws Exception {
        Socket socket = socket(token, false);
        BlockingQueue<Object> received = queue(socket, "shot:update");
        connect(socket);

        String raw = "{\"shot_id\":\"not-a-uuid\",\"nested\":{\"list\":[1,2.5,null,\"x\"]},\"extra\":true}";
        simulator.emitRaw("shot:update", raw);

        assertEquals(MAPPER.readTree(raw), json(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)));
    }

    @Test
    void serverPingsKeepAHealthyClientConnected() throws Exception {
        simulator.setPingInterval(300, 300);
        Socket socket = socket(token, false);
        CountDownLatch pings = new CountDownLatch(3);
        AtomicInteger disconnects = new AtomicInteger();
        socket.on(Socket.EVENT_DISCONNECT, args -> disconnects.incrementAndGet());
        // the engine's packets are only visible on its transport
        socket.io().on(Manager.EVENT_TRANSPORT, args -> ((Transport) args[0]).on(Transport.EVENT_PACKET,
                packet -> {
                    if (Packet.PING.equals(((Packet<?>) packet[0]).type)) {
                        pings.countDown();
                    }
                }));
        BlockingQueue<Object> received = queue(socket, "episode:new");
        connect(socket);

        assertTrue(pings.await(WAIT_SECONDS, TimeUnit.SECONDS), "three pings, one per interval");
        assertEquals(0, disconnects.get());
        assertTrue(socket.connected());
        assertEquals(1, simulator.eventClients());
        data.addEpisode(projectId, "E01");
        assertNotNull(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- helpers

    private Socket socket(String bearer, boolean reconnection) {
        IO.Options options = IO.Options.builder()
                .setTransports(new String[] {WebSocket.NAME})
                .setPath("/socket.io")
                .setForceNew(true)
                .setReconnection(reconnection)
                .setReconnectionDelay(100)
                .setReconnectionDelayMax(300)
                .setExtraHeaders(Map.of("Authorization", List.of("Bearer " + bearer)))
                .build();
        Socket socket = IO.socket(URI.create(simulator.eventsUrl() + "/events"), options);
        sockets.add(socket);
        return socket;
    }

    private void connect(Socket socket) throws InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        socket.once(Socket.EVENT_CONNECT, args -> connected.countDown());
        // what the client went through, should it not get there
        List<String> seen = new CopyOnWriteArrayList<>();
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> seen.add("connect_error " + Arrays.toString(args)));
        socket.io().on(Manager.EVENT_OPEN, args -> seen.add("open"));
        socket.io().on(Manager.EVENT_ERROR, args -> seen.add("error " + Arrays.toString(args)));
        socket.io().on(Manager.EVENT_CLOSE, args -> seen.add("close " + Arrays.toString(args)));
        socket.io().on(Manager.EVENT_PACKET, args -> seen.add("packet " + args[0]));
        socket.connect();
        assertTrue(connected.await(WAIT_SECONDS, TimeUnit.SECONDS), () -> "connected; seen " + seen
                + ", eventClients " + simulator.eventClients());
    }

    private static String connectError(Socket socket) throws InterruptedException {
        BlockingQueue<Object> errors = queue(socket, Socket.EVENT_CONNECT_ERROR);
        socket.connect();
        Object error = errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(error, "connect_error");
        assertFalse(socket.connected());
        return error.toString();
    }

    /** The first argument of every {@code event} the socket gets (a marker when there is none). */
    private static BlockingQueue<Object> queue(Socket socket, String event) {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        socket.on(event, args -> queue.add(args.length > 0 && args[0] != null ? args[0] : "(none)"));
        return queue;
    }

    private static JsonNode json(Object socketIoArgument) throws Exception {
        assertNotNull(socketIoArgument, "event received");
        // org.json's JSONObject.toString() is JSON text
        return MAPPER.readTree(socketIoArgument.toString());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(20);
        }
    }

    private String login() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + KitsuSimulator.EMAIL
                        + "\",\"password\":\"" + KitsuSimulator.PASSWORD + "\"}"))
                .build();
        return MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                .get("access_token").asText();
    }
}
