package io.avalonsync.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.apache.camel.http.base.HttpOperationFailedException;

/** One readable line for a failure: what failed and where, without stack traces or secrets. */
public final class Failures {

    /** How a tracker words its own error answers, by tracker; each answers null for an answer it does not know. */
    private static final Map<String, Function<HttpOperationFailedException, String>> WORDINGS = new ConcurrentHashMap<>();

    private Failures() {
    }

    /**
     * A tracker's own wording of its error answers (ShotGrid's error envelope), used before the plain
     * {@code HTTP <status> from <uri>: <body>} form. Set where the service is wired; setting it again replaces it.
     */
    public static void wordHttpErrors(String tracker, Function<HttpOperationFailedException, String> wording) {
        WORDINGS.put(tracker, wording);
    }

    public static String describe(Throwable failure) {
        return Secrets.mask(describeUnmasked(failure));
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
            for (Function<HttpOperationFailedException, String> wording : WORDINGS.values()) {
                String worded = wording.apply(http);
                if (worded != null) {
                    return worded;
                }
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
}
