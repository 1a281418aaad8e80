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
import org.bson.Document;

/**
 * What every end-to-end harness shares (each tracker's, and site sync's with Drive as its remote): an embedded
 * Mongo-protocol server on loopback, the service (real routes from routes/, real beans) started against it and a
 * simulator, and the Avalon documents it wrote. The MongoDB driver talks to the store over TCP as in production.
 */
public abstract class ServiceHarness implements AutoCloseable {

    public final EmbeddedMongo mongo;
    public final MongoClient client;
    private int statusPort;
    private final Map<String, String> extra;
    private AvalonSyncApp app;
    private final List<AvalonSyncApp> otherNodes = new ArrayList<>();

    protected ServiceHarness(Map<String, String> extra) throws IOException {
        this.mongo = EmbeddedMongo.inMemory();
        this.client = MongoClients.create(mongo.uri());
        this.extra = extra;
    }

    /**
     * The status server's port, picked at first use: after the subclass started its simulator, so the simulator's
     * own ephemeral port can never be the one picked here (the status server binds it only when the app starts).
     */
    public synchronized int statusPort() throws IOException {
        if (statusPort == 0) {
            statusPort = freePort();
        }
        return statusPort;
    }

    /** The tracker's settings: its URL, credentials, short retries and timeouts. */
    protected abstract void trackerSettings(Settings settings);

    /** The tracker's settings for the daemon's way (events on, no start-up sync). */
    protected abstract void eventSettings(Settings settings);

    /** Stops the tracker simulator. */
    protected abstract void closeTracker();

    /** {@code work} (a full sync, say) on another thread, for a test that acts while it runs. */
    public static <T> java.util.concurrent.CompletableFuture<T> inBackground(java.util.concurrent.Callable<T> work) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public Settings settings() throws IOException {
        Settings settings = Settings.load(Path.of("").toAbsolutePath());
        settings.override("avalon.mongo-uri", mongo.uri());
        trackerSettings(settings);
        settings.override("status.port", Integer.toString(statusPort()));
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

    /** Starts the service as the daemon runs it (event listener or leecher, journal processor), without the start-up sync. */
    public AvalonSyncApp appWithEvents(Map<String, String> more) throws Exception {
        if (app == null) {
            Settings settings = settings();
            eventSettings(settings);
            more.forEach(settings::override);
            app = AvalonSyncApp.create(settings, true).start();
        }
        return app;
    }

    /**
     * Another instance of the service against the same store and tracker, as a second node (or a rolling restart)
     * runs it: its own status port and Camel name, the same settings otherwise. {@code events} starts it the
     * daemon's way (see {@link #appWithEvents}); closed with the harness.
     */
    public AvalonSyncApp anotherNode(boolean events, Map<String, String> more) throws Exception {
        Settings settings = settings();
        settings.override("status.port", Integer.toString(freePort()));
        settings.override("camel.main.name", "avalon-sync-node" + (otherNodes.size() + 2));
        if (events) {
            eventSettings(settings);
        }
        more.forEach(settings::override);
        AvalonSyncApp node = AvalonSyncApp.create(settings, events).start();
        otherNodes.add(node);
        return node;
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

    public List<Document> assets(String collection) {
        return collection(collection).find(Filters.in("type", "asset", "archived_asset")).into(new ArrayList<>());
    }

    /** Stops the service; the next app() starts a new one against the same store. */
    public void restartApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Override
    public void close() {
        otherNodes.forEach(AvalonSyncApp::close);
        if (app != null) {
            app.close();
        }
        client.close();
        closeTracker();
        mongo.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
