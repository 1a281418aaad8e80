package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.avalonsync.socketio.RawPayloadDecoder.RawJson;
import io.socket.client.Ack;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;
import org.junit.jupiter.api.Test;

/** Packets as the Socket.IO layer sees them, Engine.IO's leading "4" (message) already removed. */
class RawPayloadDecoderTest {

    private final List<Packet<?>> decoded = new ArrayList<>();

    @Test
    void eventArgumentsKeepTheServersText() {
        String object = "{\"zeta\":1,\"alpha\":{\"b\":[1, 2.50],\"a\":\"x, ] } \\\"q\\\"\"},\"mid\":1.0E2}";
        JSONArray arguments = decode("2/events,[\"asset:new\"," + object + ",[3,2,1],\"text\",7,null]");

        assertEquals("asset:new", arguments.get(0));
        assertEquals(new RawJson(object), arguments.get(1));
        assertEquals(new RawJson("[3,2,1]"), arguments.get(2));
        assertEquals("text", arguments.get(3), "strings stay strings: the body is their value");
        assertEquals(new RawJson("7"), arguments.get(4));
        assertEquals(new RawJson("null"), arguments.get(5));
    }

    @Test
    void ackIdAndTheMainNamespaceAreSkipped() {
        assertEquals(new RawJson("{\"a\":1}"), decode("212[\"e\",{\"a\":1}]").get(1));
        assertEquals(new RawJson("{\"a\":1}"), decode("2/events,5[\"e\", {\"a\":1} ]").get(1));
    }

    @Test
    void otherPacketsAreLeftAlone() {
        decodeInto("4/events,{\"message\":\"unauthorized\"}");
        assertEquals(Parser.CONNECT_ERROR, decoded.get(0).type);
        assertEquals("unauthorized", ((org.json.JSONObject) decoded.get(0).data).getString("message"));
    }

    @Test
    void elementSplitting() {
        assertEquals(List.of(), RawPayloadDecoder.arrayElements("[]", 0));
        assertEquals(List.of("\"a\"", "{\"k\":[1,{\"x\":\"]\"}]}", "true"),
                RawPayloadDecoder.arrayElements("[\"a\", {\"k\":[1,{\"x\":\"]\"}]} ,true]", 0));
        assertEquals(List.of(), RawPayloadDecoder.arrayElements("[\"unterminated", 0));
        assertEquals(11, RawPayloadDecoder.payloadStart("2/events,12[\"e\"]"));
    }

    @Test
    void bodyIsTheFirstPayloadArgument() {
        Ack ack = args -> { };
        assertEquals("{\"a\":1}", SocketIoConsumer.bodyOf(new Object[] { new RawJson("{\"a\":1}"), "second" }, 0));
        assertEquals("text", SocketIoConsumer.bodyOf(new Object[] { "event", "text" }, 1));
        assertEquals("{\"a\":1}", SocketIoConsumer.bodyOf(new Object[] { ack, new RawJson("{\"a\":1}") }, 0));
        assertNull(SocketIoConsumer.bodyOf(new Object[] { "event" }, 1));
        byte[] binary = { 1, 2 };
        assertTrue(SocketIoConsumer.bodyOf(new Object[] { binary }, 0) == binary);
    }

    private JSONArray decode(String packet) {
        decodeInto(packet);
        assertEquals(Parser.EVENT, decoded.get(0).type);
        return assertInstanceOf(JSONArray.class, decoded.get(0).data);
    }

    private void decodeInto(String packet) {
        decoded.clear();
        RawPayloadDecoder decoder = new RawPayloadDecoder();
        decoder.onDecoded(decoded::add);
        decoder.add(packet);
        assertEquals(1, decoded.size(), packet);
    }
}
