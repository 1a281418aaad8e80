package io.avalonsync.shotgrid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Script auth, the token on every request of the routes, renewal before expiry and after 401, and error envelopes. */
class ShotGridSessionTest {

    private HttpServer server;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile int logins;
    private volatile boolean refuseNextSearch;
    private String url;
    private final ShotGridEventCursorTest.MutableClock clock = new ShotGridEventCursorTest.MutableClock();

    private static String jwt(int apiUser, int n) {
        String payload = "{\"user\": {\"type\": \"ApiUser\", \"id\": " + apiUser + "}, \"n\": " + n + "}";
        return "e30." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/auth/access_token", this::auth);
        server.createContext("/api/v1/entity/shots/_search", this::search);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void auth(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add("auth " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + form);
        if (form.contains("client_secret=right")) {
            logins++;
            reply(exchange, 200, "{\"token_type\": \"Bearer\", \"access_token\": \"" + jwt(12, logins)
                    + "\", \"expires_in\": 600, \"refresh_token\": \"r\"}");
        } else {
            reply(exchange, 400, "{\"errors\": [{\"id\": \"x\", \"status\": 400, \"code\": 102, "
                    + "\"title\": \"Can't authenticate script 'avalon_sync'\", \"source\": {}, \"detail\": null}]}");
        }
    }

    private void search(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        calls.add("search " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + " " + exchange.getRequestHeaders().getFirst("Accept"));
        if (refuseNextSearch) {
            refuseNextSearch = false;
            reply(exchange, 401, "{\"errors\": [{\"status\": 401, \"title\": \"Unauthorized\"}]}");
        } else if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/vnd+shotgun.api3_array+json")) {
            reply(exchange, 415, "{\"errors\": [{\"status\": 415, \"code\": 103, \"title\": \"Unsupported Media Type\"}]}");
        } else {
            reply(exchange, 200, "{\"data\": [{\"type\": \"Shot\", \"id\": 1, \"attributes\": {\"code\": \"sh1\"}, "
                    + "\"relationships\": {}}], \"links\": {\"next\": \"/x\"}}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A search as the routes' http endpoints send it: through an HTTP client set up by the session. */
    private String post(ShotGridSession session, String contentType) throws IOException {
        HttpClientBuilder builder = HttpClients.custom();
        session.configureHttpClient(builder);
        try (CloseableHttpClient client = builder.build()) {
            HttpPost post = new HttpPost(url + "api/v1/entity/shots/_search");
            post.setEntity(new StringEntity("{}", ContentType.parse(contentType)));
            return client.execute(post, response -> response.getCode() + " " + EntityUtils.toString(response.getEntity()));
        }
    }

    @Test
    void logsInWithTheFormSendsTheBearerAndRenewsBeforeExpiryAndAfter401() throws IOException {
        ShotGridSession session = new ShotGridSession(url, "avalon_sync", "right", 5000, clock);

        assertTrue(post(session, ShotGridSearch.ARRAY_CONTENT_TYPE).startsWith("200 "));
        assertEquals("auth application/x-www-form-urlencoded grant_type=client_credentials&client_id=avalon_sync&client_secret=right",
                calls.get(0));
        assertEquals("search Bearer " + jwt(12, 1) + " application/vnd+shotgun.api3_array+json application/json",
                calls.get(1));
        assertEquals(12, session.apiUserId());

        clock.now = clock.now.plusSeconds(539);
        session.token();
        assertEquals(1, logins, "still valid");
        clock.now = clock.now.plusSeconds(1);
        session.token();
        assertEquals(2, logins, "renewed 60 s before the 600 s expiry");

        refuseNextSearch = true;
        String refused = post(session, ShotGridSearch.ARRAY_CONTENT_TYPE);
        assertTrue(refused.startsWith("401 "), refused);
        // what the routes' 401 redelivery calls first (onRedeliveryRef shotgridRelogin)
        session.unauthorized(new HttpOperationFailedException(url, 401, "Unauthorized", null, Map.of(), refused));
        assertTrue(post(session, ShotGridSearch.ARRAY_CONTENT_TYPE).startsWith("200 "));
        assertEquals(3, logins, "a 401 fetches a new token for the redelivery");
        assertTrue(calls.get(calls.size() - 1).contains(jwt(12, 3)), calls.toString());
        session.unauthorized(new HttpOperationFailedException(url, 503, "Service Unavailable", null, Map.of(), ""));
        session.token();
        assertEquals(3, logins, "other failures keep the token");
    }

    @Test
    void badCredentialsAndErrorEnvelopesAreClearErrors() throws IOException {
        ShotGridLoginException refused = assertThrows(ShotGridLoginException.class,
                () -> new ShotGridSession(url, "avalon_sync", "wrong", 5000, clock).token());
        assertEquals("ShotGrid refused script 'avalon_sync' at " + url.replaceAll("/$", "")
                + ": Can't authenticate script 'avalon_sync'", refused.getMessage());
        assertEquals(102, refused.code());
        assertTrue(!refused.getMessage().contains("wrong"), "the key is never in a message");

        ShotGridSession session = new ShotGridSession(url, "avalon_sync", "right", 5000, clock);
        String answer = post(session, "application/json");
        String uri = url + "api/v1/entity/shots/_search";
        ShotGridResponseException unsupported = ShotGridResponseException.of(new HttpOperationFailedException(uri,
                415, "Unsupported Media Type", null, Map.of(), answer.substring(answer.indexOf(' ') + 1)));
        assertEquals(415, unsupported.status());
        assertEquals(103, unsupported.code());
        assertEquals("ShotGrid answered HTTP 415 to " + uri + ": Unsupported Media Type (code 103)", unsupported.getMessage());
    }
}
