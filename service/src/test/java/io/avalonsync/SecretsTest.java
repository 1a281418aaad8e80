package io.avalonsync;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets never shown (README "Running it for real"): a password inside the MongoDB URI, the Kitsu password, the
 * ShotGrid key and the status page password, given as an operator would, appear neither in the log of `validate`
 * and of the daemon (its start-up summary, the failures the refused login causes) nor in anything the status
 * server answers.
 */
class SecretsTest {

    private static final String MONGO_PASSWORD = "Mongo-Pw-4711";
    private static final String STATUS_PASSWORD = "Status-Pw-0815";
    private static final String SHOTGRID_KEY = "Sg-Key-2718";

    @Test
    void noPasswordAppearsInLogsOrOnTheStatusServer(@TempDir Path dir) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data)) {
            int statusPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                statusPort = socket.getLocalPort();
            }
            Map<String, String> settings = new LinkedHashMap<>();
            // the embedded store has no users: the login with this password is refused, and that failure is logged
            settings.put("avalon.mongo-uri", "mongodb://avsync:" + MONGO_PASSWORD + "@127.0.0.1:" + mongo.port()
                    + "/?authSource=admin");
            settings.put("avalon.mongo-timeout", "2000");
            settings.put("kitsu.url", kitsu.baseUrl());
            settings.put("kitsu.user", KitsuSimulator.EMAIL);
            settings.put("kitsu.password", KitsuSimulator.PASSWORD);
            settings.put("shotgrid.api-key", SHOTGRID_KEY);
            settings.put("status.port", String.valueOf(statusPort));
            settings.put("status.user", "ops");
            settings.put("status.password", STATUS_PASSWORD);

            List<String> shown = new ArrayList<>();
            ServiceProcess validate = ServiceProcess.start(settings, dir.resolve("validate.log"), "validate");
            assertTrue(validate.process().waitFor(60, TimeUnit.SECONDS), "validate ended");
            shown.add(validate.log());

            try (ServiceProcess daemon = ServiceProcess.start(settings, dir.resolve("daemon.log"))) {
                HttpClient http = HttpClient.newHttpClient();
                String auth = "Basic " + Base64.getEncoder().encodeToString(("ops:" + STATUS_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                await("the status server answers", 60_000, () -> get(http, statusPort, "/health", auth) != null);
                // the start-up sync has tried MongoDB with the refused login
                await("MongoDB reported down", 60_000, () -> {
                    HttpResponse<String> health = get(http, statusPort, "/health", auth);
                    return health != null && health.statusCode() == 503;
                });
                for (String path : List.of("/health", "/health/ready", "/health/live", "/metrics", "/", "/sitesync")) {
                    HttpResponse<String> response = get(http, statusPort, path, auth);
                    assertEquals(true, response != null, path + " answered");
                    shown.add(path + " -> " + response.headers().map() + "\n" + response.body());
                }
                assertEquals(0, daemon.terminate(45), "exit code after SIGTERM");
                shown.add(daemon.log());
                assertTrue(daemon.log().contains("avalon.mongo-uri"), "the start-up summary names the key");
            }
            for (String text : shown) {
                for (String secret : List.of(MONGO_PASSWORD, STATUS_PASSWORD, SHOTGRID_KEY, KitsuSimulator.PASSWORD)) {
                    assertFalse(text.contains(secret), "a secret is shown:\n" + excerpt(text, secret));
                }
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String auth) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null; // not listening yet
        }
    }

    private static String excerpt(String text, String secret) {
        return text.lines().filter(l -> l.contains(secret)).limit(10).reduce("", (a, b) -> a + b + "\n");
    }
}
