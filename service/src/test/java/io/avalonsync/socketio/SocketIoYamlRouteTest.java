package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** A YAML route using {@code from: socketio:events} with no Java wiring besides the token bean. */
class SocketIoYamlRouteTest extends SocketIoServerTestSupport {

    @Test
    void yamlRouteReceivesEvents() throws Exception {
        server = ReferenceSocketIoServer.start("good1");
        context = new DefaultCamelContext();
        context.getRegistry().bind("kitsuToken", new RecordingTokenProvider("good1"));
        String yaml = """
                - route:
                    id: kitsu-events
                    from:
                      uri: "socketio:events"
                      parameters:
                        url: "%s"
                        tokenProvider: "#kitsuToken"
                        events: "asset:new"
                        reconnectionDelay: 100
                      steps:
                        - to: "seda:kitsu-events"
                """.formatted(server.url());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("kitsu-events.yaml", yaml));
        context.start();
        server.await(line -> line.equals("connected good1"));

        ConsumerTemplate consumer = context.createConsumerTemplate();
        Exchange connected = consumer.receive("seda:kitsu-events", 10000);
        assertNotNull(connected, "connected signal");
        assertEquals(SocketIoConstants.CONNECTED, connected.getMessage().getHeader(SocketIoConstants.EVENT));

        server.emit("asset:new", "{\"asset_id\":\"a1\",\"project_id\":\"p1\"}");
        Exchange event = consumer.receive("seda:kitsu-events", 10000);
        assertNotNull(event, "asset:new");
        assertEquals("asset:new", event.getMessage().getHeader(SocketIoConstants.EVENT));
        assertEquals("{\"asset_id\":\"a1\",\"project_id\":\"p1\"}", event.getMessage().getBody(String.class));
    }
}
