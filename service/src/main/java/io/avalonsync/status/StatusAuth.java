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

    /**
     * True when a request that changes state (anything but GET, HEAD, OPTIONS) comes from a page of another site: a
     * browser says so in {@code Sec-Fetch-Site}, {@code Origin} or {@code Referer}, and a form on any site could
     * otherwise post to the status server (with the cached basic auth credentials, too). curl and scripts send none of
     * these headers and are not affected.
     */
    public boolean crossSite(Exchange exchange) {
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        if (method == null || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        String fetchSite = exchange.getIn().getHeader("Sec-Fetch-Site", String.class);
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = exchange.getIn().getHeader("Origin", String.class);
        if (origin == null) {
            origin = exchange.getIn().getHeader("Referer", String.class);
        }
        if (origin == null) {
            return false;
        }
        String authority = authority(origin);
        return authority == null || !(authority.equalsIgnoreCase(exchange.getIn().getHeader("Host", "", String.class))
                || authority.equalsIgnoreCase(exchange.getIn().getHeader("X-Forwarded-Host", "", String.class)));
    }

    /** The 403 answer to a cross-site request; nothing else runs. */
    public String crossSiteRefusal(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        return "refused: a cross-site request may not change state; use the status page itself, or a client that sends"
                + " no Origin (curl, scripts)";
    }

    /** {@code host:port} of an origin or referer URL, null when it has none ({@code Origin: null}). */
    private static String authority(String url) {
        try {
            return java.net.URI.create(url.trim()).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
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
