package io.avalonsync.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Zou's event stream as the simulator serves it: Socket.IO protocol 5 over Engine.IO 4, WebSocket transport
 * only, namespace {@code /events}, on its own loopback port. As Zou, the {@code Authorization: Bearer} header
 * of the handshake is checked once, when a client joins {@code /events} (the Socket.IO auth payload is not
 * read), and events are broadcast to every joined client without acknowledgement or replay.
 * <p>
 * The WebSocket server is replaced on each {@link #start}, always on the port the first one got, so that a
 * stop and start looks to clients like a Zou restart.
 */
final class ZouEventStream implements AutoCloseable {

    static final String NAMESPACE = "/events";

    private static final String ENGINE_IO_PATH = "/socket.io/";
    private static final int MAX_PAYLOAD = 1_000_000;
    private static final long START_TIMEOUT_SECONDS = 10;

    /** One Engine.IO connection: its ids, the token it came with, and its heartbeat. */
    private final class Client {
        final WebSocket socket;
        final String sid = randomId();
        final String namespaceSid = randomId();
        final String token;
        final long pingInterval;
        final long pingTimeout;
        volatile boolean joined;
        // guarded by this
        private ScheduledFuture<?> heartbeat;

        Client(WebSocket socket, String token, long pingInterval, long pingTimeout) {
            this.socket = socket;
            this.token = token;
            this.pingInterval = pingInterval;
            this.pingTimeout = pingTimeout;
        }

        /** Engine.IO 4: the server pings, then waits {@code pingTimeout} for the pong. */
        synchronized void schedulePing() {
            cancelHeartbeat();
            heartbeat = schedule(this::ping, pingInterval);
        }

        private synchronized void ping() {
            if (send("2")) {
                heartbeat = schedule(this::timeOut, pingTimeout);
            }
        }

        private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
            try {
                return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the stream is closed: a pong that came in late needs no next ping
                return null;
            }
        }

        /** No pong in time: as engine.io, close the transport; a silent peer is forgotten at once. */
        private void timeOut() {
            socket.close(CloseFrame.NORMAL, "ping timeout");
            forget(socket);
        }

        synchronized void cancelHeartbeat() {
            if (heartbeat != null) {
                heartbeat.cancel(false);
                heartbeat = null;
            }
        }

        boolean send(String frame) {
            try {
                socket.send(frame);
                return true;
            } catch (WebsocketNotConnectedException e) {
                // closed meanwhile; onClose forgets the client
                return false;
            }
        }
    }

    /** One life of the server; a restart makes a new one, as a WebSocketServer cannot be started twice. */
    private final class Server extends WebSocketServer {
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile Exception startFailure;

        Server(InetSocketAddress address) {
            super(address);
            setReuseAddr(true);
            setDaemon(true);
            setTcpNoDelay(true);
            // Engine.IO's ping/pong is the heartbeat; WebSocket pings on top would only blur tests of it
            setConnectionLostTimeout(0);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            String resource = socket.getResourceDescriptor();
            int query = resource.indexOf('?');
            String path = query < 0 ? resource : resource.substring(0, query);
            Map<String, String> params = KitsuSimulator.parseQuery(query < 0 ? null : resource.substring(query + 1));
            if (!path.startsWith(ENGINE_IO_PATH) || !"4".equals(params.get("EIO"))) {
                socket.close(CloseFrame.POLICY_VALIDATION, "Engine.IO 4 is served on " + ENGINE_IO_PATH);
                return;
            }
            Client client = new Client(socket, tokenOf(handshake), pingInterval, pingTimeout);
            clients.put(socket, client);
            client.send("0{\"sid\":\"" + client.sid + "\",\"upgrades\":[],\"pingInterval\":" + client.pingInterval
                    + ",\"pingTimeout\":" + client.pingTimeout + ",\"maxPayload\":" + MAX_PAYLOAD + "}");
            client.schedulePing();
        }

        @Override
        public void onMessage(WebSocket socket, String frame) {
            Client client = clients.get(socket);
            if (client == null || frame.isEmpty()) {
                return;
            }
            switch (frame.charAt(0)) {
                case '1' -> socket.close(CloseFrame.NORMAL, "client close");
                case '2' -> client.send("3" + frame.substring(1));
                case '3' -> client.schedulePing();
                case '4' -> onSocketIoPacket(client, frame.substring(1));
                default -> {
                    // noop (6) and upgrade (5) packets: nothing to do without polling
                }
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            forget(socket);
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            if (socket == null) {
                // the server itself failed, e.g. the port is taken
                startFailure = e;
                started.countDown();
            }
        }

        void awaitStarted() throws IOException {
            try {
                if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("Event stream did not start on " + getAddress());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while starting the event stream", e);
            }
            if (startFailure != null) {
                throw new IOException("Event stream could not listen on " + getAddress(), startFailure);
            }
        }
    }

    private final InetAddress address;
    private final ZouAuth auth;
    private final Map<WebSocket, Client> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kitsu-simulator-events-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    // python-socketio's defaults
    private volatile long pingInterval = 25_000;
    private volatile long pingTimeout = 20_000;
    // guarded by this
    private Server server;
    private int port;

    ZouEventStream(InetAddress address, ZouAuth auth) {
        this.address = address;
        this.auth = auth;
    }

    /** Listens on {@code requestedPort} (0: a free one) the first time, on that same port ever after. */
    synchronized void start(int requestedPort) throws IOException {
        if (server != null) {
            return;
        }
        Server starting = new Server(new InetSocketAddress(address, port != 0 ? port : requestedPort));
        starting.start();
        try {
            starting.awaitStarted();
        } catch (IOException e) {
            stopQuietly(starting);
            throw e;
        }
        port = starting.getPort();
        server = starting;
    }

    /** Closes every connection (clients see the server go away) and the listening socket. */
    synchronized void stop() {
        Server stopping = server;
        server = null;
        if (stopping != null) {
            stopQuietly(stopping);
        }
        // whatever the server did not report closed is gone all the same
        clients.keySet().forEach(this::forget);
    }

    @Override
    public void close() {
        stop();
        timers.shutdownNow();
    }

    synchronized int port() {
        return port;
    }

    /** Applies to connections opened from now on. */
    void setPingInterval(long intervalMillis, long timeoutMillis) {
        if (intervalMillis <= 0 || timeoutMillis <= 0) {
            throw new IllegalArgumentException("ping interval and timeout must be positive");
        }
        pingInterval = intervalMillis;
        pingTimeout = timeoutMillis;
    }

    /** Sends {@code 42/events,["<name>",<payload>]} to every client in {@code /events}; the payload goes as is. */
    void broadcast(String eventName, String payloadJson) {
        String frame = "42" + NAMESPACE + ",[" + jsonString(eventName) + "," + payloadJson + "]";
        for (Client client : clients.values()) {
            if (client.joined) {
                client.send(frame);
            }
        }
    }

    /** Cuts every connection without a close handshake, as a network failure would. */
    void dropConnections() {
        for (WebSocket socket : clients.keySet()) {
            socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connection dropped");
            forget(socket);
        }
    }

    /** Connections that joined {@code /events}. */
    int eventClients() {
        int count = 0;
        for (Client client : clients.values()) {
            if (client.joined) {
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- Socket.IO

    /** A Socket.IO packet: type digit, then {@code <namespace>,} unless it is "/", then an optional payload. */
    private void onSocketIoPacket(Client client, String packet) {
        if (packet.isEmpty()) {
            return;
        }
        char type = packet.charAt(0);
        String namespace = "/";
        if (packet.startsWith("/", 1)) {
            int comma = packet.indexOf(',');
            namespace = comma < 0 ? packet.substring(1) : packet.substring(1, comma);
        }
        if (type == '0') {
            connect(client, namespace);
        } else if (type == '1' && NAMESPACE.equals(namespace)) {
            client.joined = false;
        }
        // events and acks from clients: Zou's stream does not listen to any
    }

    private void connect(Client client, String namespace) {
        if (!NAMESPACE.equals(namespace)) {
            String prefix = "/".equals(namespace) ? "" : namespace + ",";
            client.send("44" + prefix + "{\"message\":\"Invalid namespace\"}");
            return;
        }
        // Zou's connect handler: verify_jwt_in_request() on the handshake, once
        if (client.token != null && auth.check(client.token, ZouAuth.Kind.ACCESS) == ZouAuth.Verdict.VALID) {
            client.joined = true;
            client.send("40" + NAMESPACE + ",{\"sid\":\"" + client.namespaceSid + "\"}");
        } else {
            client.send("44" + NAMESPACE + ",{\"message\":\"unauthorized\"}");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void forget(WebSocket socket) {
        Client client = clients.remove(socket);
        if (client != null) {
            client.joined = false;
            client.cancelHeartbeat();
        }
    }

    /** The bearer token of the handshake, or flask-jwt-extended's other place for it, the access cookie. */
    private static String tokenOf(ClientHandshake handshake) {
        String header = handshake.getFieldValue("Authorization");
        if (header != null && header.startsWith("Bearer ")) {
            String token = header.substring("Bearer ".length()).trim();
            return token.isEmpty() ? null : token;
        }
        String cookies = handshake.getFieldValue("Cookie");
        for (String cookie : cookies == null ? new String[0] : cookies.split(";")) {
            String[] pair = cookie.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("access_token_cookie") && !pair[1].isEmpty()) {
                return pair[1];
            }
        }
        return null;
    }

    /** Like a Zou process going down: connections end without a close handshake, then the port is freed. */
    private static void stopQuietly(Server server) {
        // Server.stop() alone sends close frames but leaves the TCP connections open once its selector is
        // gone, and clients would wait for the close handshake until their own timeout
        for (WebSocket socket : new ArrayList<>(server.getConnections())) {
            socket.closeConnection(CloseFrame.GOING_AWAY, "server stopped");
        }
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /** Engine.IO style ids: 15 random bytes, base64url; they identify, they do not protect. */
    private static String randomId() {
        byte[] bytes = new byte[15];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
