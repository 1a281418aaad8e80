package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KitsuSimulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KitsuData data;
    private KitsuSimulator simulator;

    @BeforeEach
    void startDemo() throws IOException {
        data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        simulator = KitsuSimulator.start(0, data);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    // ---------------------------------------------------------------- auth

    @Test
    void indexAnswersWithoutAToken() throws Exception {
        JsonNode index = json(get("/", null));
        assertEquals("Zou", index.get("api").asText());
        assertEquals("1.0.67", index.get("version").asText());
        assertTrue(simulator.apiUrl().matches("http://127\\.0\\.0\\.1:\\d+/api"));
    }

    @Test
    void loginReturnsTokensAndTheUser() throws Exception {
        HttpResponse<String> response = post("/auth/login",
                "{\"email\":\"" + KitsuSimulator.EMAIL + "\",\"password\":\"" + KitsuSimulator.PASSWORD + "\"}");
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertTrue(body.get("login").asBoolean());
        assertEquals(KitsuSimulator.EMAIL, body.at("/user/email").asText());
        assertEquals("admin", body.at("/user/role").asText());
        assertEquals(3, body.get("access_token").asText().split("\\.").length, "JWT shaped");
        assertFalse(body.get("refresh_token").asText().isEmpty());
        assertTrue(body.get("organisation").isObject());
    }

    @Test
    void loginRefusesBadCredentialsAndBrokenBodies() throws Exception {
        for (String body : List.of("{\"email\":\"admin@example.com\",\"password\":\"wrong\"}", "{not json", "")) {
            HttpResponse<String> response = post("/auth/login", body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("{\"login\":false}", response.body());
        }
        simulator.setCredentials("td@studio.example", "s3cret");
        assertEquals(200, post("/auth/login", "{\"email\":\"td@studio.example\",\"password\":\"s3cret\"}").statusCode());
    }

    @Test
    void dataRoutesNeedAValidBearerToken() throws Exception {
        HttpResponse<String> missing = get("/data/projects", null);
        assertEquals(401, missing.statusCode());
        assertEquals("Missing Authorization Header", json(missing).get("msg").asText());

        HttpResponse<String> garbled = send(request("/data/projects").header("Authorization", "Token abc").GET());
        assertEquals(401, garbled.statusCode());
        assertEquals("Missing Authorization Header", json(garbled).get("msg").asText());

        HttpResponse<String> unknown = get("/data/projects", "not-a-token-we-issued");
        assertEquals(401, unknown.statusCode());
        assertEquals("Invalid token", json(unknown).get("msg").asText());
    }

    @Test
    void expiredTokenIsRefusedUntilRefreshed() throws Exception {
        JsonNode login = json(post("/auth/login", credentials()));
        String access = login.get("access_token").asText();
        String refresh = login.get("refresh_token").asText();
        assertEquals(200, get("/data/projects", access).statusCode());

        simulator.expireTokens();
        HttpResponse<String> expired = get("/data/projects", access);
        assertEquals(401, expired.statusCode());
        assertTrue(json(expired).get("error").asBoolean());
        assertEquals("Signature has expired", json(expired).get("message").asText());

        HttpResponse<String> refreshed = get("/auth/refresh-token", refresh);
        assertEquals(200, refreshed.statusCode());
        String renewed = json(refreshed).get("access_token").asText();
        assertEquals(200, get("/data/projects", renewed).statusCode());
        assertEquals(200, get("/data/projects", login()).statusCode());
        assertEquals(true, json(get("/auth/authenticated", renewed)).get("authenticated").asBoolean());
        // a refresh token is not an access token
        assertEquals(422, get("/data/projects", refresh).statusCode());
    }

    // ---------------------------------------------------------------- data routes

    @Test
    void projectRoutesUseZouFieldsAndTypes() throws Exception {
        String token = login();
        JsonNode open = json(get("/data/projects/open", token));
        assertEquals(2, open.size());
        JsonNode agent = byName(open, "Agent 327");
        assertTrue(agent.get("fps").isTextual(), "fps is a string in Zou");
        assertEquals("25", agent.get("fps").asText());
        assertEquals("1920x1080", agent.get("resolution").asText());
        assertEquals("tvshow", agent.get("production_type").asText());
        assertEquals("Open", agent.get("project_status_name").asText());
        assertTrue(agent.get("descriptors").isArray());
        assertTrue(agent.get("task_types_priority").isObject());
        assertTrue(agent.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"));
        assertEquals(8, agent.get("task_types").size());
        String projectId = agent.get("id").asText();
        JsonNode firstEpisode = json(get("/data/projects/" + projectId + "/episodes", token)).get(0);
        assertEquals(firstEpisode.get("id").asText(), agent.get("first_episode_id").asText());

        JsonNode plain = byName(json(get("/data/projects", token)), "Agent 327");
        assertFalse(plain.has("task_types"), "CRUD list has no relations unless asked");
        assertTrue(byName(json(get("/data/projects?relations=true", token)), "Agent 327").has("task_types"));
        assertEquals("Open", json(get("/data/projects/" + projectId, token)).get("project_status_name").asText());
        assertEquals(2, json(get("/data/project-status", token)).size());

        JsonNode projectTaskTypes = json(get("/data/projects/" + projectId + "/task-types", token));
        assertEquals(8, projectTaskTypes.size());
        assertEquals("Asset", byName(projectTaskTypes, "Look Dev").get("for_entity").asText());
        assertEquals(8, json(get("/data/task-types", token)).size());
        JsonNode statuses = json(get("/data/task-status", token));
        assertEquals("wip", byName(statuses, "Work In Progress").get("short_name").asText());
        assertTrue(byName(json(get("/data/asset-types", token)), "Prop").get("task_types").isArray());
        assertEquals(3, json(get("/data/projects/" + projectId + "/asset-types", token)).size());
        JsonNode entityTypes = json(get("/data/entity-types", token));
        assertEquals("EntityType", byName(entityTypes, "Shot").get("type").asText());
        assertEquals("EntityType", byName(entityTypes, "Character").get("type").asText());
    }

    @Test
    void entityAndTaskListsUseZouFields() throws Exception {
        String token = login();
        String projectId = projectId("Agent 327");
        JsonNode assets = json(get("/data/projects/" + projectId + "/assets", token));
        assertEquals(12, assets.size());
        JsonNode forest = byName(assets, "Forêt Noire");
        assertEquals("Asset", forest.get("type").asText());
        assertFalse(forest.get("canceled").asBoolean());
        assertEquals(projectId, forest.get("project_id").asText());
        assertNotNull(byName(assets, "Hero Mask (v2)"));
        assertFalse(forest.has("asset_type_name"), "plain entity dicts carry only the type id");
        assertEquals("Set", data.get(forest.get("entity_type_id").asText()).get("name"));

        JsonNode episodes = json(get("/data/projects/" + projectId + "/episodes", token));
        assertEquals(List.of("E01", "E02"), names(episodes));
        JsonNode sequences = json(get("/data/projects/" + projectId + "/sequences", token));
        assertEquals(4, sequences.size());
        assertEquals(episodes.get(0).get("id").asText(), sequences.get(0).get("parent_id").asText());

        JsonNode shots = json(get("/data/projects/" + projectId + "/shots", token));
        assertEquals(16, shots.size());
        JsonNode shot = shots.get(0);
        assertEquals("SH010", shot.get("name").asText());
        assertEquals(1001, shot.at("/data/frame_in").intValue());
        assertTrue(shot.at("/data/frame_out").isInt());
        assertEquals("25", shot.at("/data/fps").asText());
        assertEquals(shot.at("/data/frame_out").intValue() - 1000, shot.get("nb_frames").intValue());
        assertEquals(sequences.get(0).get("id").asText(), shot.get("parent_id").asText());

        JsonNode tasks = json(get("/data/projects/" + projectId + "/tasks", token));
        assertEquals((12 + 16) * 4, tasks.size());
        JsonNode task = tasks.get(0);
        assertEquals("Task", task.get("type").asText());
        assertEquals("main", task.get("name").asText());
        assertTrue(task.get("assignees").isArray());
        assertEquals(assets.get(0).get("id").asText(), task.get("entity_id").asText());
        assertEquals("Modeling", data.get(task.get("task_type_id").asText()).get("name"));
        assertNotNull(data.get(task.get("task_status_id").asText()));

        String shortId = projectId("Sprite Fright");
        JsonNode shortSequences = json(get("/data/projects/" + shortId + "/sequences", token));
        assertEquals(2, shortSequences.size());
        assertTrue(shortSequences.get(0).get("parent_id").isNull(), "a short has no episodes");
        assertEquals(0, json(get("/data/projects/" + shortId + "/episodes", token)).size());
        assertEquals(10, json(get("/data/projects/" + shortId + "/shots", token)).size());
    }

    @Test
    void singleRecordRoutesAddZousJoinedFields() throws Exception {
        String token = login();
        String projectId = projectId("Agent 327");
        Map<String, Object> asset = findByName(data.entities(projectId, KitsuData.ASSET), "Hero Mask (v2)");
        JsonNode fullAsset = json(get("/data/assets/" + asset.get("id"), token));
        assertEquals("Prop", fullAsset.get("asset_type_name").asText());
        assertEquals(asset.get("entity_type_id"), fullAsset.get("asset_type_id").asText());
        assertEquals("Agent 327", fullAsset.get("project_name").asText());
        assertEquals(4, fullAsset.get("tasks").size());
        assertFalse(fullAsset.has("source_id"));

        Map<String, Object> shot = data.entities(projectId, KitsuData.SHOT).get(5);
        JsonNode fullShot = json(get("/data/shots/" + shot.get("id"), token));
        assertEquals("SH020", fullShot.get("name").asText());
        assertEquals("SQ020", fullShot.get("sequence_name").asText());
        assertEquals("E01", fullShot.get("episode_name").asText());
        assertEquals(1001, fullShot.get("frame_in").intValue());
        assertEquals("25", fullShot.get("fps").asText());

        JsonNode fullSequence = json(get("/data/sequences/" + shot.get("parent_id"), token));
        assertEquals("E01", fullSequence.get("episode_name").asText());
        String episodeId = fullSequence.get("episode_id").asText();
        assertEquals("Agent 327", json(get("/data/episodes/" + episodeId, token)).get("project_name").asText());

        Map<String, Object> task = data.tasks(projectId).get(0);
        assertEquals(task.get("entity_id"), json(get("/data/tasks/" + task.get("id"), token)).get("entity_id").asText());
        JsonNode fullTask = json(get("/data/tasks/" + task.get("id") + "/full", token));
        assertEquals("Modeling", fullTask.at("/task_type/name").asText());
        assertEquals("Agent 327", fullTask.at("/project/name").asText());
        assertEquals(task.get("entity_id"), fullTask.at("/entity/id").asText());
        assertTrue(fullTask.get("task_status").has("short_name"));
        JsonNode assetTasks = json(get("/data/assets/" + asset.get("id") + "/tasks", token));
        assertEquals("Hero Mask (v2)", assetTasks.get(0).get("entity_name").asText());

        assertEquals("Look Dev", json(get("/data/task-types/" + taskTypeId("Look Dev"), token)).get("name").asText());
        String propTypeId = (String) asset.get("entity_type_id");
        assertEquals("AssetType", json(get("/data/asset-types/" + propTypeId, token)).get("type").asText());
    }

    @Test
    void unknownIdsAndPathsAre404Json() throws Exception {
        String token = login();
        HttpResponse<String> project = get("/data/projects/" + UUID.randomUUID(), token);
        assertEquals(404, project.statusCode());
        assertEquals("Project not found", json(project).get("message").asText());
        String assetId = (String) data.entities(projectId("Agent 327"), KitsuData.ASSET).get(0).get("id");
        assertEquals(404, get("/data/shots/" + assetId, token).statusCode(), "an asset is not a shot");
        assertEquals(404, get("/data/tasks/" + UUID.randomUUID() + "/full", token).statusCode());
        assertEquals(404, get("/data/projects/" + UUID.randomUUID() + "/assets", token).statusCode());
        HttpResponse<String> nowhere = get("/data/nowhere", token);
        assertEquals(404, nowhere.statusCode());
        assertTrue(json(nowhere).has("message"));
        assertEquals(405, send(request("/data/projects").DELETE()).statusCode());
    }

    @Test
    void changesToTheDataShowThroughTheApi() throws Exception {
        String token = login();
        String projectId = projectId("Agent 327");
        Map<String, Object> shot = data.entities(projectId, KitsuData.SHOT).get(0);
        data.update((String) shot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", 1200, "fps", "25")));
        assertEquals(1200, json(get("/data/shots/" + shot.get("id"), token)).get("frame_out").intValue());

        Map<String, Object> asset = data.entities(projectId, KitsuData.ASSET).get(0);
        data.remove((String) asset.get("id"));
        assertEquals(404, get("/data/assets/" + asset.get("id"), token).statusCode());
        assertEquals((11 + 16) * 4, json(get("/data/projects/" + projectId + "/tasks", token)).size(),
                "tasks go with their entity");

        data.closeProject(projectId);
        assertEquals(List.of("Sprite Fright"), names(json(get("/data/projects/open", token))));
        assertEquals(2, json(get("/data/projects", token)).size());
    }

    // ---------------------------------------------------------------- misbehaviour and counting

    @Test
    void failNextAnswersTheGivenStatusThenRecovers() throws Exception {
        String token = login();
        String path = "/data/projects/" + projectId("Agent 327") + "/assets";
        simulator.failNext("/api/data/projects/[^/]+/assets", 503, 2);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failed = get(path, token);
            assertEquals(503, failed.statusCode());
            assertEquals("simulated failure", json(failed).get("message").asText());
            assertTrue(json(failed).get("error").asBoolean());
        }
        assertEquals(200, get(path, token).statusCode());
        assertEquals(200, get("/data/projects/open", token).statusCode(), "other paths unaffected");
    }

    @Test
    void hangNextHoldsTheAnswer() throws Exception {
        String token = login();
        simulator.hangNext("/api/data/projects/open", 1_000, 1);
        HttpRequest impatient = request("/data/projects/open").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMillis(200)).GET().build();
        assertThrows(HttpTimeoutException.class, () -> client.send(impatient, HttpResponse.BodyHandlers.ofString()));
        long started = System.nanoTime();
        assertEquals(200, get("/data/projects/open", token).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 900, "only the next request hangs");

        simulator.setLatencyMillis(100);
        started = System.nanoTime();
        get("/", null);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 100);
    }

    @Test
    void malformedNextSendsBrokenJson() throws Exception {
        String token = login();
        simulator.malformedNext(".*/shots", 1);
        HttpResponse<String> broken = get("/data/projects/" + projectId("Agent 327") + "/shots", token);
        assertEquals(200, broken.statusCode());
        assertEquals("application/json", broken.headers().firstValue("Content-Type").orElse(""));
        assertTrue(broken.body().startsWith("[{\"id\""));
        assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(broken.body()));
        assertEquals(16, json(get("/data/projects/" + projectId("Agent 327") + "/shots", token)).size());
    }

    @Test
    void requestsAreCountedPerRoute() throws Exception {
        String token = login();
        simulator.resetCounts();
        String agent = projectId("Agent 327");
        get("/data/projects/" + agent + "/assets", token);
        get("/data/projects/" + projectId("Sprite Fright") + "/assets", token);
        get("/data/projects/open", token);
        get("/data/missing/" + agent, token);
        Map<String, Long> counts = simulator.requestCountsByRoute();
        assertEquals(2L, counts.get("GET /api/data/projects/{id}/assets"));
        assertEquals(1L, counts.get("GET /api/data/projects/open"));
        assertEquals(1L, counts.get("GET /api/data/missing/{id}"));
        assertEquals(4L, simulator.requestCount());
        simulator.resetCounts();
        assertEquals(0L, simulator.requestCount());
        assertTrue(simulator.requestCountsByRoute().isEmpty());
    }

    // ---------------------------------------------------------------- sample productions

    @Test
    void sampleProductionIsDeterministic() {
        SampleProduction.Spec small = new SampleProduction.Spec(2, 4, 30, 3, 2, 5, 3);
        for (SampleProduction.Spec spec : List.of(SampleProduction.Spec.demo(), small)) {
            KitsuData first = new KitsuData();
            KitsuData second = new KitsuData();
            SampleProduction.generate(first, spec);
            SampleProduction.generate(second, spec);
            assertEquals(snapshot(first), snapshot(second), spec.toString());
        }
        assertNotEquals(snapshot(data), snapshot(generated(small)));
    }

    @Test
    void largeProductionStreamsItsTasks() throws Exception {
        KitsuData large = generated(SampleProduction.Spec.large());
        Map<String, Object> show = large.projects().get(0);
        String projectId = (String) show.get("id");
        assertEquals("Big Show", show.get("name"));
        assertEquals(2_000, large.entities(projectId, KitsuData.ASSET).size());
        assertEquals(20, large.entities(projectId, KitsuData.EPISODE).size());
        assertEquals(10_000, large.entities(projectId, KitsuData.SHOT).size());
        assertEquals(72_000, large.tasks(projectId).size());

        try (KitsuSimulator big = KitsuSimulator.start(0, large)) {
            String token = json(send(HttpRequest.newBuilder(URI.create(big.apiUrl() + "/auth/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(credentials())))).get("access_token").asText();
            long started = System.nanoTime();
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(URI.create(big.apiUrl() + "/data/projects/" + projectId + "/tasks"))
                            .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Length").isEmpty(), "streamed, not buffered");
            int tasks = 0;
            try (InputStream body = response.body(); JsonParser parser = MAPPER.getFactory().createParser(body)) {
                assertEquals(JsonToken.START_ARRAY, parser.nextToken());
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    tasks++;
                    parser.skipChildren();
                }
            }
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertEquals(72_000, tasks);
            assertTrue(millis < 30_000, "72,000 tasks took " + millis + " ms");
            JsonNode shots = MAPPER.readTree(client.send(
                    HttpRequest.newBuilder(URI.create(big.apiUrl() + "/data/projects/" + projectId + "/shots"))
                            .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body());
            assertEquals(10_000, shots.size());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static KitsuData generated(SampleProduction.Spec spec) {
        KitsuData generated = new KitsuData();
        SampleProduction.generate(generated, spec);
        return generated;
    }

    /** Ids and names of everything, in creation order: what must repeat between two generations. */
    private static List<String> snapshot(KitsuData d) {
        List<String> records = new ArrayList<>();
        for (Map<String, Object> project : d.projects()) {
            String projectId = (String) project.get("id");
            records.add(projectId + " " + project.get("name") + " " + project.get("task_types"));
            for (String type : List.of(KitsuData.ASSET, KitsuData.EPISODE, KitsuData.SEQUENCE, KitsuData.SHOT)) {
                for (Map<String, Object> entity : d.entities(projectId, type)) {
                    records.add(entity.get("id") + " " + entity.get("name") + " " + entity.get("entity_type_id")
                            + " " + entity.get("parent_id") + " " + entity.get("data"));
                }
            }
            for (Map<String, Object> task : d.tasks(projectId)) {
                records.add(task.get("id") + " " + task.get("entity_id") + " " + task.get("task_type_id")
                        + " " + task.get("task_status_id"));
            }
        }
        return records;
    }

    private String login() throws Exception {
        return json(post("/auth/login", credentials())).get("access_token").asText();
    }

    private static String credentials() {
        return "{\"email\":\"" + KitsuSimulator.EMAIL + "\",\"password\":\"" + KitsuSimulator.PASSWORD + "\"}";
    }

    private String projectId(String name) {
        return (String) findByName(data.projects(), name).get("id");
    }

    private String taskTypeId(String name) throws Exception {
        return byName(json(get("/data/task-types", login())), name).get("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(simulator.apiUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder builder = request(path).GET();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return send(builder);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return MAPPER.readTree(response.body());
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + names(list));
    }

    private static Map<String, Object> findByName(List<Map<String, Object>> records, String name) {
        return records.stream().filter(r -> name.equals(r.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
