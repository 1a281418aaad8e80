package io.avalonsync.sync;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.apache.camel.http.base.HttpOperationFailedException;

/** One readable line for a failure: what failed and where, without stack traces or secrets. */
public final class Failures {

    private Failures() {
    }

    public static String describe(Throwable failure) {
        return io.avalonsync.config.Secrets.mask(describeUnmasked(failure));
    }

    private static String describeUnmasked(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        if (failure instanceof org.apache.camel.CamelExchangeException && failure.getCause() != null
                && failure.getCause() != failure) {
            return describeUnmasked(failure.getCause()); // a split's wrapper: what failed is the cause
        }
        if (failure instanceof HttpOperationFailedException http) {
            String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            if (body.length() > 200) {
                body = body.substring(0, 200) + "...";
            }
            String envelope = shotGridEnvelope(http);
            if (envelope != null) {
                return envelope;
            }
            return "HTTP " + http.getStatusCode() + " from " + http.getUri() + (body.isEmpty() ? "" : ": " + body);
        }
        if (failure instanceof MongoTimeoutException || failure instanceof MongoSocketException) {
            String message = failure.getMessage() == null ? "" : failure.getMessage();
            int cut = message.indexOf(". Client view");
            return "Avalon MongoDB is unreachable: " + (cut > 0 ? message.substring(0, cut) : message);
        }
        if (failure instanceof java.net.ConnectException || failure instanceof java.net.SocketTimeoutException
                || failure instanceof org.apache.hc.client5.http.HttpHostConnectException) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** ShotGrid's error envelope ({@code {"errors": [{status, code, title, detail}]}}) as one line, else null. */
    private static String shotGridEnvelope(HttpOperationFailedException http) {
        String body = http.getResponseBody();
        if (body == null || !body.contains("\"errors\"")) {
            return null;
        }
        try {
            Object parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, Object.class);
            if (parsed instanceof java.util.Map<?, ?> map && map.get("errors") instanceof java.util.List<?>) {
                return io.avalonsync.shotgrid.ShotGridResponseException.of(http.getUri(), http.getStatusCode(), parsed)
                        .getMessage();
            }
        } catch (java.io.IOException e) {
            // not JSON: the plain form below
        }
        return null;
    }
}
