package io.avalonsync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The {@code onWhen} predicates of the trackers' error handling (bean {@code httpFaults}): what HTTP status a
 * failure carries, wherever it is wrapped. A failure inside a parallel split reaches the route wrapped in a
 * {@code CamelExchangeException}, where {@code ${exception.statusCode}} would not see it.
 */
public final class HttpFaults {

    /** The tracker refused the token: log in again and retry. */
    public boolean refused(Exchange exchange) {
        return status(failure(exchange)) == 401;
    }

    /** Worth redelivering: 429 or a 5xx. */
    public boolean transientFault(Exchange exchange) {
        int status = status(failure(exchange));
        return status == 429 || status >= 500;
    }

    /**
     * Kitsu refused the request itself (a 4xx other than 401, 404, 408 and 429): asking again the same way
     * gets the same answer, so the work is not retried.
     */
    public boolean refusedRequest(Exchange exchange) {
        int status = status(failure(exchange));
        return status >= 400 && status < 500 && status != 401 && status != 404 && status != 408 && status != 429;
    }

    /** The HTTP status of the first {@link HttpOperationFailedException} among the causes, else 0. */
    public static int status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode();
            }
        }
        return 0;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
