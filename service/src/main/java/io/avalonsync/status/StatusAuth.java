package io.avalonsync.status;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic auth of the status server (bean {@code statusAuth}, used by routes/status.camel.yaml for every jetty
 * route, which also writes the 401 and 403 answers): on when {@code status.user} is set. Credentials are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, which takes the same time wherever they differ; the password is never logged.
 */
public final class StatusAuth {

    private static final Logger LOG = LoggerFactory.getLogger(StatusAuth.class);
    private final byte[] expected;

    /** @param user empty = no authentication */
    public StatusAuth(String user, String password) {
        this.expected = user == null || user.isBlank() ? null : digest(user.trim() + ":" + (password == null ? "" : password));
    }

    public boolean enabled() {
        return expected != null;
    }

    /** True when the request must be turned away: auth is on and the Authorization header does not match. */
    public boolean refused(@Header("Authorization") String header) {
        if (expected == null) {
            return false;
        }
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
    public boolean crossSite(@Header(Exchange.HTTP_METHOD) String method, @Header("Sec-Fetch-Site") String fetchSite,
            @Header("Origin") String origin, @Header("Referer") String referer, @Header("Host") String host,
            @Header("X-Forwarded-Host") String forwardedHost) {
        if (method == null || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String from = origin != null ? origin : referer;
        if (from == null) {
            return false;
        }
        String authority = authority(from);
        return authority == null || !(authority.equalsIgnoreCase(host == null ? "" : host)
                || authority.equalsIgnoreCase(forwardedHost == null ? "" : forwardedHost));
    }

    /** {@code host:port} of an origin or referer URL, null when it has none ({@code Origin: null}). */
    private static String authority(String url) {
        try {
            return java.net.URI.create(url.trim()).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
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
