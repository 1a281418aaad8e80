package io.avalonsync.sandbox;

import java.nio.file.Path;

import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo}: the whole service on this machine with nothing external. An embedded Mongo-protocol store
 * (file-backed under demo-data/, so a restart keeps what was synced), the Kitsu simulator with a sample
 * production on loopback (its event stream included, with a change every few seconds), every route
 * running against them, and the status endpoint open.
 */
public final class Demo {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private Demo() {
    }

    public static int run(Settings settings) throws Exception {
        Path dataDir = Path.of(settings.get("demo.data-dir", "demo-data"));
        int mongoPort = Integer.parseInt(settings.get("demo.mongo-port", "0"));
        int kitsuPort = Integer.parseInt(settings.get("demo.kitsu-port", "0"));
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        long activity = Long.parseLong(settings.get("demo.activity-interval", "10000"));
        try (EmbeddedMongo mongo = EmbeddedMongo.file(dataDir.resolve("avalon.mv"), mongoPort);
                KitsuSimulator kitsu = KitsuSimulator.start(kitsuPort, data);
                DemoActivity studio = new DemoActivity(data, activity, mongo.uri(), settings.get("avalon.db", "avalon"))) {
            settings.override("avalon.mongo-uri", mongo.uri());
            settings.override("kitsu.url", kitsu.baseUrl());
            settings.override("kitsu.events-url", kitsu.eventsUrl());
            settings.override("kitsu.user", KitsuSimulator.EMAIL);
            settings.override("kitsu.password", KitsuSimulator.PASSWORD);
            String status = "http://" + settings.get("status.bind", "127.0.0.1") + ":" + settings.get("status.port", "8080");
            LOG.info("demo: Avalon store {} (data in {}), Kitsu simulator {} (login {}), status {}/health",
                    mongo.uri(), dataDir.toAbsolutePath(), kitsu.apiUrl(), KitsuSimulator.EMAIL, status);
            LOG.info("demo: the sample production is synced now and on kitsu.full-sync.cron; a shot changes in Kitsu"
                    + " every {} ms and reaches the store through the event stream; Ctrl+C stops", activity);
            AvalonSyncApp.create(settings, true).runUntilStopped();
        }
        return 0;
    }
}
