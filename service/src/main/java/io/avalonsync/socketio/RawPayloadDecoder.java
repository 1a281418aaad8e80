package io.avalonsync.socketio;

import java.util.ArrayList;
import java.util.List;

import io.socket.parser.IOParser;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;

/**
 * The library's packet decoder, plus: each non-string argument of an event is replaced by a {@link RawJson} holding
 * the argument's text exactly as the server wrote it. The library re-serialises through org.json, which reorders
 * object keys and rewrites numbers; the route should see what Zou sent.
 *
 * <p>
 * The library decodes on its event thread and delivers a text packet synchronously from {@link #add(String)}, so the
 * packet being decoded is known when the callback runs. Binary events (never sent by Zou) keep the library's values.
 */
final class RawPayloadDecoder implements Parser.Decoder {

    /** An event argument as received; {@link #toString()} gives the text. */
    record RawJson(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final Parser.Decoder delegate = new IOParser.Decoder();
    private String packetText;

    @Override
    public void add(String packet) {
        packetText = packet;
        try {
            delegate.add(packet);
        } finally {
            packetText = null;
        }
    }

    @Override
    public void add(byte[] attachment) {
        delegate.add(attachment);
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void onDecoded(Callback callback) {
        delegate.onDecoded(callback == null ? null : packet -> callback.call(withRawArguments(packet)));
    }

    private Packet<?> withRawArguments(Packet<?> packet) {
        String text = packetText;
        if (packet.type != Parser.EVENT || text == null || !(packet.data instanceof JSONArray arguments)) {
            return packet;
        }
        List<String> raw = arrayElements(text, payloadStart(text));
        if (raw.size() != arguments.length()) {
            return packet; // not the text we expected: keep the library's values rather than guess
        }
        for (int i = 1; i < raw.size(); i++) { // index 0 is the event name
            if (!(arguments.opt(i) instanceof String)) {
                arguments.put(i, new RawJson(raw.get(i)));
            }
        }
        return packet;
    }

    /** Skips {@code 2}, an optional {@code /namespace,} and an optional ack id; returns the index of the JSON array. */
    static int payloadStart(String packet) {
        int i = 1;
        if (packet.length() > i && packet.charAt(i) == '/') {
            int comma = packet.indexOf(',', i);
            i = comma < 0 ? packet.length() : comma + 1;
        }
        while (i < packet.length() && Character.isDigit(packet.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The top-level elements of the JSON array starting at {@code from}, as trimmed source text. */
    static List<String> arrayElements(String json, int from) {
        List<String> elements = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = from; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '[', '{' -> {
                    if (depth++ == 0) {
                        start = i + 1;
                    }
                }
                case ']', '}' -> {
                    if (--depth == 0) {
                        addElement(elements, json.substring(start, i));
                        return elements;
                    }
                }
                case ',' -> {
                    if (depth == 1) {
                        addElement(elements, json.substring(start, i));
                        start = i + 1;
                    }
                }
                default -> {
                    // part of a value
                }
            }
        }
        return List.of(); // unterminated: let the caller fall back
    }

    private static void addElement(List<String> elements, String text) {
        String trimmed = text.strip();
        if (!trimmed.isEmpty() || !elements.isEmpty()) {
            elements.add(trimmed);
        }
    }
}
