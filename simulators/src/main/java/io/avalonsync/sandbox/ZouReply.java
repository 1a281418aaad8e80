package io.avalonsync.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * What a simulated Zou route answers: a status and a JSON body. A list body is kept as the stored
 * records plus a view applied one record at a time while writing, so that a 70,000-task list is
 * streamed without ever being materialised as one document.
 */
final class ZouReply {

    private static final JsonFactory JSON = new JsonFactory();

    private final int status;
    private final Object body;
    private final List<Map<String, Object>> items;
    private final Function<Map<String, Object>, Map<String, Object>> view;

    private ZouReply(int status, Object body, List<Map<String, Object>> items,
                     Function<Map<String, Object>, Map<String, Object>> view) {
        this.status = status;
        this.body = body;
        this.items = items;
        this.view = view;
    }

    static ZouReply json(int status, Object body) {
        return new ZouReply(status, body, null, null);
    }

    static ZouReply ok(Object body) {
        return json(200, body);
    }

    static ZouReply list(List<Map<String, Object>> items) {
        return list(items, Function.identity());
    }

    static ZouReply list(List<Map<String, Object>> items, Function<Map<String, Object>, Map<String, Object>> view) {
        return new ZouReply(200, null, items, view);
    }

    static ZouReply notFound(String message) {
        return json(404, Map.of("message", message));
    }

    static ZouReply error(int status, String message) {
        return json(status, Map.of("error", true, "message", message));
    }

    int status() {
        return status;
    }

    /** Lists go out chunked, in the order they were written; everything else has a known length. */
    boolean isStreamed() {
        return items != null;
    }

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(isStreamed() ? 64 * 1024 : 512);
        writeTo(buffer);
        return buffer.toByteArray();
    }

    void writeTo(OutputStream out) throws IOException {
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            if (items != null) {
                generator.writeStartArray();
                for (Map<String, Object> item : items) {
                    writeValue(generator, view.apply(item));
                }
                generator.writeEndArray();
            } else {
                writeValue(generator, body);
            }
        }
    }

    /** Records hold only maps, lists, strings, numbers, booleans and nulls: no ObjectMapper needed. */
    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                writeValue(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            generator.writeNumber(number.doubleValue());
        } else {
            generator.writeString(value.toString());
        }
    }
}
