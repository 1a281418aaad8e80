package io.avalonsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.avalonsync.SyncHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With status.user and status.password set, every status endpoint asks for HTTP basic auth. */
class StatusAuthTest {

    private static final List<String> PATHS = List.of("/", "/health", "/health/live", "/health/ready", "/metrics", "/sitesync");
    private static SyncHarness h;
    private static StatusHttp http;

    @BeforeAll
    static void start() throws Exception {
        h = SyncHarness.demo(Map.of("status.user", "ops", "status.password", "pa:ss wörd"));
        h.app();
        http = new StatusHttp(h.statusPort());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void withoutCredentialsEveryEndpointAnswers401WithAChallenge() throws Exception {
        for (String path : PATHS) {
            HttpResponse<String> response = http.get(path);
            assertEquals(401, response.statusCode(), path);
            assertEquals("Basic realm=\"avalon-sync\", charset=\"UTF-8\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertFalse(response.body().contains("mongo"), path + " leaked content: " + response.body());
        }
    }

    @Test
    void theRightCredentialsGetThrough() throws Exception {
        for (String path : PATHS) {
            HttpResponse<String> response = http.get(path, "ops", "pa:ss wörd");
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            assertTrue(response.headers().firstValue("Authorization").isEmpty(), "credentials echoed back on " + path);
        }
        assertTrue(http.get("/metrics", "ops", "pa:ss wörd").body().contains("avalon_sync_check_up"));
    }

    @Test
    void aWrongPasswordOrUserIsRefused() throws Exception {
        for (String path : PATHS) {
            assertEquals(401, http.get(path, "ops", "pa:ss word").statusCode(), path);
            assertEquals(401, http.get(path, "ops", "").statusCode(), path);
            assertEquals(401, http.get(path, "Ops", "pa:ss wörd").statusCode(), path);
        }
    }
}
