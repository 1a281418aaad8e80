package io.avalonsync.sitesync;

import java.io.IOException;
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

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.ServiceHarness;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.SamplePublishes;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * End-to-end bench for site sync: the shared service harness (embedded Mongo-protocol store, the service itself
 * with its real routes from routes/ and real beans) with the Drive simulator as the remote and site sync on, its
 * loop off: tests drive each pass through {@code direct:sitesync-run}, as "sync now" does.
 */
final class SiteSyncHarness extends ServiceHarness {

    static final String PROJECT = "Test";

    final DriveSimulator drive;
    final Path dir;
    final Path localRoot;
    final Path credentials;
    final int statusPort;
    /**
     * Every setting of the service under test: tests change it before the service starts and copy it to the
     * service started as a child process, so it holds the Drive and site sync settings too.
     */
    final Map<String, String> settings;

    SiteSyncHarness(Path dir) throws IOException {
        this(dir, new LinkedHashMap<>());
    }

    private SiteSyncHarness(Path dir, Map<String, String> settings) throws IOException {
        super(settings);
        this.settings = settings;
        this.dir = dir;
        this.drive = DriveSimulator.start(0, dir.resolve("drive"));
        this.localRoot = Files.createDirectories(dir.resolve("projects"));
        this.credentials = dir.resolve("gdrive-key.json");
        drive.writeCredentials(credentials);
        this.statusPort = statusPort();
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

    /** No tracker here: the Drive and site sync settings are in {@link #settings}, which the harness applies last. */
    @Override
    protected void trackerSettings(Settings settings) {
    }

    /** Site sync's daemon way is its loop, switched on by starting the service with its schedules. */
    @Override
    protected void eventSettings(Settings settings) {
    }

    @Override
    protected void closeTracker() {
        drive.close();
    }

    /** The service as the daemon runs it: with the site sync loop (a pass every sitesync.loop-delay). */
    AvalonSyncApp scheduledApp() throws Exception {
        return appWithEvents(Map.of());
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
}
