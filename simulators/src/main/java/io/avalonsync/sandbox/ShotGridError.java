package io.avalonsync.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A refused request as ShotGrid REST answers it: {@code {"errors":[{id, status, code, title, source, detail, meta}]}}.
 * Codes: 102 authentication, 103 invalid request (bad parameter, filter, type, route, content type),
 * 104 record not found.
 */
final class ShotGridError extends RuntimeException {

    static final int AUTH = 102;
    static final int INVALID = 103;
    static final int NOT_FOUND = 104;

    private final int status;
    private final int code;
    private final Object source;

    ShotGridError(int status, int code, String title, Object source) {
        super(title);
        this.status = status;
        this.code = code;
        this.source = source;
    }

    static ShotGridError invalid(String title) {
        return new ShotGridError(400, INVALID, title, Map.of());
    }

    static ShotGridError invalid(String title, Object source) {
        return new ShotGridError(400, INVALID, title, source);
    }

    int status() {
        return status;
    }

    int code() {
        return code;
    }

    String title() {
        return getMessage();
    }

    /** The JSON body; {@code id} changes on every call, as the server's does. */
    Map<String, Object> body() {
        return envelope(status, code, getMessage(), source);
    }

    static Map<String, Object> envelope(int status, int code, String title, Object source) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("id", UUID.randomUUID().toString().replace("-", ""));
        error.put("status", status);
        error.put("code", code);
        error.put("title", title);
        error.put("source", source);
        error.put("detail", null);
        error.put("meta", null);
        return Map.of("errors", List.of(error));
    }
}
