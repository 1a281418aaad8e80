package io.avalonsync.shotgrid;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * ShotGrid answered an error ({@code {"errors": [{id, status, code, title, detail, source, meta}]}},
 * docs/shotgrid-api.md, Errors) or something that cannot be read. The first error's fields are kept; the message
 * names the request.
 */
public class ShotGridResponseException extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final Integer code;
    private final String title;
    private final String detail;
    private final Object source;

    public ShotGridResponseException(String message) {
        this(message, 0, null, null, null, null, null);
    }

    public ShotGridResponseException(String message, Throwable cause) {
        this(message, 0, null, null, null, null, cause);
    }

    public ShotGridResponseException(String message, int status, Integer code, String title, String detail,
            Object source, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.source = source;
    }

    /**
     * The exception for an error answer to {@code what} (e.g. {@code POST /api/v1/entity/shots/_search}):
     * the first entry of {@code errors}, or the bare HTTP status when the body is not the error envelope.
     */
    public static ShotGridResponseException of(String what, int httpStatus, Object body) {
        return of(what, httpStatus, body, null);
    }

    /**
     * ShotGrid's reading of a failed request of a Camel http endpoint (its error envelope, the failure as the
     * cause), or null when the answer is not the envelope.
     */
    public static ShotGridResponseException of(HttpOperationFailedException failure) {
        String body = failure.getResponseBody();
        if (body == null || !body.contains("\"errors\"")) {
            return null;
        }
        Object parsed;
        try {
            parsed = JSON.readValue(body, Object.class);
        } catch (IOException e) {
            return null; // not JSON: the failure says what it can itself
        }
        if (!(parsed instanceof Map<?, ?> map && map.get("errors") instanceof List<?>)) {
            return null;
        }
        return of(failure.getUri(), failure.getStatusCode(), parsed, failure);
    }

    private static ShotGridResponseException of(String what, int httpStatus, Object body, Throwable cause) {
        if (body instanceof Map<?, ?> map && map.get("errors") instanceof List<?> errors && !errors.isEmpty()
                && errors.get(0) instanceof Map<?, ?> error) {
            Integer status = ShotGridValues.integer(error.get("status"));
            Integer code = ShotGridValues.integer(error.get("code"));
            String title = error.get("title") == null ? null : error.get("title").toString();
            String detail = error.get("detail") == null ? null : error.get("detail").toString();
            Object source = error.get("source");
            StringBuilder message = new StringBuilder("ShotGrid answered HTTP ").append(httpStatus).append(" to ")
                    .append(what).append(": ").append(title == null ? "(no title)" : title);
            if (code != null) {
                message.append(" (code ").append(code).append(')');
            }
            if (detail != null && !detail.isBlank()) {
                message.append("; ").append(detail);
            }
            if (source instanceof Map<?, ?> s && !s.isEmpty()) {
                message.append("; source ").append(source);
            }
            return new ShotGridResponseException(message.toString(), status == null ? httpStatus : status, code,
                    title, detail, source, cause);
        }
        return new ShotGridResponseException("ShotGrid answered HTTP " + httpStatus + " to " + what
                + (body == null ? "" : ": " + abbreviate(String.valueOf(body))), httpStatus, null, null, null, null, cause);
    }

    /**
     * ShotGrid's error envelope ({@code {"errors": [{status, code, title, detail}]}}) in a failed request's answer, as
     * one line; null when the answer is not one (the service's failure lines use it, see AppConfiguration).
     */
    public static String envelopeOf(org.apache.camel.http.base.HttpOperationFailedException http) {
        String body = http.getResponseBody();
        if (body == null || !body.contains("\"errors\"")) {
            return null;
        }
        try {
            Object parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> map && map.get("errors") instanceof List<?>) {
                return of(http.getUri(), http.getStatusCode(), parsed).getMessage();
            }
        } catch (java.io.IOException e) {
            // not JSON: the plain form
        }
        return null;
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** The HTTP status (0 when the answer could not be read at all). */
    public int status() {
        return status;
    }

    /** ShotGrid's own error code (103 request invalid, 104 not found / refused, 102 auth), or null. */
    public Integer code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Object source() {
        return source;
    }
}
