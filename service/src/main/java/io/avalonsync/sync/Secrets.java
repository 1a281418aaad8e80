package io.avalonsync.sync;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What must never be shown (README "Running it for real": secrets are never logged): the values of secret-like
 * keys, and the password inside any URI ({@code mongodb://user:password@host}). The log layout masks URIs with the
 * same pattern ({@code log4j2.properties}); {@code validate}, {@code /health}, {@code /metrics} and the status page
 * mask what they show through {@link #mask}.
 */
public final class Secrets {

    /** Keys whose values are never shown. */
    private static final List<String> SECRET_MARKERS = List.of("password", "passwd", "api-key", "secret", "token",
            "credentials");
    /** The user-info password of a URI: {@code scheme://user:password@}; the user stays readable. */
    private static final Pattern URI_PASSWORD = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*):[^@/\\s]+@");
    public static final String MASK = "xxxxxx";

    private Secrets() {
    }

    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_MARKERS.stream().anyMatch(lower::contains);
    }

    /** The text with the password of every URI in it replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        return text == null || text.indexOf("://") < 0 ? text : URI_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
    }

    /** A setting's value as it may be shown: quoted and masked, or hidden for a secret key. */
    public static String shown(String key, String value) {
        return isSecretKey(key) ? "(value hidden)" : "'" + mask(value) + "'";
    }
}
