package io.avalonsync.shotgrid;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.sync.HttpFaults;
import io.avalonsync.sync.TrackerRequests;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ShotGrid script session (docs/shotgrid-api.md, Script login): {@code POST /api/v1/auth/access_token} with
 * the form {@code grant_type=client_credentials&client_id=<script>&client_secret=<key>}, a Bearer token valid
 * {@code expires_in} seconds (600 on real sites). The token is fetched again shortly before it expires and
 * after a 401, never refreshed with refresh tokens (simplest robust policy). Thread-safe: one login at a time,
 * readers see the current token without locking.
 * <p>
 * Camel's http endpoints that name this bean as {@code httpClientConfigurer} get {@code Authorization} and
 * {@code Accept: application/json} on every request; their 401 redelivery calls {@link #unauthorized} (the
 * retries are the routes', routes/errors.camel.yaml). The key and tokens are never logged.
 */
public final class ShotGridSession implements HttpClientConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fetch a new token this long before the old one expires (half the lifetime for short-lived tokens). */
    static final Duration EARLY = Duration.ofSeconds(60);

    private final String site;
    private final String api;
    private final String scriptName;
    private final String apiKey;
    private final long timeoutMillis;
    private final Clock clock;
    private final HttpClient http;
    private volatile Token token;

    private record Token(String value, Instant renewAt, Integer apiUserId) {
    }

    public ShotGridSession(String url, String scriptName, String apiKey, long timeoutMillis, Clock clock) {
        if (url == null || url.isBlank()) {
            throw new ShotGridLoginException("shotgrid.url is not set");
        }
        String trimmed = url.strip().replaceAll("/+$", "");
        this.site = trimmed.endsWith(ShotGridSearch.API) ? trimmed.substring(0, trimmed.length() - ShotGridSearch.API.length()) : trimmed;
        this.api = site + ShotGridSearch.API;
        this.scriptName = scriptName;
        this.apiKey = apiKey;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMillis)).build();
    }

    public ShotGridSession(String url, String scriptName, String apiKey, long timeoutMillis) {
        this(url, scriptName, apiKey, timeoutMillis, Clock.systemUTC());
    }

    /** A valid access token, fetched when there is none or it is about to expire. */
    public String token() {
        Token current = token;
        if (current != null && clock.instant().isBefore(current.renewAt)) {
            return current.value;
        }
        return login(current).value;
    }

    /**
     * The id of the script's ApiUser, read from the token (a JWT whose payload names {@code user: {type:
     * "ApiUser", id}}); null when the token is not a JWT. Events made by this user are our own.
     */
    public Integer apiUserId() {
        token();
        return token.apiUserId;
    }

    /** Forgets the token ShotGrid refused with 401: the next request logs in again. */
    public void invalidate(String refusedToken) {
        synchronized (this) {
            if (token != null && (refusedToken == null || token.value.equals(refusedToken))) {
                token = null;
            }
        }
    }

    /**
     * Called with the failure before Camel redelivers a request (onRedeliveryRef {@code shotgridRelogin}): when
     * ShotGrid refused the token (401, wherever the failure is wrapped), the redelivery gets a fresh one.
     */
    public void unauthorized(Throwable failure) {
        if (HttpFaults.status(failure) == 401) {
            LOG.info("ShotGrid refused the token of script '{}' at {} (401); fetching a new one", scriptName, site);
            invalidate(null);
        }
    }

    private synchronized Token login(Token stale) {
        if (token != stale && token != null && clock.instant().isBefore(token.renewAt)) {
            return token; // another thread logged in while this one waited
        }
        if (scriptName == null || scriptName.isBlank() || apiKey == null || apiKey.isBlank()) {
            throw new ShotGridLoginException("shotgrid.script-name and shotgrid.api-key must be set to use " + site);
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(scriptName, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/auth/access_token"))
                .timeout(Duration.ofMillis(timeoutMillis))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ShotGridLoginException("ShotGrid at " + site + " cannot be reached to log in script '" + scriptName
                    + "': " + e, 0, null, null, null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShotGridLoginException("interrupted while logging in to ShotGrid at " + site);
        }
        Object body = parse(response.body());
        if (response.statusCode() == 200 && body instanceof Map<?, ?> ok && ok.get("access_token") != null) {
            String value = ok.get("access_token").toString();
            Integer expiresIn = ShotGridValues.integer(ok.get("expires_in"));
            long lifetime = expiresIn == null || expiresIn <= 0 ? 600 : expiresIn;
            long early = Math.min(EARLY.toSeconds(), lifetime / 2);
            token = new Token(value, clock.instant().plusSeconds(lifetime - early), apiUserOf(value));
            LOG.info("ShotGrid script '{}' logged in at {} (token valid {} s)", scriptName, site, lifetime);
            return token;
        }
        ShotGridResponseException error = ShotGridResponseException.of("POST /api/v1/auth/access_token",
                response.statusCode(), body);
        String reason = error.title() != null ? error.title() + (error.detail() == null ? "" : " (" + error.detail() + ")")
                : "HTTP " + response.statusCode() + " " + ShotGridResponseException.abbreviate(
                        new String(response.body(), StandardCharsets.UTF_8));
        throw new ShotGridLoginException("ShotGrid refused script '" + scriptName + "' at " + site + ": " + reason,
                response.statusCode(), error.code(), error.title(), error.detail(), error.source(), null);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        TrackerRequests.timeouts(builder, timeoutMillis);
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            if (!request.getPath().contains("/auth/access_token")) {
                request.setHeader("Authorization", "Bearer " + token());
            }
            if (!request.containsHeader("Accept")) {
                request.setHeader("Accept", "application/json");
            }
        });
    }

    private static Object parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : JSON.readValue(body, Object.class);
        } catch (IOException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** {@code user.id} of an ApiUser token; null for anything that is not a JWT naming one. */
    static Integer apiUserOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            Object payload = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Object.class);
            if (payload instanceof Map<?, ?> claims && claims.get("user") instanceof Map<?, ?> user
                    && "ApiUser".equals(user.get("type"))) {
                return ShotGridValues.integer(user.get("id"));
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a JWT: own events are recognised by the ApiUser's name instead
        }
        return null;
    }

    @Override
    public String toString() {
        return "ShotGrid script '" + scriptName + "' at " + site;
    }
}
