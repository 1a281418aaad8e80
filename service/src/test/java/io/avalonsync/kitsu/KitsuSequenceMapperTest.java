package io.avalonsync.kitsu;

import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.DesiredAsset;
import io.avalonsync.avalon.DesiredTask;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static io.avalonsync.kitsu.KitsuShotMapperTest.list;
import static io.avalonsync.kitsu.KitsuShotMapperTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zou sequence dict → a document under its episode (tvshow) or at the top (short, feature). */
class KitsuSequenceMapperTest {

    /** Zou's sequence: the same columns as an episode, parent_id = episode id or null. */
    private static final String SEQUENCE = """
            { "id": "q-010", "type": "Sequence", "name": "SQ010", "code": null, "description": null,
              "canceled": false, "nb_frames": null, "status": "running", "project_id": "p-1",
              "entity_type_id": "et-sequence", "parent_id": "e-01", "source_id": null, "data": null,
              "created_at": "2024-01-08T09:12:44", "updated_at": "2024-01-08T09:12:44" }
            """;

    private final KitsuSequenceMapper mapper = new KitsuSequenceMapper();

    private static KitsuLookups lookups() {
        return new KitsuLookups(object("{\"id\": \"p-1\", \"name\": \"My Show\"}"),
                list("[{\"id\": \"tt-lay\", \"name\": \"Layout\", \"short_name\": \"lay\", \"for_entity\": \"Sequence\"}]"),
                list("[{\"id\": \"ts-wip\", \"name\": \"WIP\", \"short_name\": \"wip\"}]"),
                list("[{\"id\": \"t-lay\", \"name\": \"main\", \"entity_id\": \"q-010\", \"task_type_id\": \"tt-lay\","
                        + " \"task_status_id\": \"ts-wip\"}]"));
    }

    @Test
    void aSequenceOfAnEpisodeIsPrefixedWithTheEpisodeName() {
        DesiredAsset sequence = mapper.map(object(SEQUENCE), lookups());

        assertEquals(new DesiredAsset("q-010", "Sequence", "e-01", "SQ010", true, "Sequence", "shots", new Document(),
                List.of(new DesiredTask("t-lay", "main", "Layout", "WIP")), false,
                // the fields a full sync reads of a sequence, kept for OpenPype's layout (data.zou)
                Map.of("id", "q-010", "type", "Sequence", "name", "SQ010", "canceled", false, "project_id", "p-1",
                        "parent_id", "e-01")), sequence);
    }

    @Test
    void aSequenceWithoutEpisodeIsATopLevelDocumentWithItsOwnName() {
        Map<String, Object> record = object(SEQUENCE);
        record.put("parent_id", null);

        DesiredAsset sequence = mapper.map(record, lookups());

        assertEquals(null, sequence.parentTrackerId());
        assertEquals(false, sequence.prefixParentName());
        assertEquals("SQ010", sequence.label());
    }

    @Test
    void aCanceledSequenceIsRetired() {
        Map<String, Object> record = object(SEQUENCE);
        record.put("canceled", true);

        assertTrue(mapper.map(record, lookups()).retired());
    }
}
