package io.avalonsync.sync;

import org.apache.camel.ExchangeException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The {@code onWhen} predicates of the trackers' error handling (bean {@code httpFaults}): what HTTP status a
 * failure carries, wherever it is wrapped. A failure inside a parallel split reaches the route wrapped in a
 * {@code CamelExchangeException}, where {@code ${exception.statusCode}} would not see it.
 */
public final class HttpFaults {

    /** The tracker refused the token: log in again and retry. */
    public boolean refused(@ExchangeException Exception failure) {
        return status(failure) == 401;
    }

    /**
     * Worth redelivering with backoff: 429, a 5xx, or no answer at all (a timeout, a refused connection). An answer
     * that came but cannot be read (malformed JSON, an I/O failure too) is not: asking again the same way gets the
     * same answer, so the project fails at once and the next run reads it again.
     */
    public boolean transientFault(@ExchangeException Exception failure) {
        int status = status(failure);
        return status == 0 ? !unreadableAnswer(failure) : status == 429 || status >= 500;
    }

    /** Whether a JSON parser refused the answer, wherever that is wrapped. */
    static boolean unreadableAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kitsu refused the request itself (a 4xx other than 401, 404, 408 and 429): asking again the same way
     * gets the same answer, so the work is not retried.
     */
    public boolean refusedRequest(@ExchangeException Exception failure) {
        int status = status(failure);
        return status >= 400 && status < 500 && status != 401 && status != 404 && status != 408 && status != 429;
    }

    /** Worth asking again at once: anything but a refused token ({@link #refused}) or a refused request. */
    public boolean askAgain(@ExchangeException Exception failure) {
        return !refused(failure) && !refusedRequest(failure);
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
}
