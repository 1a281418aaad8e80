package io.avalonsync.status;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;

/**
 * The response headers of the status server (camel.component.jetty.header-filter-strategy in application.properties):
 * only those a route sets on purpose. Camel's HTTP binding writes every message header into the response, and the
 * request's own headers (Accept, User-Agent, cookies, proxy headers, ...) are message headers, so they were echoed.
 */
public class StatusHeaders extends HttpHeaderFilterStrategy {

    private static final Set<String> ANSWERED = Set.of("content-type", "location", "www-authenticate", "cache-control",
            "retry-after", "content-disposition");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ANSWERED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
