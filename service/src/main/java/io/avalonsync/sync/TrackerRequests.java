package io.avalonsync.sync;

import org.apache.camel.Exchange;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/** What the trackers' sessions (Kitsu, ShotGrid) do alike to the requests of their Camel http endpoints. */
public final class TrackerRequests {

    private TrackerRequests() {
    }

    /**
     * A tracker that stops answering must not hang a poll or a sync: its requests fail after {@code timeoutMillis}
     * (waiting for an answer or for a pooled connection) and are redelivered.
     */
    public static void timeouts(HttpClientBuilder builder, long timeoutMillis) {
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(timeoutMillis))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(timeoutMillis))
                .build());
    }

    /** In an {@code onRedelivery} processor: the tracker refused the token (401), so log in again first. */
    public static boolean tokenRefused(Exchange exchange) {
        // a failure inside a parallel split comes wrapped: HttpFaults looks through the causes
        return HttpFaults.status(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)) == 401;
    }
}
