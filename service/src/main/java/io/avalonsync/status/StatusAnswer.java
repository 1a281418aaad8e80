package io.avalonsync.status;

/**
 * An answer of the status server whose HTTP status depends on what was found (/health: 503 when a check is DOWN):
 * the route {@code status-answer} (routes/status.camel.yaml) turns it into the response.
 *
 * @param status      the HTTP status code
 * @param contentType the response's Content-Type
 * @param text        the body
 */
public record StatusAnswer(int status, String contentType, String text) {
}
