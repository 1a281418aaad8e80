package io.avalonsync.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import io.avalonsync.AvalonSync;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo ({@code java -jar avalon-sync-demo.jar}): the whole service on this machine with nothing external. An embedded Mongo-protocol store
 * (file-backed under demo-data/, so a restart keeps what was synced), the Kitsu simulator with a sample
 * production on loopback (its event stream included, with a change every few seconds), the ShotGrid simulator
 * with its own sample production (a shot's cut changes every few seconds, picked up by the event-log leecher),
 * every route running against them, and the status endpoint open.
 */
public final class Demo {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    static final String SHARED_DRIVE = "Studio Share";
    static final List<Long> SAMPLE_SIZES = List.of(4_822L, 180_000L, 1_500_000L, 6_000_000L, 42_000L);

    private Demo() {
    }

    /**
     * Once the start-up sync has written the first project, publishes a handful of sample files into it (only
     * when it has no representations yet, so a restarted demo does not publish again).
     */
    private static void publishSamples(String mongoUri, Path localRoot, io.avalonsync.config.Settings settings) {
        try (MongoClient client = MongoClients.create(mongoUri)) {
            var db = client.getDatabase(settings.avalon().db());
            String project = null;
            for (int i = 0; i < 600 && project == null; i++) {
                for (String name : db.listCollectionNames()) {
                    if (db.getCollection(name).find(Filters.eq("type", "project")).first() != null
                            && (project == null || name.compareTo(project) < 0)) {
                        project = name;
                    }
                }
                if (project == null) {
                    Thread.sleep(500);
                }
            }
            if (project == null) {
                LOG.warn("demo: no project appeared in the store; no sample files published");
                return;
            }
            var collection = db.getCollection(project, Document.class);
            if (collection.countDocuments(Filters.eq("type", "representation")) > 0) {
                LOG.info("demo: project {} already has representations; not publishing samples again", project);
                return;
            }
            List<org.bson.types.ObjectId> ids = SamplePublishes.publish(collection, localRoot, "work",
                    settings.siteSync().activeSite(), settings.siteSync().remoteSite(), SAMPLE_SIZES);
            LOG.info("demo: published {} sample representations into {} (files under {}); site sync mirrors them to"
                    + " the Drive simulator", ids.size(), project, localRoot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("demo: publishing the sample files failed: {}", e.toString());
        }
    }

    /** A studio artist changing one shot's cut every {@code intervalMillis}, as ShotGrid logs it. */
    private static AutoCloseable shotgridActivity(ShotGridData data, long intervalMillis) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-shotgrid-activity");
            thread.setDaemon(true);
            return thread;
        });
        java.util.concurrent.atomic.AtomicInteger tick = new java.util.concurrent.atomic.AtomicInteger();
        timer.scheduleWithFixedDelay(() -> {
            try {
                // shots of the synced project only (archive_show's sync checkbox is off)
                Object project = data.findOne(ShotGridData.PROJECT, "name", "demo_show").get("id");
                List<Integer> shots = data.ids(ShotGridData.SHOT).stream().filter(id -> data.get(ShotGridData.SHOT, id)
                        .get("project") instanceof java.util.Map<?, ?> link && project.equals(link.get("id"))).toList();
                int shot = shots.get(tick.getAndIncrement() % shots.size());
                Object cutOut = data.get(ShotGridData.SHOT, shot).get("sg_cut_out");
                int next = (cutOut instanceof Number n ? n.intValue() : 1100) + 1;
                data.update(ShotGridData.SHOT, shot, java.util.Map.of("sg_cut_out", next),
                        ShotGridData.link(ShotGridData.HUMAN_USER, data.ids(ShotGridData.HUMAN_USER).get(0)));
                LOG.info("demo: ShotGrid Shot {} sg_cut_out -> {}", shot, next);
            } catch (RuntimeException e) {
                LOG.warn("demo: ShotGrid activity failed: {}", e.toString());
            }
        }, intervalMillis, intervalMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /**
     * {@code java -jar avalon-sync-demo.jar}: from the folder holding {@code routes/} and
     * {@code application.properties}, as the service's commands; {@code -D} settings as there.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load(Path.of("").toAbsolutePath());
        AvalonSync.useLogFormat(settings);
        System.exit(run(settings));
    }

    public static int run(Settings settings) throws Exception {
        Path dataDir = Path.of(settings.get("demo.data-dir", "demo-data"));
        int mongoPort = Integer.parseInt(settings.get("demo.mongo-port", "0"));
        int kitsuPort = Integer.parseInt(settings.get("demo.kitsu-port", "0"));
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        long activity = Long.parseLong(settings.get("demo.activity-interval", "10000"));
        int drivePort = Integer.parseInt(settings.get("demo.drive-port", "0"));
        int shotgridPort = Integer.parseInt(settings.get("demo.shotgrid-port", "0"));
        ShotGridData shotgridData = new ShotGridData();
        SampleShotGridProduction.generate(shotgridData, SampleShotGridProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.file(dataDir.resolve("avalon.mv"), mongoPort);
                KitsuSimulator kitsu = KitsuSimulator.start(kitsuPort, data);
                DemoActivity studio = new DemoActivity(data, activity, mongo.uri(), settings.avalon().db());
                DriveSimulator drive = DriveSimulator.start(drivePort, null);
                ShotGridSimulator shotgrid = ShotGridSimulator.start(shotgridPort, shotgridData);
                AutoCloseable shotgridStudio = shotgridActivity(shotgridData, activity)) {
            // ShotGrid beside Kitsu: the same store, its own project (demo_show); the leecher polls every 2 s
            settings.override("shotgrid.url", shotgrid.baseUrl());
            settings.override("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
            settings.override("shotgrid.api-key", ShotGridSimulator.API_KEY);
            settings.override("shotgrid.poll-delay", settings.get("demo.shotgrid-poll-delay", "2000"));
            settings.override("avalon.mongo-uri", mongo.uri());
            settings.override("kitsu.url", kitsu.baseUrl());
            settings.override("kitsu.events-url", kitsu.eventsUrl());
            settings.override("kitsu.user", KitsuSimulator.EMAIL);
            settings.override("kitsu.password", KitsuSimulator.PASSWORD);
            // site sync: published files of the demo project mirrored to a shared drive of the Drive simulator
            drive.createSharedDrive(SHARED_DRIVE);
            Path credentials = Files.createDirectories(dataDir).resolve("gdrive-demo-key.json").toAbsolutePath();
            String account = drive.writeCredentials(credentials);
            Path localRoot = Files.createDirectories(dataDir.resolve("projects")).toAbsolutePath();
            settings.override("sitesync.enabled", "true");
            settings.override("sitesync.loop-delay", settings.get("demo.sitesync-loop-delay", "5"));
            settings.override("sitesync.roots.work", localRoot.toString());
            settings.override("gdrive.roots.work", "/" + SHARED_DRIVE + "/work");
            settings.override("gdrive.credentials", credentials.toString());
            settings.override("gdrive.api-url", drive.rootUrl());
            // the checks of validate, with the simulators' settings in place, before anything is published or synced
            io.avalonsync.config.ConfigValidator.StartChecks checked = io.avalonsync.config.ConfigValidator.checksAtStart(
                    settings.file().toAbsolutePath().getParent(), settings, "demo", System.err).join();
            if (!checked.passed()) {
                return 1;
            }
            Thread publisher = new Thread(() -> publishSamples(mongo.uri(), localRoot, settings), "demo-publisher");
            publisher.setDaemon(true);
            publisher.start();
            String status = "http://" + settings.status().bind() + ":" + settings.status().port();
            LOG.info("demo: Avalon store {} (data in {}), Kitsu simulator {} (login {}), status {}/health",
                    mongo.uri(), dataDir.toAbsolutePath(), kitsu.apiUrl(), KitsuSimulator.EMAIL, status);
            LOG.info("demo: Drive simulator {} (shared drive '{}', account {}); sample files are published under {} and"
                    + " mirrored every {} s; status page {}/ , queue JSON {}/sitesync", drive.rootUrl(), SHARED_DRIVE, account,
                    localRoot, settings.get("sitesync.loop-delay"), status, status);
            LOG.info("demo: the sample production is synced now and on kitsu.full-sync.cron; a shot changes in Kitsu"
                    + " every {} ms and reaches the store through the event stream; Ctrl+C stops", activity);
            LOG.info("demo: ShotGrid simulator {} (script '{}'): project demo_show is synced into the store collection"
                    + " demo_show (archive_show has its sync checkbox off and stays out); a shot's sg_cut_out changes every"
                    + " {} ms and reaches data.clipOut through the event log (journal: avalon_sync.event_journal, source"
                    + " shotgrid); /health lists shotgrid beside kitsu", shotgrid.apiUrl(), ShotGridSimulator.SCRIPT_NAME, activity);
            AvalonSyncApp.create(settings, true).loadingCheckedRoutes(checked::routeTexts).runUntilStopped();
        }
        return 0;
    }
}
