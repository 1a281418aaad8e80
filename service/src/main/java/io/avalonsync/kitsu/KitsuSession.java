package io.avalonsync.kitsu;

import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.socketio.TokenProvider;
import io.avalonsync.sync.Failures;
import io.avalonsync.sync.SourceHealth;
import io.avalonsync.sync.TrackerRequests;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kitsu login: builds the login request, keeps the access token, and puts it on every request of
 * the Kitsu endpoints that name this bean as {@code httpClientConfigurer}. Tokens are never logged.
 */
public final class KitsuSession implements HttpClientConfigurer, TokenProvider, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KitsuSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String api;
    private final String user;
    private final String password;
    private final SourceHealth status;
    private final long timeoutMillis;
    private volatile String accessToken;
    private CamelContext camelContext;

    public KitsuSession(String api, String user, String password, long timeoutMillis, SourceHealth status) {
        this.api = api;
        this.user = user;
        this.password = password;
        this.timeoutMillis = timeoutMillis;
        this.status = status;
    }

    /** The JSON body of {@code POST /auth/login}. */
    public byte[] loginRequest() throws Exception {
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new KitsuLoginException("kitsu.user and kitsu.password (or GAZU_USER / GAZU_PASSWD) must be set to log in to " + api);
        }
        return JSON.writeValueAsBytes(Map.of("email", user, "password", password));
    }

    /** Keeps the token of a successful login, or fails with a message an operator can act on. */
    public void loginResponse(@Header(Exchange.HTTP_RESPONSE_CODE) Integer answered, @Body InputStream answer) throws Exception {
        int code = answered == null ? 0 : answered;
        Map<?, ?> body = null;
        try (InputStream in = answer) {
            if (in != null) {
                body = JSON.readValue(in, Map.class);
            }
        } catch (Exception e) {
            // reported below with the status code
        }
        if (code == 200 && body != null && Boolean.TRUE.equals(body.get("login")) && body.get("access_token") != null) {
            accessToken = body.get("access_token").toString();
            LOG.info("logged in to Kitsu at {} as {}", api, user);
            return;
        }
        String reason = code == 400 || code == 401
                ? "wrong e-mail or password, or the account is inactive or needs 2FA"
                : code >= 500 ? "the server failed" : code == 429 ? "too many requests" : "unexpected answer";
        String message = "Kitsu login as " + user + " at " + api + " failed: " + reason + " (HTTP " + code + ")";
        // a 5xx or 429 carries its status as an HTTP failure, which the kitsu-requests policy retries
        // (routes/errors.camel.yaml); refused credentials are not asked again
        KitsuLoginException failure = code >= 500 || code == 429
                ? new KitsuLoginException(message, new HttpOperationFailedException(api + "/auth/login", code, null,
                        null, null, null))
                : new KitsuLoginException(message);
        status.down(failure.getMessage());
        throw failure;
    }

    /**
     * The login got no answer (connection refused, timed out): fails naming Kitsu and its URL, the I/O failure as
     * the cause, which the kitsu-requests policy retries.
     */
    public void unreachable(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        KitsuLoginException failure = new KitsuLoginException("Kitsu at " + api + " cannot be reached to log in as "
                + user + ": " + Failures.describe(cause), cause);
        status.down(failure.getMessage());
        throw failure;
    }

    /**
     * Before a redelivery of a request Kitsu refused with 401 (the onRedelivery processor kitsuRelogin, as Camel calls
     * it): log in again, then retry.
     */
    public void relogin(Exchange exchange) {
        if (TrackerRequests.tokenRefused(exchange)) {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            LOG.info("Kitsu refused the token ({}); logging in again", Failures.describe(cause));
            accessToken = null;
            ProducerTemplate template = exchange.getContext().createProducerTemplate();
            try {
                template.send("direct:kitsu-login", exchange.copy());
            } finally {
                try {
                    template.stop();
                } catch (Exception ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** The token for the event stream's handshake; a renewal logs in again through the kitsu-login route. */
    @Override
    public synchronized String token(boolean renew) {
        if (renew || accessToken == null) {
            accessToken = null;
            Exchange result = camelContext.createProducerTemplate().send("direct:kitsu-login", e -> { });
            if (result.getException() != null) {
                throw new KitsuLoginException(result.getException().getMessage());
            }
        }
        return accessToken;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        TrackerRequests.timeouts(builder, timeoutMillis);
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            String token = accessToken;
            if (token != null) {
                request.setHeader("Authorization", "Bearer " + token);
            }
        });
    }
}
