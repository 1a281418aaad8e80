package io.avalonsync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.avalonsync.config.ConfigValidator;
import io.avalonsync.config.Settings;

/**
 * The training run of a class-data-sharing archive (README, "Faster start"): in one JVM, what the commands load,
 * against an in-memory store and the tracker simulators on loopback: {@code validate}, {@code sync-once} of
 * Kitsu and ShotGrid, and the daemon's start (until its start-up syncs are done) and stop. Run with
 * {@code -XX:ArchiveClassesAtExit=avalon-sync.jsa -cp avalon-sync.jar}, the JVM writes every class it loaded into
 * the archive at exit; {@code java -XX:SharedArchiveFile=avalon-sync.jsa -jar avalon-sync.jar ...} then maps them
 * instead of reading, verifying and parsing them from the jar at every start. Writes nothing but the archive.
 * <p>
 * This jar holds no simulator: they run in two child JVMs from the demo jar (the argument; by default
 * {@code avalon-sync-demo.jar} beside this jar), so this JVM loads the service's classes only and its class path
 * stays the one {@code java -jar avalon-sync.jar} uses, which the archive requires.
 */
public final class ClassDataTraining {

    private static final long READY_SECONDS = 120;

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of("").toAbsolutePath();
        Path demoJar = args.length > 0 ? Path.of(args[0])
                : Path.of(ClassDataTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .resolveSibling("avalon-sync-demo.jar");
        if (!Files.isRegularFile(demoJar)) {
            System.err.println("class-data training: no simulators: " + demoJar + " is not a file (build it with"
                    + " mvn -B -q package -DskipTests, or name it: ... io.avalonsync.ClassDataTraining <avalon-sync-demo.jar>)");
            System.exit(1);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int exit;
        try (Simulator kitsu = new Simulator(demoJar, "io.avalonsync.sandbox.KitsuSimulatorMain");
                Simulator shotgrid = new Simulator(demoJar, "io.avalonsync.sandbox.ShotGridSimulatorMain")) {
            Settings settings = Settings.load(folder);
            settings.override("avalon.mongo-uri", kitsu.words.get("mongo"));
            settings.override("kitsu.url", kitsu.words.get("kitsu"));
            settings.override("kitsu.events-url", kitsu.words.get("events"));
            settings.override("kitsu.user", kitsu.words.get("login"));
            settings.override("kitsu.password", kitsu.words.get("password"));
            settings.override("shotgrid.url", shotgrid.words.get("shotgrid"));
            settings.override("shotgrid.script-name", shotgrid.words.get("script"));
            settings.override("shotgrid.api-key", shotgrid.words.get("key"));
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

    /**
     * A simulator main of the demo jar ({@code demo} production, no latency) in a child JVM; {@link #words} holds
     * the name=value words of its {@code SIM INFO} and {@code SIM READY} lines (addresses and logins). Closing
     * its stdin stops it.
     */
    private static final class Simulator implements AutoCloseable {
        final Process process;
        final Map<String, String> words = new HashMap<>();

        Simulator(Path demoJar, String mainClass) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", demoJar.toString(), mainClass, "demo", "0"));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("SIM INFO ") || line.startsWith("SIM READY ")) {
                            synchronized (words) {
                                for (String word : line.split(" ")) {
                                    int eq = word.indexOf('=');
                                    if (eq > 0) {
                                        words.put(word.substring(0, eq), word.substring(eq + 1));
                                    }
                                }
                                if (line.startsWith("SIM READY ")) {
                                    words.put("", "ready");
                                    words.notifyAll();
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                synchronized (words) {
                    words.notifyAll();
                }
            }, "training-simulator-output");
            reader.setDaemon(true);
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
            synchronized (words) {
                while (!words.containsKey("") && process.isAlive() && System.nanoTime() < deadline) {
                    words.wait(1000);
                }
            }
            if (!words.containsKey("")) {
                process.destroyForcibly();
                throw new IOException(mainClass + " did not start within " + READY_SECONDS + " s (alive: "
                        + process.isAlive() + ")");
            }
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
