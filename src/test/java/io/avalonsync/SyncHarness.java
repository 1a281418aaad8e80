package io.avalonsync;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;

/**
 * End-to-end test bench: the Kitsu simulator and an embedded Mongo-protocol server on loopback, and the
 * service itself (real routes from routes/, real beans) started against them. The MongoDB driver talks
 * to the store over TCP exactly as in production.
 */
public final class SyncHarness implements AutoCloseable {

    public final EmbeddedMongo mongo;
    public final KitsuSimulator kitsu;
    public final MongoClient client;
    private final Map<String, String> extra;
    private AvalonSyncApp app;
    public final int statusPort;

    public SyncHarness(KitsuData data, Map<String, String> extra) throws IOException {
        this.mongo = EmbeddedMongo.inMemory();
        this.kitsu = KitsuSimulator.start(0, data);
        this.client = MongoClients.create(mongo.uri());
        this.extra = extra;
        this.statusPort = freePort();
    }

    public static SyncHarness demo() throws IOException {
        return demo(Map.of());
    }

    public static SyncHarness demo(Map<String, String> extra) throws IOException {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        return new SyncHarness(data, extra);
    }

    public Settings settings() throws IOException {
        Settings settings = Settings.load(Path.of("").toAbsolutePath());
        settings.override("avalon.mongo-uri", mongo.uri());
        settings.override("kitsu.url", kitsu.baseUrl());
        settings.override("kitsu.user", KitsuSimulator.EMAIL);
        settings.override("kitsu.password", KitsuSimulator.PASSWORD);
        settings.override("kitsu.retry-delay", "50");
        settings.override("kitsu.retries", "2");
        settings.override("status.port", Integer.toString(statusPort));
        settings.override("kitsu.timeout", "3000");
        settings.override("avalon.mongo-timeout", "1500");
        extra.forEach(settings::override);
        return settings;
    }

    /** Starts the service without schedules: tests drive each full sync. */
    public AvalonSyncApp app() throws Exception {
        if (app == null) {
            app = AvalonSyncApp.create(settings(), false).start();
        }
        return app;
    }

    /** Starts the service as the daemon runs it (event listener, journal processor), without the start-up sync. */
    public AvalonSyncApp appWithEvents(Map<String, String> more) throws Exception {
        if (app == null) {
            Settings settings = settings();
            settings.override("kitsu.full-sync.at-start", "false");
            settings.override("kitsu.events-url", kitsu.eventsUrl());
            settings.override("kitsu.events.poll-interval", "1000");
            more.forEach(settings::override);
            app = AvalonSyncApp.create(settings, true).start();
        }
        return app;
    }

    /** Waits until the condition holds, polling; fails with the message after the timeout. */
    public static void await(String what, long timeoutMillis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
    }

    public SyncRun fullSync() throws Exception {
        return app().context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
    }

    public MongoCollection<Document> collection(String name) {
        return client.getDatabase("avalon").getCollection(name);
    }

    public Document project(String collection) {
        return collection(collection).find(Filters.eq("type", "project")).first();
    }

    public Document asset(String collection, String name) {
        return collection(collection).find(Filters.and(Filters.eq("type", "asset"), Filters.eq("name", name))).first();
    }

    public Document byZouId(String collection, String zouId) {
        return collection(collection).find(Filters.eq("data.zou.id", zouId)).first();
    }

    public List<Document> assets(String collection) {
        return collection(collection).find(Filters.in("type", "asset", "archived_asset")).into(new ArrayList<>());
    }

    public void restartApp() throws Exception {
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
        kitsu.close();
        mongo.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
