package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Zou project dict (fps and resolution are strings) → the project data keys Kitsu owns. */
class KitsuProjectMapperTest {

    /** As GET /api/data/projects/{id} answers (abridged to the documented fields). */
    private static final String PROJECT = """
            { "id": "5f1b0a9e-1c2d-4e5f-8a9b-000000000001", "type": "Project",
              "name": "My Show", "code": "ms", "description": null, "shotgun_id": null,
              "file_tree": null, "data": null, "has_avatar": false,
              "fps": "25", "ratio": "16:9", "resolution": "1920x1080",
              "production_type": "tvshow", "production_style": "2d3d",
              "start_date": "2024-01-08", "end_date": "2024-12-20", "man_days": null,
              "nb_episodes": 0, "episode_span": 0, "max_retakes": 0,
              "project_status_id": "ps-1", "project_status_name": "Open",
              "team": [], "asset_types": [], "task_types": [], "task_statuses": [],
              "created_at": "2024-01-08T09:12:44", "updated_at": "2024-03-02T17:01:09" }
            """;

    private final KitsuProjectMapper mapper = new KitsuProjectMapper();

    private Document attributes(Map<String, Object> project) {
        KitsuLookups lookups = new KitsuLookups(project, List.of(), List.of(), List.of());
        return mapper.attributes(project, lookups);
    }

    private Document attributesWith(String key, Object value) {
        Map<String, Object> project = object(PROJECT);
        project.put(key, value);
        return attributes(project);
    }

    @Test
    void mapsCodeFpsResolutionAndActiveWithTheirBsonTypes() {
        Document attributes = attributes(object(PROJECT));

        assertEquals(new Document("code", "ms").append("fps", 25.0).append("resolutionWidth", 1920)
                .append("resolutionHeight", 1080).append("active", true), attributes);
        assertInstanceOf(Double.class, attributes.get("fps"));
        assertInstanceOf(Integer.class, attributes.get("resolutionWidth"));
        assertInstanceOf(Integer.class, attributes.get("resolutionHeight"));
        assertInstanceOf(Boolean.class, attributes.get("active"));
    }

    @Test
    void decimalFpsStringsAndNumbersAreDoubles() {
        assertEquals(23.976, attributesWith("fps", "23.976").get("fps"));
        assertEquals(24.0, attributesWith("fps", 24).get("fps"));
        assertEquals(29.97, attributesWith("fps", 29.97).get("fps"));
    }

    @Test
    void aDecimalCommaInFpsIsReadAsTheDecimalPoint() {
        // KitsuValues.decimal accepts "23,976" as 23.976 rather than skipping it
        assertEquals(23.976, attributesWith("fps", "23,976").get("fps"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", " ", "0", "-25", "NaN", "Infinity", "25fps"})
    void anUnusableFpsIsLeftOutAndTheRestIsStillMapped(String fps) {
        Document attributes = attributesWith("fps", fps);

        assertFalse(attributes.containsKey("fps"), attributes.toJson());
        assertEquals(1920, attributes.get("resolutionWidth"));
        assertEquals("ms", attributes.get("code"));
    }

    @Test
    void resolutionAcceptsSpacesAndTheMultiplicationSign() {
        Document spaced = attributesWith("resolution", " 2048 x 858 ");
        assertEquals(2048, spaced.get("resolutionWidth"));
        assertEquals(858, spaced.get("resolutionHeight"));
        assertEquals(3840, attributesWith("resolution", "3840×2160").get("resolutionWidth"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1920x", "x1080", "1920", "abc", "", "1920x1080x2", "1920.5x1080"})
    void anUnusableResolutionIsLeftOutAndTheRestIsStillMapped(String resolution) {
        Document attributes = attributesWith("resolution", resolution);

        assertFalse(attributes.containsKey("resolutionWidth"), attributes.toJson());
        assertFalse(attributes.containsKey("resolutionHeight"), attributes.toJson());
        assertEquals(25.0, attributes.get("fps"));
    }

    @Test
    void missingValuesAreLeftOut() {
        Map<String, Object> project = object(PROJECT);
        project.put("fps", null);
        project.put("resolution", null);
        project.put("code", null);
        project.remove("project_status_name");

        // nothing invented: Avalon keeps its own defaults for what Kitsu does not say
        assertEquals(new Document(), attributes(project));
    }

    @Test
    void aBlankCodeIsLeftOut() {
        assertFalse(attributesWith("code", "  ").containsKey("code"));
    }

    @Test
    void aClosedProjectIsInactiveAndAnyOtherStatusActive() {
        assertEquals(false, attributesWith("project_status_name", "Closed").get("active"));
        assertEquals(false, attributesWith("project_status_name", "closed").get("active"));
        assertEquals(true, attributesWith("project_status_name", "Open").get("active"));
        assertEquals(true, attributesWith("project_status_name", "Active").get("active"));
    }
}
