package io.avalonsync.kitsu;

import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.socketio.TokenProvider;
import io.avalonsync.status.SourceStatus;
import io.avalonsync.sync.Failures;
import io.avalonsync.sync.TrackerRequests;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
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
    private final SourceStatus status;
    private final long timeoutMillis;
    private volatile String accessToken;
    private CamelContext camelContext;

    public KitsuSession(String api, String user, String password, long timeoutMillis, SourceStatus status) {
        this.api = api;
        this.user = user;
        this.password = password;
        this.timeoutMillis = timeoutMillis;
        this.status = status;
    }

    /** Body and headers of {@code POST /auth/login}. */
    public void loginRequest(Exchange exchange) throws Exception {
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new KitsuLoginException("kitsu.user and kitsu.password (or GAZU_USER / GAZU_PASSWD) must be set to log in to " + api);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsBytes(Map.of("email", user, "password", password)));
    }

    /** Keeps the token of a successful login, or fails with a message an operator can act on. */
    public void loginResponse(Exchange exchange) throws Exception {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Map<?, ?> body = null;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
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
                : code >= 500 ? "the server failed" : "unexpected answer";
        KitsuLoginException failure = new KitsuLoginException(
                "Kitsu login as " + user + " at " + api + " failed: " + reason + " (HTTP " + code + ")");
        status.down(failure.getMessage());
        throw failure;
    }

    /** Called before a redelivery of a request Kitsu refused with 401: log in again, then retry. */
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
