package io.avalonsync.shotgrid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Script auth, token renewal before expiry and after 401, and error envelopes, against a loopback server. */
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
        } else if (!"application/vnd+shotgun.api3_array+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
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

    @Test
    void logsInWithTheFormSendsTheBearerAndRenewsBeforeExpiryAndAfter401() {
        ShotGridSession session = new ShotGridSession(url, "avalon_sync", "right", 5000, clock);

        assertEquals(List.of("sh1"), session.search(ShotGridSearch.of("Shot")).records().stream().map(r -> r.get("code")).toList());
        assertEquals("auth application/x-www-form-urlencoded grant_type=client_credentials&client_id=avalon_sync&client_secret=right",
                calls.get(0));
        assertEquals("search Bearer " + jwt(12, 1) + " application/vnd+shotgun.api3_array+json application/json", calls.get(1));
        assertEquals(12, session.apiUserId());

        clock.now = clock.now.plusSeconds(539);
        session.token();
        assertEquals(1, logins, "still valid");
        clock.now = clock.now.plusSeconds(1);
        session.token();
        assertEquals(2, logins, "renewed 60 s before the 600 s expiry");

        refuseNextSearch = true;
        session.search(ShotGridSearch.of("Shot"));
        assertEquals(3, logins, "a 401 fetches a new token, then the request is retried once");
        assertTrue(calls.get(calls.size() - 1).contains(jwt(12, 3)), calls.toString());
    }

    @Test
    void badCredentialsAndErrorEnvelopesAreClearErrors() {
        ShotGridLoginException refused = assertThrows(ShotGridLoginException.class,
                () -> new ShotGridSession(url, "avalon_sync", "wrong", 5000, clock).token());
        assertEquals("ShotGrid refused script 'avalon_sync' at " + url.replaceAll("/$", "")
                + ": Can't authenticate script 'avalon_sync'", refused.getMessage());
        assertEquals(102, refused.code());
        assertTrue(!refused.getMessage().contains("wrong"), "the key is never in a message");

        ShotGridSession session = new ShotGridSession(url, "avalon_sync", "right", 5000, clock);
        ShotGridResponseException unsupported = assertThrows(ShotGridResponseException.class,
                () -> session.send("POST", "/api/v1/entity/shots/_search", "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(415, unsupported.status());
        assertEquals(103, unsupported.code());
        assertTrue(unsupported.getMessage().contains("POST /api/v1/entity/shots/_search"), unsupported.getMessage());
    }
}
