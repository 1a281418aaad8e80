package io.avalonsync.shotgrid;

import java.io.ByteArrayInputStream;
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
import io.avalonsync.sync.TrackerRequests;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ShotGrid script session (reference §1.2): {@code POST /api/v1/auth/access_token} with the form
 * {@code grant_type=client_credentials&client_id=<script>&client_secret=<key>}, a Bearer token valid
 * {@code expires_in} seconds (600 on real sites). The token is fetched again shortly before it expires and
 * after a 401, never refreshed with refresh tokens (simplest robust policy). Thread-safe: one login at a time,
 * readers see the current token without locking.
 * <p>
 * Camel's http endpoints that name this bean as {@code httpClientConfigurer} get {@code Authorization} and
 * {@code Accept: application/json} on every request; their 401 redelivery calls {@link #unauthorized}.
 * {@link #send} does the same for plain Java callers, with one retry after a 401 and backoff retries of 429
 * and 502/503/504 (honouring {@code Retry-After}). The key and tokens are never
 * logged.
 */
public final class ShotGridSession implements HttpClientConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fetch a new token this long before the old one expires (half the lifetime for short-lived tokens). */
    static final Duration EARLY = Duration.ofSeconds(60);
    /** Retries of 429 and 502/503/504 in {@link #send} (the official clients retry 5xx 2-3 times). */
    static final int RETRIES = 3;

    private final String site;
    private final String api;
    private final String scriptName;
    private final String apiKey;
    private final long timeoutMillis;
    private final Clock clock;
    private final HttpClient http;
    private volatile Token token;
    private volatile long retryMillis = 500;

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

    /** The site URL without {@code /api/v1}. */
    public String site() {
        return site;
    }

    public String scriptName() {
        return scriptName;
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

    /** Called before Camel redelivers a request ShotGrid refused with 401: the redelivery gets a fresh token. */
    public void unauthorized(Exchange exchange) {
        if (TrackerRequests.tokenRefused(exchange)) {
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

    /**
     * One authenticated request from plain Java: {@code Accept: application/json}, the Bearer token, one retry
     * with a new token after a 401. Answers other than 2xx become {@link ShotGridResponseException} (from the
     * error envelope when there is one).
     *
     * @param path        below the site, e.g. {@code /api/v1/entity/shots/_search}
     * @param contentType of the body, null for a GET
     */
    public byte[] send(String method, String path, String contentType, byte[] body) {
        String what = method + " " + path;
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            String used = token();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site + path))
                    .timeout(Duration.ofMillis(timeoutMillis))
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + used);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new ShotGridResponseException("ShotGrid at " + site + " cannot be reached for " + what + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShotGridResponseException("interrupted during " + what);
            }
            if (response.statusCode() == 401 && !reauthenticated) {
                reauthenticated = true;
                attempt--; // a new token is not a retry of a failure
                LOG.info("ShotGrid refused the token of script '{}' for {} (401); fetching a new one", scriptName, what);
                invalidate(used);
                continue;
            }
            int code = response.statusCode();
            if ((code == 429 || code == 502 || code == 503 || code == 504) && attempt <= RETRIES) {
                long wait = retryAfter(response, attempt);
                LOG.warn("ShotGrid answered HTTP {} to {}; retry {} of {} in {} ms", code, what, attempt, RETRIES, wait);
                sleep(wait, what);
                continue;
            }
            if (response.statusCode() / 100 != 2) {
                throw ShotGridResponseException.of(what, response.statusCode(), parse(response.body()));
            }
            return response.body();
        }
    }

    /** A {@code _search} page, read as flat records. */
    public ShotGridPage search(ShotGridSearch search) {
        byte[] answer = send("POST", search.path(), search.contentType(), search.json());
        return ShotGridPage.read(new ByteArrayInputStream(answer), search.size(), search.toString());
    }

    /** Retry-After when ShotGrid sends it (seconds, capped at a minute), else exponential backoff with jitter. */
    private long retryAfter(HttpResponse<byte[]> response, int attempt) {
        Integer seconds = ShotGridValues.integer(response.headers().firstValue("Retry-After").orElse(null));
        if (seconds != null && seconds >= 0) {
            return Math.min(60_000L, seconds * 1000L);
        }
        long base = retryMillis * (1L << (attempt - 1));
        return base + (long) (Math.random() * base / 2);
    }

    private static void sleep(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShotGridResponseException("interrupted while waiting to retry " + what);
        }
    }

    /** First backoff of {@link #send}'s retries of 429 / 502 / 503 / 504 (tests shorten it). */
    public ShotGridSession retryMillis(long millis) {
        this.retryMillis = millis;
        return this;
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
