package io.avalonsync.shotgrid;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One ShotGrid REST answer read as a stream into flat records (docs/shotgrid-api.md, Records): {@code id} and {@code type},
 * every {@code attributes} key as it is (dotted fields stay dotted), and each {@code relationships.<f>.data}
 * as {@code <f>} = a {@code {type, id, name}} link, a list of links, or null. Links and other envelope parts
 * are dropped, so a page costs little more than its values. An {@code errors} envelope becomes a
 * {@link ShotGridResponseException}.
 * <p>
 * {@code links.next} is present on every page, even empty ones, so there is a next page only when the page
 * is full and {@code links.next} is there.
 */
public final class ShotGridPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> records;
    private final boolean next;

    private ShotGridPage(List<Map<String, Object>> records, boolean next) {
        this.records = records;
        this.next = next;
    }

    public List<Map<String, Object>> records() {
        return records;
    }

    /** Whether the search has another page (page full and {@code links.next} present). */
    public boolean hasNext() {
        return next;
    }

    /**
     * Reads a collection answer ({@code data} is a list).
     *
     * @param what     the request, for error messages
     * @param pageSize the page size asked for: a shorter page is the last one
     */
    public static ShotGridPage read(InputStream in, int pageSize, String what) {
        Envelope envelope = envelope(in, what);
        if (!(envelope.data instanceof List<?>) && envelope.data != null) {
            throw new ShotGridResponseException("ShotGrid answered a single record where a list was expected for " + what);
        }
        List<Map<String, Object>> records = envelope.list == null ? List.of() : envelope.list;
        return new ShotGridPage(records, envelope.nextLink && records.size() >= pageSize && !records.isEmpty());
    }

    /** Flattens one {@code {type, id, attributes, relationships, links}} row. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> flatten(Map<String, Object> row) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", row.get("id"));
        record.put("type", row.get("type"));
        if (row.get("attributes") instanceof Map<?, ?> attributes) {
            attributes.forEach((key, value) -> record.put(String.valueOf(key), shared(value)));
        }
        if (row.get("relationships") instanceof Map<?, ?> relationships) {
            relationships.forEach((key, value) -> {
                Object data = value instanceof Map<?, ?> rel ? rel.get("data") : null;
                record.put(String.valueOf(key), compactLink(data));
            });
        }
        return record;
    }

    /** {@code {id, name, type}} of a link (extra keys dropped), a list of those, or null. */
    @SuppressWarnings("unchecked")
    private static Object compactLink(Object data) {
        if (data instanceof Map<?, ?> link) {
            Map<String, Object> compact = new LinkedHashMap<>(4); // three keys: the default 16 slots would waste heap
            compact.put("type", shared(link.get("type")));
            compact.put("id", link.get("id"));
            compact.put("name", shared(link.get("name")));
            return compact;
        }
        if (data instanceof List<?> links) {
            List<Object> compact = new ArrayList<>(links.size());
            links.forEach(l -> compact.add(compactLink(l)));
            return compact;
        }
        return null;
    }

    /**
     * Short strings (types, status codes, step and task names) repeat on tens of thousands of rows of a large
     * project: one shared copy each keeps a full sync's snapshot smaller.
     */
    private static Object shared(Object value) {
        return value instanceof String text && text.length() <= 24 ? text.intern() : value;
    }

    private static final class Envelope {
        Object data;
        List<Map<String, Object>> list;
        boolean nextLink;
    }

    @SuppressWarnings("unchecked")
    private static Envelope envelope(InputStream in, String what) {
        Envelope envelope = new Envelope();
        if (in == null) {
            throw new ShotGridResponseException("ShotGrid answered an empty body to " + what);
        }
        try (JsonParser parser = JSON.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ShotGridResponseException("ShotGrid answered something that is not a JSON object to " + what);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "data" -> {
                        if (token == JsonToken.START_ARRAY) {
                            List<Map<String, Object>> records = new ArrayList<>();
                            while (parser.nextToken() == JsonToken.START_OBJECT) {
                                records.add(flatten(JSON.readValue(parser, LinkedHashMap.class)));
                            }
                            if (parser.currentToken() != JsonToken.END_ARRAY) {
                                throw new ShotGridResponseException("ShotGrid answered a 'data' list with "
                                        + parser.currentToken() + " at " + parser.currentLocation() + " to " + what);
                            }
                            envelope.list = records;
                            envelope.data = records;
                        } else if (token == JsonToken.START_OBJECT) {
                            envelope.data = JSON.readValue(parser, LinkedHashMap.class);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "links" -> {
                        Object links = JSON.readValue(parser, Object.class);
                        envelope.nextLink = links instanceof Map<?, ?> m && m.get("next") != null;
                    }
                    case "errors" -> {
                        Object errors = JSON.readValue(parser, Object.class);
                        throw ShotGridResponseException.of(what, 0, Map.of("errors", errors));
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ShotGridResponseException("ShotGrid answered malformed JSON to " + what + ": " + e.getMessage(), e);
        }
        return envelope;
    }
}
