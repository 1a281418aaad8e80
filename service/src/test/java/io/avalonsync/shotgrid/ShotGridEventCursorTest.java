package io.avalonsync.shotgrid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leecher's gap algorithm against a real journal (in-memory Mongo-protocol store). */
class ShotGridEventCursorTest {

    private static final Instant T0 = Instant.parse("2026-01-21T19:50:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static EmbeddedMongo mongo;
    private static MongoClient client;
    private EventJournal journal;
    private MutableClock clock;
    private static int db;

    static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void start() {
        mongo = EmbeddedMongo.inMemory();
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        mongo.close();
    }

    @BeforeEach
    void fresh() {
        journal = new EventJournal(client, "sg_cursor_test_" + (db++), 5, Duration.ofSeconds(1), Duration.ofMinutes(1));
        clock = new MutableClock();
    }

    private ShotGridEventCursor cursor() {
        return new ShotGridEventCursor(journal, "avalon_sync", "sg_avalon_auto_sync", TIMEOUT, clock);
    }

    /** An EventLogEntry as {@link ShotGridPage} flattens it. */
    static Map<String, Object> event(long id, String type, int entityId, Instant created) {
        String entityType = type.split("_")[1];
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", "EventLogEntry");
        event.put("event_type", type);
        event.put("attribute_name", type.endsWith("_Change") ? "sg_status_list" : null);
        event.put("created_at", created.toString());
        Map<String, Object> meta = new LinkedHashMap<>(Map.of("type", type.endsWith("_New") ? "new_entity" : "attribute_change",
                "entity_type", entityType, "entity_id", entityId));
        event.put("meta", meta);
        event.put("entity", Map.of("id", entityId, "name", "x", "type", entityType));
        event.put("project", Map.of("id", 70, "name", "demo_show", "type", "Project"));
        event.put("user", Map.of("id", 88, "name", "Jane Doe", "type", "HumanUser"));
        return event;
    }

    static Map<String, Object> shotChange(long id) {
        return event(id, "Shotgun_Shot_Change", 1234, T0);
    }

    private static List<Object> ids(List<Map<String, Object>> events) {
        List<Object> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("id")));
        return ids;
    }

    private long journaled() {
        return journal.count("shotgrid", EventJournal.PENDING);
    }

    /** The cursor starts at a known head (as after its first poll). */
    private void startAt(long head) {
        cursor().journal(List.of(shotChange(head)), null, null);
        assertEquals(0, journaled(), "the first poll only finds where the log stands");
        assertEquals(head, cursor().state().head());
    }

    @Test
    void firstStartAsksForTheNewestEventOnlyAndJournalsNothing() {
        assertNull(cursor().state());
        ShotGridSearch first = cursor().request();
        assertEquals("-id", first.body().get("sort"));
        assertEquals(Map.of("size", 1, "number", 1), first.body().get("page"));

        startAt(540247);

        assertEquals(List.of(List.of("id", "greater_than", 540247L)), cursor().request().body().get("filters"));
    }

    @Test
    void outOfOrderCommitIsJournaledWhenItShowsUpOnceNotLost() {
        startAt(100);

        ShotGridEventCursor.Result first = cursor().journal(List.of(shotChange(101), shotChange(103)), null, null);
        assertEquals(List.of(101L, 103L), ids(first.events()));
        assertEquals(101, cursor().state().lowWater(), "102 is missing: the low-water mark waits below it");
        assertEquals(103, cursor().state().head());
        // the next poll asks for what is above the head and for the gap
        assertEquals(Map.of("logical_operator", "and", "conditions", List.of(Map.of("logical_operator", "or",
                "conditions", List.of(List.of("id", "greater_than", 103L), List.of("id", "is", 102L))))),
                cursor().request().body().get("filters"));

        clock.now = T0.plusSeconds(20);
        // a re-scan from the low-water mark returns 103 again and, now committed, 102
        ShotGridEventCursor.Result second = cursor().journal(List.of(shotChange(103), shotChange(102)), null, null);

        assertEquals(List.of(102L), ids(second.events()));
        assertEquals(1, second.duplicates());
        assertEquals(103, cursor().state().lowWater());
        assertEquals(3, journaled(), "101, 102, 103, each once");
        assertEquals(0, cursor().journal(List.of(shotChange(102), shotChange(103)), null, null).events().size());
    }

    @Test
    void aGapThatNeverFillsIsGivenUpAfterTheTimeoutAndTheLowWaterMarkMovesOn() {
        startAt(100);
        cursor().journal(List.of(shotChange(101), event(105, "Shotgun_Shot_Change", 1, T0)), null, null);
        assertEquals(List.of(new ShotGridEventState.Gap(102, 104, T0)), cursor().state().gaps());

        clock.now = T0.plus(TIMEOUT).minusSeconds(1);
        assertEquals(List.of(), cursor().journal(List.of(), null, null).givenUp());
        assertEquals(101, cursor().state().lowWater());

        clock.now = T0.plus(TIMEOUT);
        ShotGridEventCursor.Result result = cursor().journal(List.of(), null, null);

        assertEquals(List.of(new ShotGridEventState.Gap(102, 104, T0)), result.givenUp());
        assertEquals(105, cursor().state().lowWater());
        assertEquals(List.of(), cursor().state().gaps());
        // a given-up id that turns up after all is not journaled late (it is settled)
        assertEquals(0, cursor().journal(List.of(shotChange(103)), null, null).events().size());
    }

    @Test
    void gapsSeenDuringCatchUpAreTimedFromTheEventAboveThemSoOldHolesDoNotStallTheLeecher() {
        startAt(100);
        Instant old = T0.minus(Duration.ofHours(2));

        ShotGridEventCursor.Result result = cursor().journal(List.of(event(110, "Shotgun_Shot_Change", 1, old)), null, null);

        assertEquals(List.of(new ShotGridEventState.Gap(101, 109, old)), result.givenUp());
        assertEquals(110, cursor().state().lowWater());
    }

    @Test
    void restartFromPersistedStateLosesNothingAndDuplicatesNothing() {
        startAt(100);
        cursor().journal(List.of(shotChange(101), shotChange(104)), null, null);
        Document stored = journal.cursor(ShotGridEventCursor.CURSOR);
        assertEquals(104L, ((Number) stored.get("head")).longValue());
        assertEquals(101L, ((Number) stored.get("lowWater")).longValue());

        // a new process: new cursor object, same store; ShotGrid answers the whole window again plus the late ids
        ShotGridEventCursor restarted = new ShotGridEventCursor(journal, "avalon_sync", "sg_avalon_auto_sync", TIMEOUT, clock);
        ShotGridEventCursor.Result result = restarted.journal(List.of(shotChange(101), shotChange(102), shotChange(103),
                shotChange(104), shotChange(105)), null, null);

        assertEquals(List.of(102L, 103L, 105L), ids(result.events()));
        assertEquals(2, result.duplicates());
        assertEquals(5, journaled());
        assertEquals(105, restarted.state().lowWater());
    }

    @Test
    void aCrashBetweenJournalAndCursorMoveReJournalsAsANoOp() {
        startAt(100);
        ShotGridEventCursor cursor = cursor();
        // journaled, but the process died before the cursor moved
        journal.append("shotgrid", cursor.accept(cursor.state(), List.of(shotChange(101)), null, null).events());

        cursor().journal(List.of(shotChange(101)), null, null);

        assertEquals(1, journaled());
        assertEquals(101, cursor().state().head());
    }

    @Test
    void ownScriptEventsAndInCreateChangesAreSkippedButCountAsSeen() {
        startAt(100);
        Map<String, Object> own = shotChange(101);
        own.put("user", Map.of("id", 12, "name", "avalon_sync 1.0", "type", "ApiUser"));
        Map<String, Object> otherScript = shotChange(102);
        otherScript.put("user", Map.of("id", 13, "name", "ayon_connector 1.0", "type", "ApiUser"));
        Map<String, Object> inCreate = shotChange(103);
        ((Map<String, Object>) inCreate.get("meta")).put("in_create", true);
        Map<String, Object> created = event(104, "Shotgun_Shot_New", 1234, T0);

        ShotGridEventCursor.Result byName = cursor().accept(cursor().state(), List.of(own, otherScript, inCreate, created), null, null);
        assertEquals(List.of(102L, 104L), ids(byName.events()));
        assertEquals(2, byName.skipped());
        assertEquals(104, byName.state().lowWater(), "skipped events are seen: no gap");

        // with the ApiUser id known from the token, a namesake of another id is not ours
        ShotGridEventCursor.Result byId = cursor().accept(cursor().state(), List.of(own, otherScript), null, 13);
        assertEquals(List.of(101L), ids(byId.events()));
    }

    @Test
    void projectsNotWantedAndOtherEventTypesAreSkippedProjectSwitchAndStepsAreKept() {
        startAt(100);
        Map<String, Object> otherProject = shotChange(101);
        otherProject.put("project", Map.of("id", 71, "name", "other", "type", "Project"));
        Map<String, Object> login = event(102, "Shotgun_User_Login", 1, T0);
        Map<String, Object> switchedOn = event(103, "Shotgun_Project_Change", 71, T0);
        switchedOn.put("attribute_name", "sg_avalon_auto_sync");
        switchedOn.put("project", null);
        Map<String, Object> step = event(104, "Shotgun_Step_Change", 8, T0);
        step.put("project", null);

        ShotGridEventCursor.Result result = cursor().journal(List.of(otherProject, login, switchedOn, step), Set.of("70"), null);

        assertEquals(List.of(103L, 104L), ids(result.events()));
        assertEquals("71", result.events().get(0).get("project_id"), "project events carry the project in entity");
        assertNull(result.events().get(1).get("project_id"));
        assertEquals(104, cursor().state().lowWater());
    }

    @Test
    void retirementWithNullEntityUsesMetaAndTheJournalEntryHasWhatTheProcessorNeeds() {
        startAt(540300);
        Map<String, Object> retired = new LinkedHashMap<>(Map.of("id", 540301, "type", "EventLogEntry",
                "event_type", "Shotgun_Shot_Retirement", "created_at", "2026-01-21T19:52:10Z",
                "project", Map.of("type", "Project", "id", 70, "name", "demo_show"),
                "meta", Map.of("id", 1274, "type", "entity_retirement", "entity_id", 1274, "class_name", "Shot",
                        "entity_type", "Shot", "display_name", "bunny_099_012", "retirement_date", "2023-03-31 15:26:16 UTC")));
        retired.put("entity", null);
        retired.put("attribute_name", null);

        cursor().journal(List.of(retired), null, null);

        Document entry = journal.due("shotgrid", 10).get(0);
        assertEquals("shotgrid:540301", entry.get("_id"));
        assertEquals("Shotgun_Shot_Retirement", entry.get("name"));
        assertEquals("70", entry.get("project"));
        assertEquals("2026-01-21T19:52:10Z", entry.get("createdAt"));
        Document data = entry.get("data", Document.class);
        assertEquals("Shot", data.get("entity_type"));
        assertEquals(1274, data.get("entity_id"));
        assertEquals("Retirement", data.get("action"));
        assertEquals("bunny_099_012", data.get("display_name"));
    }

    @Test
    void malformedEntriesAreReportedByIdAndTheOthersGoOn() {
        startAt(100);
        Map<String, Object> noType = shotChange(101);
        noType.remove("event_type");
        Map<String, Object> badMeta = shotChange(102);
        badMeta.put("meta", "not an object");
        Map<String, Object> noId = shotChange(999);
        noId.put("id", "abc");

        ShotGridEventCursor.Result result = cursor().journal(List.of(noType, badMeta, noId, shotChange(103)), null, null);

        assertEquals(List.of(103L), ids(result.events()));
        assertEquals(3, result.malformed().size());
        assertTrue(result.malformed().get(0).contains("without a numeric id"), result.malformed().toString());
        assertTrue(result.malformed().get(1).contains("shotgrid event 101") && result.malformed().get(1).contains("no event_type"),
                result.malformed().toString());
        assertTrue(result.malformed().get(2).contains("shotgrid event 102"), result.malformed().toString());
        assertEquals(103, cursor().state().lowWater(), "a malformed entry with an id is seen, not a gap");
    }

    @Test
    void stateSurvivesItsDocumentAndGapsSplitWhenAnIdInsideArrives() {
        ShotGridEventState state = new ShotGridEventState(10);
        state.see(20, T0);
        state.see(15, T0);
        assertEquals(List.of(new ShotGridEventState.Gap(11, 14, T0), new ShotGridEventState.Gap(16, 19, T0)), state.gaps());
        assertEquals(8, state.missing());
        assertTrue(state.settled(15));

        ShotGridEventState copy = ShotGridEventState.of(state.toDocument());

        assertEquals(state.gaps(), copy.gaps());
        assertEquals(20, copy.head());
        assertEquals(10, copy.lowWater());
    }
}
