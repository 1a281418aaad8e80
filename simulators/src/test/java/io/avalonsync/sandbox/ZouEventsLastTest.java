package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/data/events/last}: Zou's filters, its page cap and cursor, newest first. */
class ZouEventsLastTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(String instant) {
            set(instant);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ManualClock clock = new ManualClock("2024-05-01T10:00:00Z");
    private KitsuData data;
    private KitsuSimulator simulator;
    private String token;

    @BeforeEach
    void start() throws Exception {
        data = new KitsuData();
        data.setClock(clock);
        simulator = KitsuSimulator.start(0, data);
        token = login();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void needsAnAccessToken() throws Exception {
        HttpResponse<String> response = get("/data/events/last", null);
        assertEquals(401, response.statusCode());
        assertEquals("Missing Authorization Header", MAPPER.readTree(response.body()).get("msg").asText());
        simulator.expireTokens();
        assertEquals(401, get("/data/events/last", token).statusCode());
    }

    @Test
    void answersApiEventsNewestFirst() throws Exception {
        String projectId = id(data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080"));
        clock.set("2024-05-01T10:00:01Z");
        String assetTypeId = id(data.addAssetType("Character", "chr"));
        clock.set("2024-05-01T10:00:02Z");
        String assetId = id(data.addAsset(projectId, assetTypeId, "Boris"));

        JsonNode events = json(get("/data/events/last", token));
        assertEquals(3, events.size());
        assertEquals(List.of("asset:new", "asset-type:new", "project:new"), names(events));
        JsonNode newest = events.get(0);
        assertEquals(List.of("id", "created_at", "name", "user_id", "project_id", "data"), fieldNames(newest));
        assertEquals("2024-05-01T10:00:02", newest.get("created_at").asText());
        assertEquals(data.adminPerson().get("id"), newest.get("user_id").asText());
        assertEquals(projectId, newest.get("project_id").asText());
        assertEquals(MAPPER.valueToTree(Map.of("asset_id", assetId, "asset_type", assetTypeId,
                "project_id", projectId)), newest.get("data"));
        assertTrue(events.get(1).get("project_id").isNull());
        assertEquals(lastLogged().get("id"), newest.get("id").asText());
    }

    @Test
    void afterAndBeforeAreStrict() throws Exception {
        for (String second : List.of("00", "01", "02")) {
            clock.set("2024-05-01T10:00:" + second + "Z");
            data.recordEvent("person:update", Map.of("second", second), null);
        }
        assertEquals(List.of("02"), seconds("after=2024-05-01T10:00:01"));
        assertEquals(List.of("00"), seconds("before=2024-05-01T10:00:01"));
        assertEquals(List.of("01"), seconds("after=2024-05-01T10:00:00&before=2024-05-01T10:00:02"));
        assertEquals(List.of(), seconds("after=2024-05-01T10:00:02"));
        // a bare date is midnight
        assertEquals(List.of("02", "01", "00"), seconds("after=2024-05-01"));
        assertEquals(List.of(), seconds("before=2024-05-01"));
        assertEquals(List.of(), seconds("after=2024-05-02"));
    }

    @Test
    void timesKeepTheirFractionWhileShownToTheSecond() throws Exception {
        // as in Zou's database: shown as 10:00:03, the event is still later than 10:00:03 sharp
        clock.set("2024-05-01T10:00:03.400Z");
        data.recordEvent("person:update", Map.of(), null);

        JsonNode events = json(get("/data/events/last?after=2024-05-01T10:00:03", token));
        assertEquals(1, events.size());
        assertEquals("2024-05-01T10:00:03", events.get(0).get("created_at").asText());
        assertEquals(0, json(get("/data/events/last?before=2024-05-01T10:00:03", token)).size());
    }

    @Test
    void limitDefaultsTo100AndIsCappedAt1000() throws Exception {
        for (int i = 0; i < 1_205; i++) {
            data.recordEvent("person:update", Map.of("n", i), null);
        }
        assertEquals(100, json(get("/data/events/last", token)).size());
        assertEquals(3, json(get("/data/events/last?limit=3", token)).size());
        assertEquals(1000, json(get("/data/events/last?limit=5000", token)).size());
        JsonNode newest = json(get("/data/events/last?limit=1", token)).get(0);
        assertEquals(1_204, newest.at("/data/n").asInt());
    }

    @Test
    void cursorPagesBackwardsThroughTheWholeLog() throws Exception {
        // one instant for all: paging must not rely on distinct times
        for (int i = 0; i < 1_205; i++) {
            data.recordEvent("person:update", Map.of("n", i), null);
        }
        List<String> paged = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode page = json(get("/data/events/last?limit=500"
                    + (cursor == null ? "" : "&cursor_event_id=" + cursor), token));
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(event -> paged.add(event.get("id").asText()));
            cursor = page.get(page.size() - 1).get("id").asText();
        }
        assertEquals(List.of(500, 500, 205, 0), pageSizes);
        List<String> logged = new ArrayList<>();
        data.events().forEach(e -> logged.add((String) e.get("id")));
        Collections.reverse(logged);
        assertEquals(logged, paged);
    }

    @Test
    void cursorCombinesWithTheOtherFilters() throws Exception {
        String projectId = id(data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080"));
        String assetTypeId = id(data.addAssetType("Character", "chr"));
        List<String> assets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assets.add(id(data.addAsset(projectId, assetTypeId, "Asset " + i)));
        }
        JsonNode first = json(get("/data/events/last?name=asset:new&limit=2", token));
        assertEquals(List.of(assets.get(4), assets.get(3)), assetIds(first));
        String cursor = first.get(1).get("id").asText();
        JsonNode second = json(get("/data/events/last?name=asset:new&limit=2&cursor_event_id=" + cursor, token));
        assertEquals(List.of(assets.get(2), assets.get(1)), assetIds(second));
    }

    @Test
    void projectAndNameFilters() throws Exception {
        String first = id(data.addProject("Agent 327", "a327", "tvshow", "25", "1920x1080"));
        String second = id(data.addProject("Sprite Fright", "spf", "short", "24", "2048x858"));
        String assetTypeId = id(data.addAssetType("Character", "chr"));
        data.addAsset(first, assetTypeId, "Boris");
        data.addAsset(second, assetTypeId, "Ellie");
        data.addEpisode(first, "E01");

        JsonNode ofFirst = json(get("/data/events/last?project_id=" + first, token));
        assertEquals(List.of("episode:new", "asset:new", "project:new"), names(ofFirst));
        ofFirst.forEach(event -> assertEquals(first, event.get("project_id").asText()));

        JsonNode assetsOfSecond = json(get("/data/events/last?project_id=" + second + "&name=asset:new", token));
        assertEquals(1, assetsOfSecond.size());
        assertEquals(second, assetsOfSecond.get(0).at("/data/project_id").asText());

        assertEquals(List.of("asset-type:new"), names(json(get("/data/events/last?name=asset-type:new", token))));
        assertEquals(0, json(get("/data/events/last?name=asset", token)).size(), "name is exact");
    }

    @Test
    void badParametersAre400() throws Exception {
        data.recordEvent("person:update", Map.of(), null);
        String unknown = "/data/events/last?cursor_event_id=8f1ab5c4-1111-4222-8333-944455556666";
        assertEquals(400, get(unknown, token).statusCode());
        assertTrue(json400(unknown).get("message").asText().startsWith("No event found with id"));
        assertEquals(400, get("/data/events/last?cursor_event_id=nope", token).statusCode());
        assertEquals(400, get("/data/events/last?project_id=nope", token).statusCode());
        assertEquals(400, get("/data/events/last?after=yesterday", token).statusCode());
        assertEquals(400, get("/data/events/last?before=2024-13-01", token).statusCode());
        assertEquals(400, get("/data/events/last?limit=many", token).statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private List<String> seconds(String query) throws Exception {
        List<String> seconds = new ArrayList<>();
        json(get("/data/events/last?" + query, token)).forEach(e -> seconds.add(e.at("/data/second").asText()));
        return seconds;
    }

    private Map<String, Object> lastLogged() {
        List<Map<String, Object>> events = data.events();
        return events.get(events.size() - 1);
    }

    private static List<String> names(JsonNode events) {
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.get("name").asText()));
        return names;
    }

    private static List<String> assetIds(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.at("/data/asset_id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode json400(String path) throws Exception {
        return MAPPER.readTree(get(path, token).body());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + KitsuSimulator.EMAIL
                        + "\",\"password\":\"" + KitsuSimulator.PASSWORD + "\"}"))
                .build();
        return json(client.send(request, HttpResponse.BodyHandlers.ofString())).get("access_token").asText();
    }

    private static String id(Map<String, Object> record) {
        return (String) record.get("id");
    }
}
