package io.avalonsync;

import java.io.IOException;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.config.Settings;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sandbox.ShotGridSimulator;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;

/**
 * End-to-end bench for ShotGrid: the ShotGrid simulator and an embedded Mongo-protocol server on loopback, and
 * the service started against them (see {@link ServiceHarness}). Kitsu stays off (kitsu.url empty).
 */
public final class ShotGridHarness extends ServiceHarness {

    public final ShotGridSimulator shotgrid;
    public final ShotGridData data;

    public ShotGridHarness(ShotGridData data, Map<String, String> extra) throws IOException {
        super(extra);
        this.data = data;
        this.shotgrid = ShotGridSimulator.start(0, data);
    }

    public static ShotGridHarness demo(Map<String, String> extra) throws IOException {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        return new ShotGridHarness(data, extra);
    }

    @Override
    protected void trackerSettings(Settings settings) {
        settings.override("shotgrid.url", shotgrid.baseUrl());
        settings.override("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
        settings.override("shotgrid.api-key", ShotGridSimulator.API_KEY);
        settings.override("shotgrid.retry-delay", "50");
        settings.override("shotgrid.retries", "2");
        settings.override("shotgrid.timeout", "3000");
    }

    @Override
    protected void eventSettings(Settings settings) {
        settings.override("shotgrid.full-sync.at-start", "false");
        settings.override("shotgrid.poll-delay", "200");
    }

    @Override
    protected void closeTracker() {
        shotgrid.close();
    }

    /** A person of the simulator's data, as the link a change made in ShotGrid names as its author. */
    public static Map<String, Object> artist(ShotGridData data) {
        return ShotGridData.link(ShotGridData.HUMAN_USER, data.ids(ShotGridData.HUMAN_USER).get(0));
    }

    public SyncRun fullSync() throws Exception {
        return app().context().createProducerTemplate().requestBody("direct:shotgrid-full-sync", null, SyncRun.class);
    }

    /** The document of a ShotGrid entity, by its identity key ({@code "Shot:12"}). */
    public Document byKey(String collection, String key) {
        return collection(collection).find(Filters.eq("data.shotgridKey", key)).first();
    }

    public long journalCount(String status) {
        return client.getDatabase("avalon_sync").getCollection("event_journal")
                .countDocuments(Filters.and(Filters.eq("source", "shotgrid"), Filters.eq("status", status)));
    }

    public long journalCount() {
        return client.getDatabase("avalon_sync").getCollection("event_journal").countDocuments(Filters.eq("source", "shotgrid"));
    }

    /** The leecher's stored head: the highest event id its polls have read (0 before the first poll). */
    public long eventHead() {
        Document state = client.getDatabase("avalon_sync").getCollection("cursors")
                .find(Filters.eq("_id", "shotgrid:events")).first();
        return state != null && state.get("head") instanceof Number head ? head.longValue() : 0;
    }

    /** Waits until a poll has read these events (journaled or not), so what it decided about them is final. */
    public void awaitEventsRead(java.util.List<Integer> ids, long timeoutMillis) throws InterruptedException {
        long newest = ids.stream().mapToLong(Integer::longValue).max().orElseThrow();
        SyncHarness.await("the leecher read events " + ids + " (head " + eventHead() + ")", timeoutMillis,
                () -> eventHead() >= newest);
    }

    public boolean journalSettled() {
        return journalCount(EventJournal.PENDING) == 0 && journalCount(EventJournal.FAILED) == 0;
    }
}
