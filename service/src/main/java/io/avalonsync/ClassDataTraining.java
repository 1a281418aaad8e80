package io.avalonsync;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.avalonsync.config.ConfigValidator;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sandbox.SampleShotGridProduction;
import io.avalonsync.sandbox.ShotGridData;
import io.avalonsync.sandbox.ShotGridSimulator;

/**
 * The training run of a class-data-sharing archive (README, "Faster start"): in one JVM, what the commands load,
 * against the sandbox's in-memory store and tracker simulators on loopback: {@code validate}, {@code sync-once} of
 * Kitsu and ShotGrid, and the daemon's start (until its start-up syncs are done) and stop. Run with
 * {@code -XX:ArchiveClassesAtExit=avalon-sync.jsa}, the JVM writes every class it loaded into the archive at exit;
 * {@code java -XX:SharedArchiveFile=avalon-sync.jsa -jar avalon-sync.jar ...} then maps them instead of reading,
 * verifying and parsing them from the jar at every start. Writes nothing but the archive.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of("").toAbsolutePath();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        KitsuData kitsuData = new KitsuData();
        SampleProduction.generate(kitsuData, SampleProduction.Spec.demo());
        ShotGridData shotgridData = new ShotGridData();
        SampleShotGridProduction.generate(shotgridData, SampleShotGridProduction.Spec.demo());
        int exit;
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                KitsuSimulator kitsu = KitsuSimulator.start(0, kitsuData);
                ShotGridSimulator shotgrid = ShotGridSimulator.start(0, shotgridData)) {
            Settings settings = Settings.load(folder);
            settings.override("avalon.mongo-uri", mongo.uri());
            settings.override("kitsu.url", kitsu.baseUrl());
            settings.override("kitsu.events-url", kitsu.eventsUrl());
            settings.override("kitsu.user", KitsuSimulator.EMAIL);
            settings.override("kitsu.password", KitsuSimulator.PASSWORD);
            settings.override("shotgrid.url", shotgrid.baseUrl());
            settings.override("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
            settings.override("shotgrid.api-key", ShotGridSimulator.API_KEY);
            // this machine's own settings must not reach out: one node, no site sync, a free status port
            settings.override("sync.cluster", "none");
            settings.override("sitesync.enabled", "false");
            settings.override("status.bind", "127.0.0.1");
            settings.override("status.port", "0");
            settings.override("sync.node-id", "class-data-training");

            ConfigValidator.run(folder, settings, quiet);
            exit = AvalonSync.syncOnce(settings, List.of());
            try (AvalonSyncApp daemon = AvalonSyncApp.create(settings, true).start()) {
                // the start-up full syncs begin about a second after the start: give them 3 s, then until nothing is in flight
                long started = System.nanoTime();
                while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)
                        && (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3)
                            || daemon.context().getInflightRepository().size() > 0)) {
                    Thread.sleep(100);
                }
            }
        }
        System.out.println("class-data training done (sync-once exit " + exit + ")");
        System.exit(exit == 0 ? 0 : 1);
    }
}
