package io.avalonsync.kitsu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.socketio.SocketIoConstants;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on the socket. Each event only rings for a catch-up (its payload has no event id), but a
 * payload that is not a JSON object is reported, naming the event, so a broken server is visible; the
 * catch-up still runs and the listener keeps going.
 */
public final class KitsuEventHints {

    private static final Logger LOG = LoggerFactory.getLogger(KitsuEventHints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public void received(@Header(SocketIoConstants.EVENT) String event, @Body String body) {
        if (event != null && event.startsWith("socketio:")) {
            LOG.info("kitsu event stream: {}{}", event.substring("socketio:".length()),
                    event.endsWith("connected") && !event.endsWith("disconnected") ? "; catching up from the event log" : "");
            return;
        }
        if (!KitsuEvents.relevant(event)) {
            return;
        }
        try {
            JsonNode payload = body == null ? null : JSON.readTree(body);
            if (payload == null || !payload.isObject()) {
                LOG.warn("kitsu event '{}' has a payload that is not a JSON object ({}); catching up from the event log",
                        event, abbreviate(body));
            }
        } catch (Exception e) {
            LOG.warn("kitsu event '{}' has a malformed JSON payload ({}): {}; catching up from the event log", event,
                    abbreviate(body), e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "empty";
        }
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
