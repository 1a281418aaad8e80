package io.avalonsync.sandbox;

import static io.avalonsync.sandbox.ShotGridTestClient.credentials;
import static io.avalonsync.sandbox.ShotGridTestClient.error;
import static io.avalonsync.sandbox.ShotGridTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShotGridSimulatorTest {

    private ShotGridData data;
    private ShotGridSimulator simulator;
    private ShotGridTestClient sg;
    private int demoShow;
    private int archiveShow;

    @BeforeEach
    void startDemo() throws Exception {
        data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        simulator = ShotGridSimulator.start(0, data);
        sg = new ShotGridTestClient(simulator);
        demoShow = (Integer) data.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
        archiveShow = (Integer) data.findOne(ShotGridData.PROJECT, "name", "archive_show").get("id");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    // ---------------------------------------------------------------- auth

    @Test
    void scriptCredentialsGetABearerJwtForTheScriptsApiUser() throws Exception {
        HttpResponse<String> response = sg.tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY));
        JsonNode body = sg.ok(response);
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(600, body.get("expires_in").asInt());
        assertFalse(body.get("refresh_token").asText().isEmpty());
        String[] jwt = body.get("access_token").asText().split("\\.");
        assertEquals(3, jwt.length, "JWT shaped");
        JsonNode payload = ShotGridTestClient.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("ApiUser", payload.at("/user/type").asText());
        assertEquals(simulator.scriptUser().get("id"), payload.at("/user/id").asInt());
        assertEquals("api_key", payload.get("auth_type").asText());
        assertEquals(ShotGridSimulator.SCRIPT_NAME, data.get(ShotGridData.API_USER, payload.at("/user/id").asInt()).get("firstname"));
    }

    @Test
    void wrongCredentialsAreRefusedLikeTheServerDoes() throws Exception {
        JsonNode wrongKey = error(sg.tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, "nope")), 400);
        assertEquals(102, wrongKey.get("code").asInt());
        assertEquals("Can't authenticate script 'avalon_sync'", wrongKey.get("title").asText());
        JsonNode wrongScript = error(sg.tokenRequest(credentials("someone_else", ShotGridSimulator.API_KEY)), 400);
        assertEquals("Can't authenticate script 'someone_else'", wrongScript.get("title").asText());
        assertEquals(400, sg.tokenRequest("grant_type=implicit").statusCode());

        // only the form encoding is accepted
        HttpResponse<String> asJson = sg.send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/auth/access_token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")));
        assertTrue(error(asJson, 415).get("title").asText().contains("application/x-www-form-urlencoded"));

        simulator.setCredentials("other_script", "other-key");
        assertEquals(400, sg.tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY)).statusCode());
        assertEquals(200, sg.tokenRequest(credentials("other_script", "other-key")).statusCode());
        assertEquals("other_script", data.get(ShotGridData.API_USER, (Integer) simulator.scriptUser().get("id")).get("firstname"));
    }

    @Test
    void refreshTokenGrantGivesNewTokensOnce() throws Exception {
        JsonNode first = sg.ok(sg.tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY)));
        String refresh = first.get("refresh_token").asText();
        JsonNode second = sg.ok(sg.tokenRequest("grant_type=refresh_token&refresh_token=" + refresh));
        String newAccess = second.get("access_token").asText();
        assertNotEquals(first.get("access_token").asText(), newAccess);
        assertEquals(200, sg.get("/entity/projects", newAccess).statusCode());
        // used up
        JsonNode again = error(sg.tokenRequest("grant_type=refresh_token&refresh_token=" + refresh), 401);
        assertEquals(102, again.get("code").asInt());
        error(sg.tokenRequest("grant_type=refresh_token&refresh_token=garbage"), 401);
    }

    @Test
    void requestsWithoutAValidBearerGet401() throws Exception {
        JsonNode none = error(sg.get("/entity/shots", null), 401);
        assertEquals("Unauthorized", none.get("title").asText());
        error(sg.get("/entity/shots", "not-a-token"), 401);
        String token = sg.token();
        assertEquals(200, sg.get("/entity/shots", token).statusCode());

        simulator.expireTokens();
        error(sg.get("/entity/shots", token), 401);
        sg.forgetToken();
        assertEquals(200, sg.get("/entity/shots").statusCode(), "a new login works after expiry");
    }

    @Test
    void accessTokensExpireAfterTheirLifetime() throws Exception {
        simulator.setTokenLifetimeSeconds(1);
        JsonNode tokens = sg.ok(sg.tokenRequest(credentials(ShotGridSimulator.SCRIPT_NAME, ShotGridSimulator.API_KEY)));
        assertEquals(1, tokens.get("expires_in").asInt());
        String access = tokens.get("access_token").asText();
        assertEquals(200, sg.get("/entity/projects", access).statusCode());
        // a wait on the condition (the simulators' tests have no harness of the service's)
        long deadline = System.currentTimeMillis() + 10_000;
        while (sg.get("/entity/projects", access).statusCode() != 401) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out after 10000 ms waiting for the token refused after its lifetime");
            Thread.sleep(50);
        }
        error(sg.get("/entity/projects", access), 401);
        JsonNode refreshed = sg.ok(sg.tokenRequest("grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token").asText()));
        assertEquals(200, sg.get("/entity/projects", refreshed.get("access_token").asText()).statusCode());
    }

    // ---------------------------------------------------------------- reads

    @Test
    void shotReadPutsPlainFieldsInAttributesAndLinksInRelationships() throws Exception {
        int shotId = data.ids(ShotGridData.SHOT).get(0);
        Map<String, Object> shot = data.get(ShotGridData.SHOT, shotId);
        int sequenceId = (Integer) ((Map<?, ?>) shot.get("sg_sequence")).get("id");
        JsonNode record = sg.ok(sg.get("/entity/shots/" + shotId + "?fields=code,sg_status_list,sg_cut_in,sg_cut_out,"
                + "sg_head_in,sg_tail_out,sg_sequence,project,sg_sequence.Sequence.code,sg_not_a_field")).get("data");

        assertEquals("Shot", record.get("type").asText());
        assertEquals(shotId, record.get("id").asInt());
        assertEquals("/api/v1/entity/shots/" + shotId, record.at("/links/self").asText());
        JsonNode attributes = record.get("attributes");
        assertEquals(Set.of("code", "sg_status_list", "sg_cut_in", "sg_cut_out", "sg_head_in", "sg_tail_out",
                "sg_sequence.Sequence.code"), names(attributes), "unknown fields are dropped, links are not attributes");
        assertEquals(shot.get("code"), attributes.get("code").asText());
        assertEquals(1001, attributes.get("sg_cut_in").asInt());
        assertEquals(993, attributes.get("sg_head_in").asInt());
        assertEquals(data.displayName(ShotGridData.SEQUENCE, sequenceId), attributes.get("sg_sequence.Sequence.code").asText());

        JsonNode sequence = record.at("/relationships/sg_sequence");
        assertEquals(sequenceId, sequence.at("/data/id").asInt());
        assertEquals("Sequence", sequence.at("/data/type").asText());
        assertEquals(data.displayName(ShotGridData.SEQUENCE, sequenceId), sequence.at("/data/name").asText());
        assertEquals("/api/v1/entity/shots/" + shotId + "/relationships/sg_sequence", sequence.at("/links/self").asText());
        assertEquals("/api/v1/entity/sequences/" + sequenceId, sequence.at("/links/related").asText());
        assertEquals("demo_show", record.at("/relationships/project/data/name").asText());
        assertEquals(Set.of("sg_sequence", "project"), names(record.get("relationships")));
    }

    @Test
    void singleReadOfMissingOrRetiredRowsIs404UnlessRetiredAreAskedFor() throws Exception {
        JsonNode missing = error(sg.get("/entity/shots/99999"), 404);
        assertEquals(104, missing.get("code").asInt());
        int shotId = data.ids(ShotGridData.SHOT).get(1);
        data.retire(ShotGridData.SHOT, shotId, null);
        assertEquals(104, error(sg.get("/entity/shots/" + shotId), 404).get("code").asInt());
        JsonNode retired = sg.ok(sg.get("/entity/shots/" + shotId + "?fields=code&options%5Breturn_only%5D=retired"));
        assertEquals(shotId, retired.at("/data/id").asInt());
        assertFalse(ids(sg.ok(sg.get("/entity/shots?page%5Bsize%5D=500"))).contains(shotId), "hidden from lists");
        assertEquals(List.of(shotId), ids(sg.ok(sg.get("/entity/shots?options%5Breturn_only%5D=retired"))));
    }

    @Test
    void entityPathsAcceptTheServersSpellingsAndRefuseUnknownTypes() throws Exception {
        for (String spelling : List.of("shots", "shot", "Shot", "Shots")) {
            assertEquals(14, sg.ok(sg.get("/entity/" + spelling)).get("data").size(), spelling);
        }
        JsonNode unknown = error(sg.get("/entity/spaceships"), 404);
        assertEquals("Entity type 'spaceships' does not exist.", unknown.get("title").asText());
        assertEquals(103, unknown.get("code").asInt());
        assertEquals(103, error(sg.get("/nothing/here"), 404).get("code").asInt());
        // v1.1 is the same API, and links echo it
        HttpResponse<String> v11 = sg.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/api/v1.1/entity/projects"))
                .header("Authorization", "Bearer " + sg.token()).GET());
        assertTrue(sg.ok(v11).at("/data/0/links/self").asText().startsWith("/api/v1.1/entity/projects/"));
    }

    @Test
    void getFiltersAreEqualityOrCommaListsAndUnknownFieldsAre400() throws Exception {
        JsonNode archive = sg.ok(sg.get("/entity/shots?filter%5Bproject.Project.id%5D=" + archiveShow + "&fields=code,project"));
        assertEquals(2, archive.get("data").size());
        for (JsonNode shot : archive.get("data")) {
            assertEquals(archiveShow, shot.at("/relationships/project/data/id").asInt());
        }
        JsonNode ipOrFin = sg.ok(sg.get("/entity/shots?filter%5Bsg_status_list%5D=ip,fin&fields=sg_status_list"));
        long expected = data.ids(ShotGridData.SHOT).stream().map(id -> data.get(ShotGridData.SHOT, id).get("sg_status_list"))
                .filter(s -> s.equals("ip") || s.equals("fin")).count();
        assertEquals(expected, ipOrFin.get("data").size());
        for (JsonNode shot : ipOrFin.get("data")) {
            assertTrue(Set.of("ip", "fin").contains(shot.at("/attributes/sg_status_list").asText()));
        }
        JsonNode synced = sg.ok(sg.get("/entity/projects?filter%5B" + ShotGridData.SYNC_FIELD + "%5D=true&fields=name,"
                + ShotGridData.SYNC_FIELD));
        assertEquals(List.of(demoShow), ids(synced));
        assertTrue(synced.at("/data/0/attributes/" + ShotGridData.SYNC_FIELD).asBoolean());
        JsonNode unknown = error(sg.get("/entity/shots?filter%5Bsg_nope%5D=1"), 400);
        assertEquals("API read() Shot.sg_nope doesn't exist.", unknown.get("title").asText());
    }

    // ---------------------------------------------------------------- paging

    @Test
    void pagesEndWithAShortPageThenEmptyOnesWhoseNextLinkNeverDisappears() throws Exception {
        List<Integer> seen = new ArrayList<>();
        int[] sizes = new int[4];
        for (int page = 1; page <= 4; page++) {
            JsonNode body = sg.ok(sg.get("/entity/shots?fields=code&sort=id&page%5Bsize%5D=5&page%5Bnumber%5D=" + page));
            sizes[page - 1] = body.get("data").size();
            seen.addAll(ids(body));
            assertEquals("/api/v1/entity/shots?page%5Bnumber%5D=" + page + "&page%5Bsize%5D=5", body.at("/links/self").asText());
            assertEquals("/api/v1/entity/shots?page%5Bnumber%5D=" + (page + 1) + "&page%5Bsize%5D=5", body.at("/links/next").asText());
            assertEquals(page > 1, body.get("links").has("prev"));
        }
        assertEquals(List.of(5, 5, 4, 0), List.of(sizes[0], sizes[1], sizes[2], sizes[3]));
        assertEquals(data.ids(ShotGridData.SHOT), seen);
    }

    @Test
    void pageSizeIsLimitedTo5000AndMustBePositive() throws Exception {
        assertEquals("size must be less than 5000", error(sg.get("/entity/tasks?page%5Bsize%5D=5001"), 400).get("title").asText());
        assertEquals(400, sg.get("/entity/tasks?page%5Bsize%5D=0").statusCode());
        assertEquals(400, sg.get("/entity/tasks?page%5Bnumber%5D=0").statusCode());
        assertEquals(data.count(ShotGridData.TASK), sg.ok(sg.get("/entity/tasks?page%5Bsize%5D=5000")).get("data").size());
        assertEquals(400, sg.searchArray("tasks", "{\"filters\":[],\"page\":{\"size\":5001}}").statusCode());
        // default page: 500 rows
        ShotGridData big = new ShotGridData();
        for (int i = 0; i < 501; i++) {
            big.insertWithoutEvents(ShotGridData.STEP, Map.of("code", "step" + i));
        }
        try (ShotGridSimulator other = ShotGridSimulator.start(0, big)) {
            ShotGridTestClient client = new ShotGridTestClient(other);
            assertEquals(500, client.ok(client.get("/entity/steps")).get("data").size());
            assertEquals(1, client.ok(client.get("/entity/steps?page%5Bnumber%5D=2")).get("data").size());
        }
    }

    // ---------------------------------------------------------------- _search

    @Test
    void arraySearchAndsTriplesAndRendersTasksAsTheReferenceShows() throws Exception {
        JsonNode body = sg.ok(sg.searchArray("tasks", "{\"filters\":[[\"project\",\"is\",{\"type\":\"Project\",\"id\":" + demoShow
                + "}],[\"entity\",\"type_is\",\"Shot\"]],\"fields\":[\"content\",\"step\",\"entity\",\"sg_status_list\","
                + "\"task_assignees\"],\"sort\":\"-id\",\"page\":{\"size\":500,\"number\":1}}"));
        JsonNode rows = body.get("data");
        assertEquals(12 * 3, rows.size(), "12 shots with 3 tasks in demo_show");
        assertTrue(rows.get(0).get("id").asInt() > rows.get(1).get("id").asInt(), "sorted by -id");
        JsonNode task = rows.get(0);
        assertEquals("Task", task.get("type").asText());
        assertEquals(Set.of("content", "sg_status_list"), names(task.get("attributes")));
        assertEquals(Set.of("step", "entity", "task_assignees"), names(task.get("relationships")));
        assertEquals("Shot", task.at("/relationships/entity/data/type").asText());
        assertEquals("Step", task.at("/relationships/step/data/type").asText());
        assertTrue(task.at("/relationships/task_assignees/data").isArray());
        assertEquals("HumanUser", task.at("/relationships/task_assignees/data/0/type").asText());
        assertEquals("/api/v1/entity/tasks/_search", body.at("/links/self").asText());
        assertEquals("/api/v1/entity/tasks/_search?page%5Bnumber%5D=2", body.at("/links/next").asText());

        JsonNode window = sg.ok(sg.searchArray("shots", "{\"filters\":[[\"id\",\"greater_than\",3],[\"id\",\"less_than\",7]],"
                + "\"fields\":\"code\",\"sort\":\"id\"}"));
        assertEquals(List.of(4, 5, 6), ids(window));
        JsonNode between = sg.ok(sg.searchArray("shots", "{\"filters\":[[\"id\",\"between\",[2,4]],[\"id\",\"is_not\",3]]}"));
        assertEquals(List.of(2, 4), ids(between));
        JsonNode in = sg.ok(sg.searchArray("shots", "{\"filters\":[[\"id\",\"in\",[9,1,5]]]}"));
        assertEquals(List.of(1, 5, 9), ids(in), "in ignores list order; default order is id");
        JsonNode all = sg.ok(sg.searchArray("shots", "{\"filters\":[]}"));
        assertEquals(14, all.get("data").size(), "no filter: every project's rows");
    }

    @Test
    void hashSearchNestsAndOr() throws Exception {
        String body = "{\"filters\":{\"logical_operator\":\"and\",\"conditions\":["
                + "[\"project\",\"is\",{\"type\":\"Project\",\"id\":" + demoShow + "}],"
                + "{\"logical_operator\":\"or\",\"conditions\":[[\"sg_status_list\",\"is\",\"ip\"],[\"sg_status_list\",\"is\",\"fin\"]]}]},"
                + "\"fields\":\"code,sg_status_list,project\",\"page\":{\"size\":500}}";
        JsonNode rows = sg.ok(sg.search("shots", ShotGridSimulator.HASH_CONTENT_TYPE, body)).get("data");
        long expected = data.ids(ShotGridData.SHOT).stream().map(id -> data.get(ShotGridData.SHOT, id))
                .filter(s -> ((Map<?, ?>) s.get("project")).get("id").equals(demoShow))
                .filter(s -> s.get("sg_status_list").equals("ip") || s.get("sg_status_list").equals("fin")).count();
        assertTrue(expected > 0, "the demo has such shots");
        assertEquals(expected, rows.size());
        for (JsonNode shot : rows) {
            assertTrue(Set.of("ip", "fin").contains(shot.at("/attributes/sg_status_list").asText()));
            assertEquals(demoShow, shot.at("/relationships/project/data/id").asInt());
        }
        JsonNode or = sg.ok(sg.search("projects", ShotGridSimulator.HASH_CONTENT_TYPE,
                "{\"filters\":{\"logical_operator\":\"or\",\"conditions\":[[\"name\",\"is\",\"demo_show\"],"
                        + "[\"name\",\"starts_with\",\"arch\"]]}}"));
        assertEquals(List.of(demoShow, archiveShow), ids(or));
        JsonNode dotted = sg.ok(sg.searchArray("shots", "{\"filters\":[[\"sg_sequence.Sequence.episode.Episode.code\",\"is\","
                + "\"ep02\"],[\"project.Project.name\",\"is\",\"demo_show\"]]}"));
        assertEquals(6, dotted.get("data").size(), "2 sequences x 3 shots in ep02");
    }

    @Test
    void searchRefusesWrongContentTypesAndShapes() throws Exception {
        JsonNode plain = error(sg.search("shots", "application/json", "{\"filters\":[]}"), 415);
        assertEquals(103, plain.get("code").asInt());
        assertTrue(plain.get("title").asText().contains(ShotGridSimulator.ARRAY_CONTENT_TYPE));
        assertTrue(plain.get("title").asText().contains(ShotGridSimulator.HASH_CONTENT_TYPE));
        HttpResponse<String> vendorAccept = sg.send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + "/entity/shots/_search"))
                .header("Authorization", "Bearer " + sg.token())
                .header("Content-Type", ShotGridSimulator.ARRAY_CONTENT_TYPE)
                .header("Accept", ShotGridSimulator.ARRAY_CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"filters\":[]}")));
        error(vendorAccept, 406);

        assertEquals("Query is not an Array", title(sg.searchArray("shots", "{\"filters\":{\"logical_operator\":\"and\",\"conditions\":[]}}")));
        assertEquals("Query is not an Hash", title(sg.search("shots", ShotGridSimulator.HASH_CONTENT_TYPE, "{\"filters\":[]}")));
        assertEquals("Missing logical operator", title(sg.search("shots", ShotGridSimulator.HASH_CONTENT_TYPE,
                "{\"filters\":{\"logical_operator\":\"and\",\"conditions\":[{\"path\":\"id\",\"relation\":\"is\",\"values\":[1]}]}}")));
        assertEquals(400, sg.search("shots", ShotGridSimulator.HASH_CONTENT_TYPE,
                "{\"filters\":{\"logical_operator\":\"AND\",\"conditions\":[]}}").statusCode());
        assertEquals("Invalid condition", title(sg.searchArray("shots", "{\"filters\":[\"id\"]}")));
        assertEquals("API read() Shot.sg_nope doesn't exist.", title(sg.searchArray("shots", "{\"filters\":[[\"sg_nope\",\"is\",1]]}")));
        assertTrue(title(sg.searchArray("shots", "{\"filters\":[[\"id\",\"resembles\",1]]}")).contains("greater_than"),
                "an unknown relation lists the legal ones");
        assertTrue(title(sg.searchArray("shots", "{\"filters\":[[\"project\",\"is\",70]]}")).contains("\"type\""),
                "bare ids are not entity values");
        assertTrue(title(sg.searchArray("event_log_entries", "{\"filters\":[[\"meta\",\"is\",null]]}"))
                .contains("cannot be used in a filter"));
        assertEquals("Invalid JSON body", title(sg.searchArray("shots", "{not json")));
    }

    // ---------------------------------------------------------------- misbehaviour and counts

    @Test
    void injectedFailuresUseTheErrorEnvelopeAnd429CarriesRetryAfter() throws Exception {
        simulator.failNext(".*/_search", 429, 1);
        HttpResponse<String> throttled = sg.searchArray("shots", "{\"filters\":[]}");
        JsonNode tooMany = error(throttled, 429);
        assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(null));
        assertEquals("Too Many Requests", tooMany.get("title").asText());
        assertEquals(200, sg.searchArray("shots", "{\"filters\":[]}").statusCode(), "only once");

        simulator.failNext("/api/v1/entity/shots", 500, 2);
        JsonNode serverError = error(sg.get("/entity/shots"), 500);
        assertEquals("Shotgun Server Error", serverError.get("title").asText());
        assertTrue(serverError.get("source").isNull());
        String firstId = serverError.get("id").asText();
        assertNotEquals(firstId, error(sg.get("/entity/shots"), 500).get("id").asText(), "error ids are per request");
        assertEquals(200, sg.get("/entity/shots").statusCode());

        simulator.malformedNext("/api/v1/entity/shots/\\d+", 1);
        HttpResponse<String> broken = sg.get("/entity/shots/1");
        assertEquals(200, broken.statusCode());
        assertThrows(JsonProcessingException.class, () -> json(broken));
        assertEquals(200, sg.get("/entity/shots/1").statusCode());
    }

    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        sg.token();
        simulator.setLatencyMillis(150);
        long start = System.nanoTime();
        sg.get("/entity/projects");
        assertTrue(System.nanoTime() - start >= 150_000_000L);
    }

    @Test
    void requestsAreCountedPerRoute() throws Exception {
        sg.token();
        sg.get("/entity/shots/1");
        sg.get("/entity/shots/2");
        sg.searchArray("event_log_entries", "{\"filters\":[[\"id\",\"greater_than\",0]]}");
        Map<String, Long> counts = simulator.requestCountsByRoute();
        assertEquals(1L, counts.get("POST /api/v1/auth/access_token"));
        assertEquals(2L, counts.get("GET /api/v1/entity/shots/{id}"));
        assertEquals(1L, counts.get("POST /api/v1/entity/event_log_entries/_search"));
        assertEquals(4, simulator.requestCount());
        simulator.resetCounts();
        assertEquals(0, simulator.requestCount());
        assertTrue(simulator.requestCountsByRoute().isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static String title(HttpResponse<String> response) throws Exception {
        return error(response, response.statusCode()).get("title").asText();
    }

    static List<Integer> ids(JsonNode body) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode row : body.get("data")) {
            ids.add(row.get("id").asInt());
        }
        return ids;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
