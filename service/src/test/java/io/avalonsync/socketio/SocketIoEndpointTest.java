package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URI parsing, option binding and validation; no server needed. */
class SocketIoEndpointTest {

    private final TokenProvider tokens = renew -> "t";
    private CamelContext context;

    @BeforeEach
    void startContext() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("tokens", tokens);
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void componentIsFoundThroughItsServiceFile() {
        assertInstanceOf(SocketIoComponent.class, context.getComponent("socketio"));
    }

    @Test
    void everyOptionIsBoundFromTheUri() {
        SocketIoEndpoint endpoint = endpoint("socketio:events?url=https://kitsu.example.com:8443/&path=/sio"
                                             + "&tokenProvider=#tokens&token=fixed&events=asset:new, shot:update,,"
                                             + "&reconnectionDelay=5&reconnectionDelayMax=50&connectTimeout=7");
        assertEquals("/events", endpoint.getNamespace());
        assertEquals(URI.create("https://kitsu.example.com:8443/events"), endpoint.serverUri());
        assertEquals("/sio", endpoint.getPath());
        assertSame(tokens, endpoint.getTokenProvider());
        assertEquals("fixed", endpoint.getToken());
        assertEquals(List.of("asset:new", "shot:update"), endpoint.eventNames());
        assertEquals(5, endpoint.getReconnectionDelay());
        assertEquals(50, endpoint.getReconnectionDelayMax());
        assertEquals(7, endpoint.getConnectTimeout());
    }

    @Test
    void defaults() {
        SocketIoEndpoint endpoint = endpoint("socketio:events?url=http://127.0.0.1:5001");
        assertEquals("/socket.io", endpoint.getPath());
        assertTrue(endpoint.receivesEveryEvent());
        assertEquals(1000, endpoint.getReconnectionDelay());
        assertEquals(30000, endpoint.getReconnectionDelayMax());
        assertEquals(20000, endpoint.getConnectTimeout());
        assertNull(endpoint.getTokenProvider());
        assertNull(endpoint.getToken());
    }

    @Test
    void namespaceComesFromTheUriPath() {
        assertEquals("/events", SocketIoComponent.namespaceOf("events"));
        assertEquals("/events", SocketIoComponent.namespaceOf("//events"));
        assertEquals("/", SocketIoComponent.namespaceOf(""));
        assertEquals(URI.create("http://h:1/"), endpoint("socketio:?url=http://h:1").serverUri());
    }

    @Test
    void misconfigurationFailsWhenTheConsumerStarts() {
        assertStartRejected("socketio:events", "needs the url option");
        assertStartRejected("socketio:events?url=http://kitsu.example.com/api", "must not have a path");
        assertStartRejected("socketio:events?url=kitsu.example.com", "http(s)://host");
        assertStartRejected("socketio:events?url=http://h:1&events=,", "at least one event");
        assertStartRejected("socketio:events?url=http://h:1&reconnectionDelay=500&reconnectionDelayMax=100",
                "reconnectionDelayMax");
        assertStartRejected("socketio:events?url=http://h:1&connectTimeout=0", "connectTimeout");
    }

    @Test
    void aMisspelledOptionFailsWhenTheEndpointIsCreated() {
        ResolveEndpointFailedException failure = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("socketio:events?url=http://h:1&reconectionDelay=5"));
        assertTrue(failure.getMessage().contains("reconectionDelay"), failure.getMessage());
    }

    @Test
    void aRouteThatDoesNotAutoStartNeedsNoUrl() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("socketio:events").routeId("disabled-listener").autoStartup(false).to("seda:unused");
            }
        });
        assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("disabled-listener"));
        Exception failure = assertThrows(Exception.class,
                () -> context.getRouteController().startRoute("disabled-listener"));
        assertTrue(messages(failure).contains("needs the url option"), messages(failure));
    }

    @Test
    void isConsumerOnly() {
        SocketIoEndpoint endpoint = endpoint("socketio:events?url=http://h:1");
        assertThrows(UnsupportedOperationException.class, endpoint::createProducer);
    }

    private SocketIoEndpoint endpoint(String uri) {
        return assertInstanceOf(SocketIoEndpoint.class, context.getEndpoint(uri));
    }

    private void assertStartRejected(String uri, String why) {
        Consumer consumer = assertDoesNotThrow(() -> endpoint(uri).createConsumer(exchange -> { }), uri);
        Exception failure = assertThrows(Exception.class, consumer::start, uri);
        assertTrue(messages(failure).contains(why), uri + " -> " + messages(failure));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" / ");
        }
        return text.toString();
    }
}
