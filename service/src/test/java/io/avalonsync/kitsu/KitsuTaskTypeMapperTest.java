package io.avalonsync.kitsu;

import java.util.Map;

import io.avalonsync.avalon.TaskType;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Zou task type dict → an entry of config.tasks. */
class KitsuTaskTypeMapperTest {

    private static final String ANIMATION = """
            { "id": "tt-anim", "type": "TaskType", "name": "Animation", "short_name": "anim", "description": null,
              "color": "#F5A623", "priority": 3, "for_entity": "Shot", "allow_timelog": true, "archived": false,
              "shotgun_id": null, "department_id": null, "created_at": "2024-01-08T09:12:44",
              "updated_at": "2024-01-08T09:12:44" }
            """;

    private final KitsuTaskTypeMapper mapper = new KitsuTaskTypeMapper();

    @Test
    void mapsTheNameAndShortName() {
        assertEquals(new TaskType("Animation", "anim"), mapper.map(object(ANIMATION)));
    }

    @Test
    void theRawNameIsKeptForThePlannerToSanitise() {
        Map<String, Object> type = object(ANIMATION);
        type.put("name", "Look Dev");

        assertEquals(new TaskType("Look Dev", "anim"), mapper.map(type));
    }

    @Test
    void aMissingShortNameIsNull() {
        Map<String, Object> type = object(ANIMATION);
        type.put("short_name", null);

        assertEquals(new TaskType("Animation", null), mapper.map(type));
    }
}
