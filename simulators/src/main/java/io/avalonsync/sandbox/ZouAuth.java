package io.avalonsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The login side of the simulated Zou: one account, and the tokens handed out for it.
 * Tokens look like Zou's JWTs (three base64url parts) but are only checked against what was issued.
 */
final class ZouAuth {

    enum Kind { ACCESS, REFRESH }

    enum Verdict { VALID, UNKNOWN, EXPIRED, WRONG_KIND }

    private record Issued(Kind kind, long generation) {
    }

    // Zou's defaults (JWT_ACCESS_TOKEN_EXPIRES, JWT_REFRESH_TOKEN_EXPIRES); only shown in the claims
    private static final Duration ACCESS_LIFETIME = Duration.ofDays(7);
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(15);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    // access tokens issued before this generation count as expired; refresh tokens are unaffected
    private final AtomicLong generation = new AtomicLong();
    private volatile long firstValidGeneration;
    private volatile String email;
    private volatile String password;

    ZouAuth(String email, String password) {
        setCredentials(email, password);
    }

    void setCredentials(String email, String password) {
        this.email = email;
        this.password = password;
    }

    String email() {
        return email;
    }

    boolean accepts(String email, String password) {
        // Zou looks people up by email case-insensitively
        return email != null && password != null
                && email.trim().equalsIgnoreCase(this.email) && password.equals(this.password);
    }

    String issue(Kind kind, String personId) {
        Instant now = Instant.now();
        Duration lifetime = kind == Kind.ACCESS ? ACCESS_LIFETIME : REFRESH_LIFETIME;
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String claims = "{\"fresh\":false,\"iat\":" + now.getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID()
                + "\",\"type\":\"" + kind.name().toLowerCase()
                + "\",\"sub\":\"" + personId
                + "\",\"nbf\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plus(lifetime).getEpochSecond()
                + ",\"identity_type\":\"person\"}";
        byte[] signature = new byte[32];
        random.nextBytes(signature);
        String token = encode(header) + "." + encode(claims) + "." + BASE64URL.encodeToString(signature);
        issued.put(token, new Issued(kind, generation.get()));
        return token;
    }

    Verdict check(String token, Kind expected) {
        Issued found = token == null ? null : issued.get(token);
        if (found == null) {
            return Verdict.UNKNOWN;
        }
        if (found.kind() != expected) {
            return Verdict.WRONG_KIND;
        }
        if (found.kind() == Kind.ACCESS && found.generation() < firstValidGeneration) {
            return Verdict.EXPIRED;
        }
        return Verdict.VALID;
    }

    void revoke(String token) {
        issued.remove(token);
    }

    /** Every access token issued so far now reads as expired; tokens issued from here on are fine. */
    void expireAccessTokens() {
        firstValidGeneration = generation.incrementAndGet();
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
