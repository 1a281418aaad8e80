package io.avalonsync.socketio;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code socketio:<namespace>?url=...}: a consumer of Socket.IO events. Found through
 * {@code META-INF/services/org/apache/camel/component/socketio}, so YAML routes need no Java wiring.
 */
public class SocketIoComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SocketIoEndpoint endpoint = new SocketIoEndpoint(uri, this, namespaceOf(remaining));
        setProperties(endpoint, parameters);
        return endpoint; // validated when a consumer starts: a route with autoStartup=false may lack its url
    }

    /** "events", "/events" and "//events" all mean the namespace "/events"; nothing means the main namespace "/". */
    static String namespaceOf(String remaining) {
        String name = remaining == null ? "" : remaining.strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        return "/" + name;
    }
}
