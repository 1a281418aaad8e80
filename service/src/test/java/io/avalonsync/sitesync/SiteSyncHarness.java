package io.avalonsync.sitesync;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.SamplePublishes;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * End-to-end bench for site sync: an embedded Mongo-protocol store, the Drive simulator and the service itself
 * (real routes from routes/, real beans) with site sync on, its loop off: tests drive each pass through
 * {@code direct:sitesync-run}, as "sync now" does.
 */
final class SiteSyncHarness implements AutoCloseable {

    static final String PROJECT = "Test";

    final EmbeddedMongo mongo;
    final DriveSimulator drive;
    final MongoClient client;
    final Path dir;
    final Path localRoot;
    final Path credentials;
    final int statusPort;
    final Map<String, String> settings = new LinkedHashMap<>();
    private AvalonSyncApp app;

    SiteSyncHarness(Path dir) throws IOException {
        this.dir = dir;
        this.mongo = EmbeddedMongo.inMemory();
        this.drive = DriveSimulator.start(0, dir.resolve("drive"));
        this.client = MongoClients.create(mongo.uri());
        this.localRoot = Files.createDirectories(dir.resolve("projects"));
        this.credentials = dir.resolve("gdrive-key.json");
        drive.writeCredentials(credentials);
        this.statusPort = freePort();
        settings.put("avalon.mongo-uri", mongo.uri());
        settings.put("avalon.mongo-timeout", "3000");
        settings.put("status.port", Integer.toString(statusPort));
        settings.put("sitesync.enabled", "true");
        settings.put("sitesync.roots.work", localRoot.toString());
        settings.put("gdrive.roots.work", "/My Drive/work");
        settings.put("gdrive.credentials", credentials.toString());
        settings.put("gdrive.api-url", drive.rootUrl());
        settings.put("gdrive.chunk-size", Integer.toString(256 * 1024));
        settings.put("sitesync.loop-delay", "0");
        settings.put("sitesync.redeliveries", "3");
        settings.put("sitesync.redelivery-delay", "20");
        settings.put("sitesync.max-redelivery-delay", "200");
    }

    Settings settings() throws IOException {
        Settings s = Settings.load(Path.of("").toAbsolutePath());
        settings.forEach(s::override);
        return s;
    }

    AvalonSyncApp app() throws Exception {
        if (app == null) {
            app = AvalonSyncApp.create(settings(), false).start();
        }
        return app;
    }

    /** The service as the daemon runs it: with the site sync loop (a pass every sitesync.loop-delay, 1 s here). */
    AvalonSyncApp scheduledApp() throws Exception {
        if (app == null) {
            app = AvalonSyncApp.create(settings(), true).start();
        }
        return app;
    }

    void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /** One pass, as "sync now" runs it. */
    SiteSyncPass run() throws Exception {
        return app().context().createProducerTemplate().requestBody("direct:sitesync-run", null, SiteSyncPass.class);
    }

    MongoCollection<Document> collection() {
        return client.getDatabase("avalon").getCollection(PROJECT);
    }

    List<ObjectId> publish(Long... sizes) {
        return SamplePublishes.publish(collection(), localRoot, "work", "studio", "gdrive", List.of(sizes));
    }

    Document representation(ObjectId id) {
        return collection().find(Filters.eq("_id", id)).first();
    }

    Document file(ObjectId repreId) {
        return representation(repreId).getList("files", Document.class).get(0);
    }

    /** The list-shaped record of a site on the representation's first file. */
    Document record(ObjectId repreId, String site) {
        Object sites = file(repreId).get("sites");
        if (sites instanceof Document dict) {
            return dict.get(site, Document.class);
        }
        for (Object o : (List<?>) sites) {
            if (o instanceof Document d && site.equals(d.getString("name"))) {
                return d;
            }
        }
        return null;
    }

    /** Waits until the file's backoff after its last failure is over, so the next pass may take it again. */
    void awaitBackoff(ObjectId repreId, String site) throws InterruptedException {
        io.avalonsync.SyncHarness.await("the backoff of " + repreId + " on " + site + " is over", 30_000, () -> {
            java.util.Date next = record(repreId, site).getDate("next_attempt_dt");
            return next == null || !next.after(new java.util.Date());
        });
    }

    Path localFile(ObjectId repreId) {
        return Path.of(file(repreId).getString("path").replace("{root[work]}", localRoot.toString()));
    }

    String remotePath(ObjectId repreId) {
        return file(repreId).getString("path").replace("{root[work]}", "/My Drive/work");
    }

    HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    List<DriveSimulator.Entry> liveFiles() {
        List<DriveSimulator.Entry> out = new ArrayList<>();
        for (DriveSimulator.Entry e : drive.entries()) {
            if (!e.folder() && !e.trashed()) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopApp();
        client.close();
        drive.close();
        mongo.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
