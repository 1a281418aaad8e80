package io.avalonsync.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP calls to a {@link ShotGridSimulator}, as a ShotGrid REST client makes them. */
final class ShotGridTestClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ShotGridSimulator simulator;
    private String accessToken;

    ShotGridTestClient(ShotGridSimulator simulator) {
        this.simulator = simulator;
    }

    HttpResponse<String> tokenRequest(String form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/auth/access_token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    static String credentials(String script, String key) {
        return "grant_type=client_credentials&client_id=" + URLEncoder.encode(script, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** Logs in with the simulator's script (once) and returns the access token. */
    String token() throws Exception {
        if (accessToken == null) {
            HttpResponse<String> response = tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY));
            if (response.statusCode() != 200) {
                throw new AssertionError("login failed: " + response.statusCode() + " " + response.body());
            }
            accessToken = json(response).get("access_token").asText();
        }
        return accessToken;
    }

    void forgetToken() {
        accessToken = null;
    }

    /** GET {@code /api/v1<pathAndQuery>} with the script's token. */
    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(pathAndQuery, token());
    }

    HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + pathAndQuery))
                .header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** POST {@code /api/v1/entity/<slug>/_search} with the given content type and JSON body. */
    HttpResponse<String> search(String slug, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/entity/" + slug + "/_search"))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> searchArray(String slug, String body) throws Exception {
        return search(slug, ShotGridSimulator.ARRAY_CONTENT_TYPE, body);
    }

    /** A 200 answer's JSON; anything else fails with the body in the message. */
    JsonNode ok(HttpResponse<String> response) throws Exception {
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    /** The one error of an error envelope, after checking the envelope's shape. */
    static JsonNode error(HttpResponse<String> response, int status) throws Exception {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
        JsonNode errors = json(response).get("errors");
        if (errors == null || !errors.isArray() || errors.size() != 1) {
            throw new AssertionError("not an error envelope: " + response.body());
        }
        JsonNode error = errors.get(0);
        for (String key : new String[] {"id", "status", "code", "title", "source", "detail", "meta"}) {
            if (!error.has(key)) {
                throw new AssertionError("error without " + key + ": " + response.body());
            }
        }
        if (error.get("status").asInt() != status) {
            throw new AssertionError("errors[0].status is not " + status + ": " + response.body());
        }
        return error;
    }
}
