package io.avalonsync.socketio;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** Receives the events a Socket.IO (protocol 5) server broadcasts on one namespace, e.g. Zou's {@code /events}. */
@UriEndpoint(firstVersion = "4.17.0", scheme = "socketio", title = "Socket.IO", syntax = "socketio:namespace",
             consumerOnly = true, category = { Category.MESSAGING }, headersClass = SocketIoConstants.class)
public class SocketIoEndpoint extends DefaultEndpoint {

    @UriPath(description = "Namespace, with or without its leading slash (events = /events)")
    @Metadata(required = true)
    private final String namespace;
    @UriParam(description = "Server base URL without a path, e.g. http://127.0.0.1:5001")
    @Metadata(required = true)
    private String url;
    @UriParam(defaultValue = "/socket.io", description = "Engine.IO path on the server")
    private String path = "/socket.io";
    @UriParam(label = "security", description = "Supplies (and renews) the bearer token; wins over token")
    private TokenProvider tokenProvider;
    @UriParam(label = "security", secret = true, description = "A fixed bearer token")
    private String token;
    @UriParam(defaultValue = "*", description = "Comma separated event names; * receives every event")
    private String events = "*";
    @UriParam(defaultValue = "1000", description = "First reconnect delay in ms")
    private long reconnectionDelay = 1000;
    @UriParam(defaultValue = "30000", description = "Longest reconnect delay in ms")
    private long reconnectionDelayMax = 30000;
    @UriParam(defaultValue = "20000", description = "Connect timeout in ms")
    private long connectTimeout = 20000;

    public SocketIoEndpoint(String uri, SocketIoComponent component, String namespace) {
        super(uri, component);
        this.namespace = namespace;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("socketio endpoints can only be used in from()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SocketIoConsumer consumer = new SocketIoConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails the start on a misconfigured URI instead of retrying forever at run time. */
    void validate() {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("socketio:" + namespace + " needs the url option (server base URL)");
        }
        URI base = URI.create(url.strip());
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase();
        if (!List.of("http", "https", "ws", "wss").contains(scheme) || base.getHost() == null) {
            throw new IllegalArgumentException("socketio url must be http(s)://host[:port], got " + url);
        }
        // Socket.IO reads the URL path as the namespace: "http://kitsu/api" would subscribe to "/api/events"
        if (base.getRawPath() != null && !base.getRawPath().isEmpty() && !"/".equals(base.getRawPath())) {
            throw new IllegalArgumentException("socketio url must not have a path (got " + base.getRawPath()
                                               + "); the namespace comes from the URI, the Engine.IO path from the"
                                               + " path option");
        }
        if (eventNames().isEmpty()) {
            throw new IllegalArgumentException("socketio events must name at least one event, or *");
        }
        new ReconnectBackoff(reconnectionDelay, reconnectionDelayMax); // validates the pair
        if (connectTimeout < 1) {
            throw new IllegalArgumentException("socketio connectTimeout must be >= 1 ms, got " + connectTimeout);
        }
    }

    /** The URI the client opens: the server base followed by the namespace. */
    URI serverUri() {
        String base = url.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + namespace);
    }

    List<String> eventNames() {
        return Arrays.stream(events.split(",")).map(String::strip).filter(name -> !name.isEmpty()).distinct()
                .toList();
    }

    boolean receivesEveryEvent() {
        return eventNames().contains("*");
    }

    /** The namespace as the server names it, with the leading slash. */
    public String getNamespace() {
        return namespace;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }

    public long getReconnectionDelay() {
        return reconnectionDelay;
    }

    public void setReconnectionDelay(long reconnectionDelay) {
        this.reconnectionDelay = reconnectionDelay;
    }

    public long getReconnectionDelayMax() {
        return reconnectionDelayMax;
    }

    public void setReconnectionDelayMax(long reconnectionDelayMax) {
        this.reconnectionDelayMax = reconnectionDelayMax;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }
}
