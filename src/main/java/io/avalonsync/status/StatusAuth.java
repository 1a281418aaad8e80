package io.avalonsync.status;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic auth of the status server (bean {@code statusAuth}, used by routes/status.camel.yaml for every jetty
 * route): on when {@code status.user} is set. Credentials are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, which takes the same time wherever they differ; the password is never logged.
 */
public final class StatusAuth {

    private static final Logger LOG = LoggerFactory.getLogger(StatusAuth.class);
    static final String REALM = "avalon-sync";

    private final byte[] expected;

    /** @param user empty = no authentication */
    public StatusAuth(String user, String password) {
        this.expected = user == null || user.isBlank() ? null : digest(user.trim() + ":" + (password == null ? "" : password));
    }

    public boolean enabled() {
        return expected != null;
    }

    /** True when the request must be turned away: auth is on and the Authorization header does not match. */
    public boolean refused(Exchange exchange) {
        if (expected == null) {
            return false;
        }
        String header = exchange.getIn().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return true;
        }
        String given;
        try {
            given = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return true;
        }
        return !MessageDigest.isEqual(expected, digest(given));
    }

    /** The 401 answer with the challenge browsers and curl understand. */
    public String challenge(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        return "authentication required (status.user / status.password)";
    }

    /** The start-up warning (and what `validate` reports) when the status server is open to the network. */
    public static String openBindWarning(String bind, String port) {
        return "status.bind " + bind + " is not a loopback address and status.user is not set: anyone who can reach port "
                + port + " sees the status page and can reset, pause or run site sync; set status.user and"
                + " status.password, or bind 127.0.0.1";
    }

    /** True for 127.x, ::1 and localhost; a name that does not resolve counts as not loopback. */
    public static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Logs the warning when the status server is open to the network. */
    public void warnIfOpen(String bind, String port) {
        if (!enabled() && !isLoopback(bind)) {
            LOG.warn(openBindWarning(bind, port));
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
