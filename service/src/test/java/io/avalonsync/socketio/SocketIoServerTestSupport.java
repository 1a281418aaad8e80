package io.avalonsync.socketio;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;

/** A reference server plus a CamelContext whose route "kitsu-events" feeds {@link #received}. */
abstract class SocketIoServerTestSupport {

    static final String ROUTE_ID = "kitsu-events";
    /** Short delays keep the reconnect tests fast; the backoff still has room to double. */
    static final String FAST_RECONNECT = "&reconnectionDelay=100&reconnectionDelayMax=1000";

    protected final ReceivedEvents received = new ReceivedEvents();
    protected ReferenceSocketIoServer server;
    protected CamelContext context;

    /**
     * Starts the route {@code socketio:events?url=<server>&tokenProvider=#tokens<options>}; without tokens there is
     * no provider and the options must carry the token.
     */
    protected RecordingTokenProvider startRoute(String options, String... tokens) throws Exception {
        RecordingTokenProvider provider = tokens.length == 0 ? null : new RecordingTokenProvider(tokens);
        CamelContext context = context();
        String uri = "socketio:events?url=" + server.url() + FAST_RECONNECT + options;
        if (provider != null) {
            context.getRegistry().bind("tokens", provider);
            uri += "&tokenProvider=#tokens";
        }
        String routeUri = uri;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(routeUri).routeId(ROUTE_ID).process(received);
            }
        });
        context.start();
        return provider;
    }

    /** The test's context, created on first use so that a test can bind beans before the route starts. */
    protected CamelContext context() {
        if (context == null) {
            context = new DefaultCamelContext();
        }
        return context;
    }

    @AfterEach
    void stopContextAndServer() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }
}
