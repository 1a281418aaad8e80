package io.avalonsync.socketio;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Socket.IO events into exchanges. The library's handlers run on its single event thread (shared by every
 * client in the JVM), so they only hand off: exchanges are processed one at a time on a thread of this consumer,
 * which keeps the server's order.
 *
 * <p>
 * Reconnects: the library retries transport failures by itself with the old handshake headers. It gives up when the
 * server refuses the connect (bad or expired JWT) or kicks the client; then this consumer asks the TokenProvider for
 * a renewed token and reconnects with its own backoff.
 *
 * <p>
 * A server that closes the connection cleanly (a restart, a proxy reload) sends a WebSocket close frame. The library
 * does not answer it, and OkHttp reports the connection closed only once both sides have sent theirs, so the client
 * would notice only at the ping timeout (45 s with Zou's defaults). {@link ClosingHandshakeFactory} answers the
 * close at once; the library then sees a transport close and reconnects with its backoff, and the route catches up
 * on the connect signal.
 */
public class SocketIoConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SocketIoConsumer.class);
    private static final String SERVER_DISCONNECT = "io server disconnect";
    private static final long STOP_WAIT_MILLIS = 2000;

    private ConnectionStateLog stateLog;
    private ExecutorService processingThread;
    private ScheduledExecutorService reconnectThread;
    private ReconnectBackoff backoff;
    private OkHttpClient httpClient;
    private IO.Options options;
    private volatile Socket socket;
    private volatile boolean connected;

    public SocketIoConsumer(SocketIoEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SocketIoEndpoint getEndpoint() {
        return (SocketIoEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        SocketIoEndpoint endpoint = getEndpoint();
        endpoint.validate();
        super.doStart();
        stateLog = new ConnectionStateLog(endpoint.serverUri().toString());
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        processingThread = executors.newSingleThreadExecutor(this, "SocketIoConsumer" + endpoint.getNamespace());
        reconnectThread = executors.newSingleThreadScheduledExecutor(this, "SocketIoReconnect" + endpoint.getNamespace());
        backoff = new ReconnectBackoff(endpoint.getReconnectionDelay(), endpoint.getReconnectionDelayMax());
        // an HTTP client of our own, so that stopping the route also ends its threads
        httpClient = new OkHttpClient.Builder()
                .connectTimeout(endpoint.getConnectTimeout(), TimeUnit.MILLISECONDS)
                .readTimeout(1, TimeUnit.MINUTES)
                .build();
        socket = createSocket();
        // the first token may need a login over HTTP: not on the thread starting the route
        reconnectThread.execute(() -> connect(false));
    }

    @Override
    protected void doStop() throws Exception {
        Socket closing;
        synchronized (this) {
            closing = socket;
            socket = null;
        }
        if (closing != null) {
            closeCleanly(closing);
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (reconnectThread != null) {
            executors.shutdownNow(reconnectThread);
            reconnectThread = null;
        }
        if (processingThread != null) {
            // events already received are still routed: the route's processors stop after the consumer
            executors.shutdownGraceful(processingThread);
            processingThread = null;
        }
        if (httpClient != null) {
            httpClient.dispatcher().executorService().shutdown();
            httpClient.connectionPool().evictAll();
            httpClient = null;
        }
        super.doStop();
    }

    private void closeCleanly(Socket closing) throws InterruptedException {
        closing.off();
        closing.offAnyIncoming();
        closing.io().off(Manager.EVENT_RECONNECT_ATTEMPT);
        boolean wasConnected = connected;
        connected = false;
        CountDownLatch closed = new CountDownLatch(1);
        closing.once(Socket.EVENT_DISCONNECT, args -> closed.countDown());
        closing.close(); // sends the namespace disconnect (41) when connected, then closes the transport
        if (wasConnected && !closed.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.debug("No confirmation of the disconnect from {} within {} ms", getEndpoint().serverUri(),
                    STOP_WAIT_MILLIS);
        }
        stateLog.stopped(wasConnected);
    }

    private Socket createSocket() {
        SocketIoEndpoint endpoint = getEndpoint();
        options = IO.Options.builder()
                .setForceNew(true) // the library otherwise shares one connection per host, with its first headers
                .setTransports(new String[] { io.socket.engineio.client.transports.WebSocket.NAME })
                .setPath(endpoint.getPath())
                .setReconnection(true)
                .setReconnectionDelay(endpoint.getReconnectionDelay())
                .setReconnectionDelayMax(endpoint.getReconnectionDelayMax())
                .setTimeout(endpoint.getConnectTimeout())
                .build();
        options.decoder = new RawPayloadDecoder();
        options.webSocketFactory = new ClosingHandshakeFactory(httpClient);
        options.callFactory = httpClient;
        Socket created = IO.socket(endpoint.serverUri(), options);
        created.on(Socket.EVENT_CONNECT, args -> onConnect());
        created.on(Socket.EVENT_CONNECT_ERROR, args -> onConnectError(created, args));
        created.on(Socket.EVENT_DISCONNECT, args -> onDisconnect(args.length > 0 ? String.valueOf(args[0]) : ""));
        created.io().on(Manager.EVENT_RECONNECT_ATTEMPT, args -> stateLog.attempt());
        if (endpoint.receivesEveryEvent()) {
            created.onAnyIncoming(args -> {
                if (args.length > 0) {
                    dispatch(String.valueOf(args[0]), bodyOf(args, 1), null);
                }
            });
        } else {
            for (String event : endpoint.eventNames()) {
                created.on(event, args -> dispatch(event, bodyOf(args, 0), null));
            }
        }
        return created;
    }

    /** Runs on the reconnect thread: fetches the token, puts it on the handshake, opens the socket. */
    private void connect(boolean renewToken) {
        Socket target = socket;
        if (target == null || !isRunAllowed()) {
            return;
        }
        String token;
        try {
            token = token(renewToken);
        } catch (Exception e) {
            stateLog.failure("the token provider failed: " + e);
            scheduleReconnect();
            return;
        }
        synchronized (this) {
            if (target != socket || !isRunAllowed()) {
                return; // stopped while we waited for the token
            }
            // read by the library when it opens the next transport; the socket is closed here, nothing races
            options.extraHeaders = token == null || token.isBlank()
                    ? Map.of() : Map.of("Authorization", List.of("Bearer " + token));
            stateLog.attempt();
            target.connect();
        }
    }

    private String token(boolean renew) throws Exception {
        TokenProvider provider = getEndpoint().getTokenProvider();
        return provider != null ? provider.token(renew) : getEndpoint().getToken();
    }

    private void scheduleReconnect() {
        ScheduledExecutorService scheduler = reconnectThread;
        if (scheduler == null || !isRunAllowed()) {
            return;
        }
        long delay = backoff.nextDelay();
        LOG.debug("Reconnecting to {} with a renewed token in {} ms", getEndpoint().serverUri(), delay);
        try {
            scheduler.schedule(() -> connect(true), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not reconnecting: the consumer is stopping");
        }
    }

    private void onConnect() {
        connected = true;
        backoff.reset();
        stateLog.connected();
        dispatch(SocketIoConstants.CONNECTED, null, null);
    }

    private void onConnectError(Socket failed, Object[] args) {
        String reason = describe(args);
        if (failed.isActive()) {
            stateLog.failure(reason); // a transport failure: the library retries by itself
        } else {
            stateLog.failure("the server refused the connection: " + reason);
            scheduleReconnect();
        }
    }

    private void onDisconnect(String reason) {
        boolean wasConnected = connected;
        connected = false;
        if (wasConnected) {
            dispatch(SocketIoConstants.DISCONNECTED, null, reason);
        }
        if (SERVER_DISCONNECT.equals(reason)) {
            stateLog.failure("the server disconnected the client");
            scheduleReconnect(); // the library does not come back after a kick
        } else {
            stateLog.failure(reason);
        }
    }

    /** The library reports transport failures as nested exceptions; the inner message names the real cause. */
    private static String describe(Object[] args) {
        Object first = args.length > 0 ? args[0] : null;
        if (first instanceof Throwable failure) {
            Throwable cause = failure.getCause();
            return failure.getMessage() + (cause == null || cause == failure ? "" : " (" + cause + ")");
        }
        return String.valueOf(first); // a refusal: the server's JSON, e.g. {"message":"unauthorized"}
    }

    /** Runs on the library thread: timestamp and hand off, nothing else. */
    private void dispatch(String event, Object body, String reason) {
        long receivedAt = System.currentTimeMillis();
        ExecutorService executor = processingThread;
        try {
            if (executor == null) {
                throw new RejectedExecutionException("stopped");
            }
            executor.execute(() -> process(event, body, reason, receivedAt));
        } catch (RejectedExecutionException e) {
            LOG.debug("Dropped {} received while the consumer stops", event);
        }
    }

    private void process(String event, Object body, String reason, long receivedAt) {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setHeader(SocketIoConstants.EVENT, event);
            message.setHeader(SocketIoConstants.NAMESPACE, getEndpoint().getNamespace());
            message.setHeader(SocketIoConstants.RECEIVED_AT, receivedAt);
            if (reason != null) {
                message.setHeader(SocketIoConstants.REASON, reason);
            }
            message.setBody(body);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing Socket.IO event " + event, exchange,
                        exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    /**
     * The first payload argument: JSON text as the server sent it, a string argument as its value, binary as bytes.
     * Nothing is dropped; the route decides what it can use.
     */
    static Object bodyOf(Object[] args, int first) {
        for (int i = first; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Ack) {
                continue; // the server asked for an acknowledgement; not payload
            }
            if (arg == null || arg instanceof byte[]) {
                return arg;
            }
            return arg.toString(); // RawPayloadDecoder.RawJson, String, or (binary events) org.json values
        }
        return null;
    }

    /** Opens the library's WebSockets with a listener that completes a close handshake the server starts. */
    static final class ClosingHandshakeFactory implements WebSocket.Factory {

        private final WebSocket.Factory delegate;

        ClosingHandshakeFactory(WebSocket.Factory delegate) {
            this.delegate = delegate;
        }

        @Override
        public WebSocket newWebSocket(Request request, WebSocketListener listener) {
            return delegate.newWebSocket(request, new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                    listener.onOpen(webSocket, response);
                }

                @Override
                public void onMessage(WebSocket webSocket, String text) {
                    listener.onMessage(webSocket, text);
                }

                @Override
                public void onMessage(WebSocket webSocket, ByteString bytes) {
                    listener.onMessage(webSocket, bytes);
                }

                @Override
                public void onClosing(WebSocket webSocket, int code, String reason) {
                    listener.onClosing(webSocket, code, reason);
                    // our close frame completes the handshake: OkHttp then calls onClosed, which the library handles
                    webSocket.close(1000, null);
                }

                @Override
                public void onClosed(WebSocket webSocket, int code, String reason) {
                    listener.onClosed(webSocket, code, reason);
                }

                @Override
                public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
                    listener.onFailure(webSocket, failure, response);
                }
            });
        }
    }
}
