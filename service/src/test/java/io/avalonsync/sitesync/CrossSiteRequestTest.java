package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page on another site cannot change state through a browser that can reach the status server (README "Status
 * server"): a form POST from another origin to a site sync operation is refused, with and without basic auth (a
 * browser sends cached credentials along), while the status page's own forms, curl and scripts keep working. No
 * response echoes the request's headers.
 */
class CrossSiteRequestTest {

    private static final String EVIL = "http://evil.example";
    @TempDir
    Path dir;
    private SiteSyncHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private HttpResponse<String> send(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.statusPort + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(""));
        headers.forEach(request::header);
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean paused(ObjectId id) {
        return Boolean.TRUE.equals(h.record(id, "gdrive").getBoolean("paused"));
    }

    private void crossSiteRefusedSameSiteAccepted(String auth) throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        h.app();
        String pause = "/sitesync/pause?project=Test&representation=" + id.toHexString();
        Map<String, String> withAuth = auth == null ? Map.of() : Map.of("Authorization", auth);
        for (Map<String, String> crossSite : List.of(Map.of("Origin", EVIL), Map.of("Referer", EVIL + "/page.html"),
                Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Origin", "null"))) {
            Map<String, String> headers = new java.util.HashMap<>(withAuth);
            headers.putAll(crossSite);
            HttpResponse<String> refused = send(pause, headers);
            assertEquals(403, refused.statusCode(), crossSite + ": " + refused.body());
            assertTrue(refused.body().contains("cross-site"), refused.body());
            assertFalse(paused(id), crossSite + " changed nothing");
        }
        // the status page's own form (same origin), and a script or curl that sends no Origin
        String self = "http://127.0.0.1:" + h.statusPort;
        Map<String, String> sameOrigin = new java.util.HashMap<>(withAuth);
        sameOrigin.put("Origin", self);
        sameOrigin.put("Referer", self + "/");
        HttpResponse<String> own = send(pause, sameOrigin);
        assertTrue(own.statusCode() == 200 || own.statusCode() == 303, own.statusCode() + " " + own.body());
        assertTrue(paused(id));
        HttpResponse<String> script = send(pause + "&value=false", withAuth);
        assertTrue(script.statusCode() == 200 || script.statusCode() == 303, script.statusCode() + " " + script.body());
        assertFalse(paused(id));
        // reads stay open to any origin that may read them at all (a GET changes nothing)
        HttpRequest get = HttpRequest.newBuilder(URI.create(self + "/sitesync")).header("Origin", EVIL)
                .headers(auth == null ? new String[] {"X-Probe", "1"} : new String[] {"Authorization", auth}).GET().build();
        assertEquals(200, HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void crossSitePostsAreRefusedWithoutAuth() throws Exception {
        h = new SiteSyncHarness(dir);
        crossSiteRefusedSameSiteAccepted(null);
    }

    @Test
    void crossSitePostsAreRefusedWithCachedCredentials() throws Exception {
        h = new SiteSyncHarness(dir);
        h.settings.put("status.user", "ops");
        h.settings.put("status.password", "pw");
        crossSiteRefusedSameSiteAccepted("Basic " + Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void responsesDoNotEchoRequestHeaders() throws Exception {
        h = new SiteSyncHarness(dir);
        h.app();
        for (String path : List.of("/sitesync/run", "/sitesync/pause?project=Test")) {
            HttpResponse<String> response = send(path, Map.of("Accept", "probe/accept", "User-Agent", "probe-agent",
                    "X-Probe", "probe-header"));
            String headers = response.headers().map().toString();
            for (String probe : List.of("probe/accept", "probe-agent", "probe-header")) {
                assertFalse(headers.contains(probe), path + " echoes " + probe + ": " + headers);
            }
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.statusPort + "/health"))
                .header("User-Agent", "probe-agent").header("X-Probe", "probe-header").GET().build();
        HttpResponse<String> health = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString());
        assertNull(health.headers().firstValue("X-Probe").orElse(null), health.headers().map().toString());
        assertFalse(health.headers().map().toString().contains("probe-agent"), health.headers().map().toString());
    }
}
