package io.avalonsync.shotgrid;

import java.util.List;
import java.util.Map;

import io.avalonsync.ShotGridHarness;
import io.avalonsync.avalon.TrackerIdentity;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sync.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ShotGrid full sync through the real routes, against the simulator and a Mongo-protocol server. */
class ShotGridFullSyncTest {

    @Test
    void firstSyncWritesTheProjectAndAResyncWritesNothing() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            SyncRun run = h.fullSync();
            assertFalse(run.failed(), run.summary());
            assertTrue(run.writes() > 0, run.summary());
            // 1 project search + steps + 5 entity types, one page each in the demo (plus the token)
            assertTrue(h.shotgrid.requestCount() <= 9, "requests: " + h.shotgrid.requestCountsByRoute());

            Document project = h.project("demo_show");
            assertNotNull(project, "the synced project");
            assertEquals("Project", TrackerIdentity.read(project, "data.shotgridType"));
            assertEquals("lay", TrackerIdentity.read(project, "config.tasks.Layout.short_name"));
            assertEquals("mod", TrackerIdentity.read(project, "config.tasks.Model.short_name"));
            assertNull(h.project("archive_show"), "sync checkbox off: not synced");

            int assetId = (Integer) h.data.findOne(ShotGridData.ASSET, "code", "character0001").get("id");
            Document asset = h.byKey("demo_show", "Asset:" + assetId);
            assertEquals("character0001", asset.get("name"));
            assertEquals(List.of("Character"), TrackerIdentity.read(asset, "data.parents"));
            Document group = h.byKey("demo_show", "AssetCategory:character");
            assertEquals(group.get("_id"), TrackerIdentity.read(asset, "data.visualParent"), "asset under its asset-type group");

            Map<String, Object> sgShot = h.data.findOne(ShotGridData.SHOT, "code", "ep01_sq010_sh0010");
            Document shot = h.byKey("demo_show", "Shot:" + sgShot.get("id"));
            assertEquals(List.of("ep01", "ep01_sq010"), TrackerIdentity.read(shot, "data.parents"));
            Document sequence = h.asset("demo_show", "ep01_sq010");
            assertEquals(sequence.get("_id"), TrackerIdentity.read(shot, "data.visualParent"));
            assertEquals(1001, TrackerIdentity.read(shot, "data.frameStart"));
            assertEquals(sgShot.get("sg_cut_out"), TrackerIdentity.read(shot, "data.frameEnd"));
            assertEquals(8, TrackerIdentity.read(shot, "data.handleStart"));
            assertEquals(8, TrackerIdentity.read(shot, "data.handleEnd"));
            assertEquals(sgShot.get("sg_status_list"), TrackerIdentity.read(shot, "data.status"));
            assertEquals("Layout", TrackerIdentity.read(shot, "data.tasks.layout.type"));
            assertEquals(3, ((Document) TrackerIdentity.read(shot, "data.tasks")).size());

            h.shotgrid.resetCounts();
            SyncRun again = h.fullSync();
            assertFalse(again.failed(), again.summary());
            assertEquals(0, again.writes(), "nothing changed in ShotGrid: " + again.summary());
        }
    }

    /**
     * A full sync asks for pages of 5,000 rows, the most ShotGrid answers (docs/shotgrid-api.md, Paging): every
     * request has a fixed cost on a real site, so a type of up to 5,000 rows is one request.
     */
    @Test
    void aFullSyncReadsEachTypeInPagesOf5000Rows() throws Exception {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, new SampleShotGridProduction.Spec(1, 3, 100, 2, 5, 10, 6, false));
        try (ShotGridHarness h = new ShotGridHarness(data, Map.of())) {
            int tasks = data.ids(ShotGridData.TASK).size();
            assertTrue(tasks > 500 && tasks <= 5000, tasks + " tasks");
            SyncRun run = h.fullSync();
            assertFalse(run.failed(), run.summary());
            assertEquals(1, h.shotgrid.requestCountsByRoute().get("POST /api/v1/entity/tasks/_search"),
                    "one request for " + tasks + " tasks: " + h.shotgrid.requestCountsByRoute());
            assertEquals(tasks, h.collection("big_show").find().into(new java.util.ArrayList<>()).stream()
                    .mapToInt(d -> d.get("data", org.bson.Document.class).get("tasks", new org.bson.Document()).size()).sum(),
                    "every task synced");
        }
    }

    /**
     * An error answer fails the search with ShotGrid's own reading of it (its envelope's title and code) as a
     * ShotGridResponseException; the HTTP failure stays its cause, which routes/errors.camel.yaml decides on.
     */
    @Test
    void anErrorAnswerFailsTheSearchWithShotGridsEnvelopeAroundTheHttpFailure() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            h.shotgrid.failNext(".*/entity/shots/_search.*", 400, 1);
            Exchange done = h.app().context().createProducerTemplate().send("direct:shotgrid-search",
                    e -> e.getMessage().setBody(ShotGridSearch.of("Shot")));
            ShotGridResponseException failure = assertInstanceOf(ShotGridResponseException.class, done.getException());
            assertEquals(400, failure.status());
            assertEquals(103, failure.code());
            assertTrue(failure.getMessage().startsWith("ShotGrid answered HTTP 400 to http://127.0.0.1:"), failure.getMessage());
            assertEquals(400, assertInstanceOf(HttpOperationFailedException.class, failure.getCause()).getStatusCode());

            Exchange again = h.app().context().createProducerTemplate().send("direct:shotgrid-search",
                    e -> e.getMessage().setBody(ShotGridSearch.of("Shot")));
            assertNull(again.getException());
            assertEquals(h.data.ids(ShotGridData.SHOT).size(), again.getMessage().getBody(List.class).size());
        }
    }
}
