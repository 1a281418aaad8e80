package io.avalonsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Script authentication of the simulated site: one script name and application key, HS256 JWT access tokens
 * that expire after a settable lifetime (600 s like a default site), opaque refresh tokens.
 */
final class ShotGridAuth {

    enum Check { VALID, EXPIRED, UNKNOWN }

    /** What a successful grant hands out. */
    record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] secret = new byte[32];
    private final Map<String, Long> accessExpiry = new ConcurrentHashMap<>();
    private final Map<String, Integer> refreshTokens = new ConcurrentHashMap<>();
    private volatile String scriptName;
    private volatile String apiKey;
    private volatile long lifetimeSeconds = 600;

    ShotGridAuth(String scriptName, String apiKey) {
        new SecureRandom().nextBytes(secret);
        setCredentials(scriptName, apiKey);
    }

    void setCredentials(String scriptName, String apiKey) {
        this.scriptName = scriptName;
        this.apiKey = apiKey;
    }

    String scriptName() {
        return scriptName;
    }

    void setLifetimeSeconds(long seconds) {
        lifetimeSeconds = Math.max(1, seconds);
    }

    boolean scriptMatches(String name, String key) {
        return scriptName.equals(name) && apiKey.equals(key);
    }

    /** New tokens for the ApiUser {@code apiUserId}. */
    Tokens issue(int apiUserId) {
        long now = System.currentTimeMillis();
        long lifetime = lifetimeSeconds;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", "shotgrid-simulator");
        payload.put("aud", "shotgrid");
        payload.put("exp", now / 1000 + lifetime);
        payload.put("iat", now / 1000);
        payload.put("jti", UUID.randomUUID().toString());
        payload.put("user", Map.of("type", ShotGridData.API_USER, "id", apiUserId));
        payload.put("sudo_as_login", null);
        payload.put("auth_type", "api_key");
        payload.put("session_uuid", null);
        String access = jwt(payload);
        accessExpiry.put(access, now + lifetime * 1000);
        String refresh = BASE64.encodeToString((UUID.randomUUID() + ":" + UUID.randomUUID() + ":" + apiUserId)
                .getBytes(StandardCharsets.UTF_8));
        refreshTokens.put(refresh, apiUserId);
        return new Tokens(access, refresh, lifetime);
    }

    /** The ApiUser a refresh token was issued to, or null; a refresh token is good for one use. */
    Integer redeem(String refreshToken) {
        return refreshToken == null ? null : refreshTokens.remove(refreshToken);
    }

    Check check(String accessToken) {
        Long expiry = accessToken == null ? null : accessExpiry.get(accessToken);
        if (expiry == null) {
            return Check.UNKNOWN;
        }
        return System.currentTimeMillis() < expiry ? Check.VALID : Check.EXPIRED;
    }

    /** Every access token issued so far is expired from now on; refresh tokens keep working. */
    void expireAccessTokens() {
        accessExpiry.replaceAll((token, expiry) -> 0L);
    }

    private String jwt(Map<String, Object> payload) {
        try {
            String head = BASE64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = BASE64.encodeToString(JSON.writeValueAsBytes(payload));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] signature = mac.doFinal((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + BASE64.encodeToString(signature);
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
