package io.avalonsync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.config.Settings;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sandbox.ShotGridSimulator;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;

/**
 * End-to-end bench for ShotGrid: the ShotGrid simulator and an embedded Mongo-protocol server on loopback, and
 * the service (real routes from routes/, real beans) started against them. Kitsu stays off (kitsu.url empty).
 */
public final class ShotGridHarness implements AutoCloseable {

    public final EmbeddedMongo mongo;
    public final ShotGridSimulator shotgrid;
    public final ShotGridData data;
    public final MongoClient client;
    public final int statusPort;
    private final Map<String, String> extra;
    private AvalonSyncApp app;

    public ShotGridHarness(ShotGridData data, Map<String, String> extra) throws IOException {
        this.mongo = EmbeddedMongo.inMemory();
        this.data = data;
        this.shotgrid = ShotGridSimulator.start(0, data);
        this.client = MongoClients.create(mongo.uri());
        this.extra = extra;
        this.statusPort = SyncHarness.freePort();
    }

    public static ShotGridHarness demo(Map<String, String> extra) throws IOException {
        ShotGridData data = new ShotGridData();
        SampleShotGridProduction.generate(data, SampleShotGridProduction.Spec.demo());
        return new ShotGridHarness(data, extra);
    }

    public Settings settings() throws IOException {
        Settings settings = Settings.load(Path.of("").toAbsolutePath());
        settings.override("avalon.mongo-uri", mongo.uri());
        settings.override("shotgrid.url", shotgrid.baseUrl());
        settings.override("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
        settings.override("shotgrid.api-key", ShotGridSimulator.API_KEY);
        settings.override("shotgrid.retry-delay", "50");
        settings.override("shotgrid.retries", "2");
        settings.override("shotgrid.timeout", "3000");
        settings.override("status.port", Integer.toString(statusPort));
        settings.override("avalon.mongo-timeout", "1500");
        extra.forEach(settings::override);
        return settings;
    }

    /** The service without schedules: tests drive each full sync. */
    public AvalonSyncApp app() throws Exception {
        if (app == null) {
            app = AvalonSyncApp.create(settings(), false).start();
        }
        return app;
    }

    /** The service as the daemon runs it (leecher, processor), without the start-up sync. */
    public AvalonSyncApp appWithEvents(Map<String, String> more) throws Exception {
        if (app == null) {
            Settings settings = settings();
            settings.override("shotgrid.full-sync.at-start", "false");
            settings.override("shotgrid.poll-delay", "200");
            more.forEach(settings::override);
            app = AvalonSyncApp.create(settings, true).start();
        }
        return app;
    }

    public SyncRun fullSync() throws Exception {
        return app().context().createProducerTemplate().requestBody("direct:shotgrid-full-sync", null, SyncRun.class);
    }

    public MongoCollection<Document> collection(String name) {
        return client.getDatabase("avalon").getCollection(name);
    }

    public Document project(String collection) {
        return collection(collection).find(Filters.eq("type", "project")).first();
    }

    /** The document of a ShotGrid entity, by its identity key ({@code "Shot:12"}). */
    public Document byKey(String collection, String key) {
        return collection(collection).find(Filters.eq("data.shotgridKey", key)).first();
    }

    public Document asset(String collection, String name) {
        return collection(collection).find(Filters.and(Filters.eq("type", "asset"), Filters.eq("name", name))).first();
    }

    public List<Document> assets(String collection) {
        return collection(collection).find(Filters.in("type", "asset", "archived_asset")).into(new ArrayList<>());
    }

    public long journalCount(String status) {
        return client.getDatabase("avalon_sync").getCollection("event_journal")
                .countDocuments(Filters.and(Filters.eq("source", "shotgrid"), Filters.eq("status", status)));
    }

    public long journalCount() {
        return client.getDatabase("avalon_sync").getCollection("event_journal").countDocuments(Filters.eq("source", "shotgrid"));
    }

    public boolean journalSettled() {
        return journalCount(EventJournal.PENDING) == 0 && journalCount(EventJournal.FAILED) == 0;
    }

    public void restartApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        client.close();
        shotgrid.close();
        mongo.close();
    }
}
