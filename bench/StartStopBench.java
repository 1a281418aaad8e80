// Start and stop benchmark (issue 16): the service as users run it, `java -jar target/avalon-sync.jar ...` in a process
// of its own, and the simulator (KitsuSimulatorMain / ShotGridSimulatorMain: tracker + in-memory Mongo-protocol store)
// in another. Run from the repository root:
//
//   bench/run startstop [--runs 5] [--spec-size] [--only plain|cds|cds+short] [--java-opts "-Xshare:off ..."]
//
// Per variant (plain `java -jar`; when the archive exists, `java -XX:SharedArchiveFile=target/avalon-sync.jsa -jar`,
// and cds+short: the archive plus, for sync-once and validate only, the short-run flags -XX:TieredStopAtLevel=1
// -XX:+UseSerialGC; see README "Faster start"), each figure is the median of --runs whole-process runs:
//   sync-once kitsu   a small project (the demo production: 2 projects, 58 entities), a first sync each run (fresh
//                     avalon.db and sync.state-db), from process start to exit; the sync's own share beside it
//                     (the summary's "done in X s")
//   validate          process start to exit
//   daemon ready      process start to the first 200 of GET /health/ready
//   idle stop         SIGTERM to exit of that daemon once its start-up full sync is done (exit code 0 expected)
// --spec-size adds the large-project sizes through `sync-once` as a process (-Xmx512m, heap peak from its GC log) with
// the flags of the last variant run: the large Kitsu production and the large ShotGrid one, a first sync and a
// no-change re-sync each.
// The service's logs go to a temp folder (printed). Exit status: 0 every target met, 1 a target missed, 2 the benchmark
// itself failed.

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class StartStopBench extends BenchSupport {

    static final double SYNC_ONCE_TARGET_S = 2.5;
    static final double VALIDATE_TARGET_S = 1.5;
    static final double READY_TARGET_S = 3;
    static final double STOP_TARGET_S = 1;
    static final double SPEC_FIRST_TARGET_S = 15;
    static final double SPEC_RESYNC_TARGET_S = 8;
    static final double SG_FIRST_TARGET_S = 20;
    static final double SG_RESYNC_TARGET_S = 10;

    static final Path JAR = Path.of("target/avalon-sync.jar");
    static final Path ARCHIVE = Path.of("target/avalon-sync.jsa");
    /** The flags README "Faster start" and docker/entrypoint.sh give the one-shot commands (sync-once, validate). */
    static final List<String> SHORT_RUN = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    static final Pattern DONE = Pattern.compile("(kitsu|shotgrid) full sync (done|FAILED) in ([0-9.]+) s: \\d+ projects, (\\d+) writes");
    static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    static Path logs;
    static int counter;
    static List<String> extraOptions = List.of();

    public static void main(String[] args) {
        exit(System.err, () -> new StartStopBench().run(args));
    }

    int run(String[] args) throws Exception {
        int runs = 5;
        boolean specSize = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--spec-size" -> specSize = true;
                case "--only" -> only = args[++i];
                case "--java-opts" -> extraOptions = List.of(args[++i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--runs n, --spec-size, --only plain|cds|cds+short, --java-opts \"...\")");
            }
        }
        logs = Files.createTempDirectory("startstop-bench");
        say("service logs in %s; load average at start: %s", logs, loadAverage());
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("plain", new Variant(List.of(), List.of()));
        if (Files.isRegularFile(ARCHIVE)) {
            List<String> archive = List.of("-XX:SharedArchiveFile=" + ARCHIVE);
            variants.put("cds", new Variant(archive, archive));
            List<String> shortRun = new ArrayList<>(archive);
            shortRun.addAll(SHORT_RUN);
            variants.put("cds+short", new Variant(archive, shortRun));
        } else {
            say("no %s: the CDS variant is left out (build it: see README, Faster start)", ARCHIVE);
        }
        if (only != null) {
            variants.keySet().retainAll(List.of(only));
        }

        try (Kitsu sim = Kitsu.start("demo")) {
            for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                startStop(sim, variant.getKey(), variant.getValue(), runs);
            }
        }
        if (specSize && !variants.isEmpty()) {
            // the last variant: the fastest way README gives
            Map.Entry<String, Variant> last = null;
            for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                last = variant;
            }
            specKitsu(last.getKey(), last.getValue().oneShot());
            specShotGrid(last.getKey(), last.getValue().oneShot());
        }
        say("load average at the end: %s", loadAverage());
        return allPass ? 0 : 1;
    }

    // ---------------------------------------------------------------- small project: start, stop

    /** JVM flags of the daemon and of the one-shot commands (sync-once, validate). */
    record Variant(List<String> daemon, List<String> oneShot) {
    }

    static String commandLine(List<String> jvm) {
        return jvm.isEmpty() ? "java -jar " + JAR : "java " + String.join(" ", jvm) + " -jar " + JAR;
    }

    void startStop(Kitsu sim, String variant, Variant flags, int runs) throws Exception {
        say("================ %s: %s ================", variant, flags.oneShot().equals(flags.daemon())
                ? commandLine(flags.daemon())
                : commandLine(flags.oneShot()) + " sync-once|validate; daemon: " + commandLine(flags.daemon()));
        List<String> jvm = flags.oneShot();
        List<Double> once = new ArrayList<>();
        List<Double> onceSync = new ArrayList<>();
        List<Double> validate = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        // one unmeasured round first: the page cache holds the jar afterwards, as it does for a cron job
        for (int round = -1; round < runs; round++) {
            Result r = service(jvm, sim.settings(fresh()), List.of("sync-once", "kitsu"), "sync-once-" + variant);
            if (r.exit != 0 || r.syncSeconds < 0) {
                throw new IllegalStateException("sync-once exited " + r.exit + ", see " + r.log);
            }
            Result v = service(jvm, sim.settings(fresh()), List.of("validate"), "validate-" + variant);
            if (v.exit != 0) {
                throw new IllegalStateException("validate exited " + v.exit + ", see " + v.log);
            }
            double[] daemon = daemon(flags.daemon(), sim, variant);
            if (round >= 0) {
                once.add(r.wall);
                onceSync.add(r.syncSeconds);
                validate.add(v.wall);
                ready.add(daemon[0]);
                stop.add(daemon[1]);
                say("run %d: sync-once %.2f s (sync %.2f s), validate %.2f s, ready %.2f s, idle stop %.2f s", round + 1,
                        r.wall, r.syncSeconds, v.wall, daemon[0], daemon[1]);
            }
        }
        timeRow("sync-once kitsu, small project (whole process)", once, SYNC_ONCE_TARGET_S);
        row("  the sync's own share (summary 'done in')", fmt("%.2f s", median(onceSync)), "-", Double.NaN, null);
        row("  start and stop around it", fmt("%.2f s", median(once) - median(onceSync)), "-", Double.NaN, null);
        timeRow("validate (whole process)", validate, VALIDATE_TARGET_S);
        timeRow("daemon start to /health/ready 200", ready, READY_TARGET_S);
        timeRow("idle daemon: SIGTERM to exit (code 0)", stop, STOP_TARGET_S);
        printTable();
    }

    void timeRow(String figure, List<Double> values, double target) {
        double median = median(values);
        row(figure, fmt("%.2f s (%.2f-%.2f)", median, min(values), max(values)), fmt("< %.1f s", target),
                median / target, median < target);
    }

    /** Start to /health/ready 200, then (start-up sync done) SIGTERM to exit. */
    double[] daemon(List<String> jvm, Kitsu sim, String variant) throws Exception {
        Map<String, String> settings = sim.settings(fresh());
        int port = freePort();
        settings.put("status.port", Integer.toString(port));
        settings.put("sync.node-id", "bench-" + counter);
        Path log = logs.resolve("daemon-" + variant + "-" + counter + ".log");
        long started = System.nanoTime();
        Process process = start(jvm, settings, List.of(), log);
        try {
            URI readyUri = URI.create("http://127.0.0.1:" + port + "/health/ready");
            double ready = -1;
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(120)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("daemon exited " + process.exitValue() + ", see " + log);
                }
                try {
                    int status = HTTP.send(HttpRequest.newBuilder(readyUri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        ready = (System.nanoTime() - started) / 1e9;
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            if (ready < 0) {
                throw new IllegalStateException("daemon not ready within 120 s, see " + log);
            }
            // idle: the start-up full sync has finished
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!DONE.matcher(Files.readString(log)).find()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("start-up full sync not done within 120 s, see " + log);
                }
                Thread.sleep(20);
            }
            Thread.sleep(200);
            long term = System.nanoTime();
            process.destroy(); // SIGTERM
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("daemon did not stop within 60 s of SIGTERM, see " + log);
            }
            double stop = (System.nanoTime() - term) / 1e9;
            if (process.exitValue() != 0) {
                throw new IllegalStateException("daemon exited " + process.exitValue() + " after SIGTERM, see " + log);
            }
            return new double[] {ready, stop};
        } finally {
            process.destroyForcibly();
            CHILDREN.remove(process);
        }
    }

    // ---------------------------------------------------------------- large-project size through sync-once

    void specKitsu(String variant, List<String> jvm) throws Exception {
        say("================ large-project size, Kitsu (large production), sync-once as a process, -Xmx512m (%s) ================", variant);
        try (Kitsu sim = Kitsu.start("large")) {
            Map<String, String> settings = sim.settings(fresh());
            specRows("kitsu", jvm, settings, SPEC_FIRST_TARGET_S, SPEC_RESYNC_TARGET_S);
        }
    }

    void specShotGrid(String variant, List<String> jvm) throws Exception {
        say("================ large-project size, ShotGrid (large production), sync-once as a process, -Xmx512m (%s) ================", variant);
        try (ShotGrid sim = ShotGrid.start("large")) {
            Map<String, String> settings = sim.settings(fresh());
            specRows("shotgrid", jvm, settings, SG_FIRST_TARGET_S, SG_RESYNC_TARGET_S);
        }
    }

    void specRows(String source, List<String> jvm, Map<String, String> settings, double firstTarget, double resyncTarget)
            throws Exception {
        List<String> heap = new ArrayList<>(jvm);
        heap.add("-Xmx512m");
        Result first = service(heap, settings, List.of("sync-once", source), source + "-large-first", true);
        Result again = service(heap, settings, List.of("sync-once", source), source + "-large-resync", true);
        for (Result r : List.of(first, again)) {
            if (r.exit != 0 || r.syncSeconds < 0) {
                throw new IllegalStateException("sync-once " + source + " exited " + r.exit + ", see " + r.log);
            }
        }
        row("first sync (whole process)", fmt("%.2f s", first.wall), fmt("< %.0f s", firstTarget), first.wall / firstTarget,
                first.wall < firstTarget);
        row("  the sync's own share", fmt("%.2f s", first.syncSeconds), "-", Double.NaN, null);
        row("  writes", fmt("%,d", first.writes), "-", Double.NaN, null);
        row("no-change re-sync (whole process)", fmt("%.2f s", again.wall), fmt("< %.0f s", resyncTarget),
                again.wall / resyncTarget, again.wall < resyncTarget);
        row("  the sync's own share", fmt("%.2f s", again.syncSeconds), "-", Double.NaN, null);
        row("  re-sync writes", fmt("%,d", again.writes), "0", Double.NaN, again.writes == 0);
        long peak = Math.max(first.heapPeakMb, again.heapPeakMb);
        row("heap used before a GC, most (GC log)", peak + " MB", "< 512 MB", peak / 512.0, peak < 512);
        printTable();
    }

    // ---------------------------------------------------------------- the service process

    record Result(int exit, double wall, double syncSeconds, long writes, long heapPeakMb, Path log) {
    }

    Result service(List<String> jvm, Map<String, String> settings, List<String> command, String tag) throws Exception {
        return service(jvm, settings, command, tag, false);
    }

    Result service(List<String> jvm, Map<String, String> settings, List<String> command, String tag, boolean gcLog)
            throws Exception {
        Path log = logs.resolve(tag + "-" + counter + ".log");
        Path gc = logs.resolve(tag + "-" + counter + ".gc");
        List<String> options = new ArrayList<>(jvm);
        if (gcLog) {
            options.add("-Xlog:gc:file=" + gc);
        }
        long started = System.nanoTime();
        Process process = start(options, settings, command, log);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within 300 s, see " + log);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        CHILDREN.remove(process);
        String text = Files.readString(log);
        Matcher done = DONE.matcher(text);
        double sync = -1;
        long writes = -1;
        if (done.find()) {
            sync = Double.parseDouble(done.group(3));
            writes = Long.parseLong(done.group(4));
        }
        long heapPeak = 0;
        if (gcLog && Files.exists(gc)) {
            Matcher m = GC_HEAP.matcher(Files.readString(gc));
            while (m.find()) {
                heapPeak = Math.max(heapPeak, Long.parseLong(m.group(1)));
            }
        }
        return new Result(process.exitValue(), wall, sync, writes, heapPeak, log);
    }

    Process start(List<String> jvm, Map<String, String> settings, List<String> command, Path log) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvm);
        argv.addAll(extraOptions.stream().filter(s -> !s.isEmpty()).toList());
        settings.forEach((k, v) -> argv.add("-D" + k + "=" + v));
        argv.add("-jar");
        argv.add(JAR.toString());
        argv.addAll(command);
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CHILDREN.add(process);
        return process;
    }

    /** A name for fresh databases: each run is a first sync into an empty store. */
    static String fresh() {
        return "bench" + (++counter);
    }

    // ---------------------------------------------------------------- the simulators

    static final class Kitsu extends SimulatorChild {
        Kitsu(String spec) throws IOException {
            super(List.of(), "io.avalonsync.sandbox.KitsuSimulatorMain", List.of(spec, "2"), ProcessBuilder.Redirect.DISCARD);
            readOutput();
        }

        @Override
        void line(String line) {
            if (line.startsWith("SIM ")) {
                super.line(line);
            }
        }

        static Kitsu start(String spec) throws Exception {
            Kitsu child = new Kitsu(spec);
            child.awaitReady("Kitsu simulator " + spec, 180);
            return child;
        }

        Map<String, String> settings(String db) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("avalon.mongo-uri", mongoUri);
            s.put("avalon.db", db);
            s.put("sync.state-db", db + "_state");
            s.put("kitsu.url", ready.get("kitsu"));
            s.put("kitsu.user", io.avalonsync.sandbox.KitsuSimulator.EMAIL);
            s.put("kitsu.password", io.avalonsync.sandbox.KitsuSimulator.PASSWORD);
            s.put("status.port", Integer.toString(port()));
            return s;
        }
    }

    static final class ShotGrid extends SimulatorChild {
        ShotGrid(String spec) throws IOException {
            super(List.of("-Dsun.net.httpserver.nodelay=true"), "io.avalonsync.sandbox.ShotGridSimulatorMain",
                    List.of(spec, "2"), ProcessBuilder.Redirect.DISCARD);
            readOutput();
        }

        @Override
        void line(String line) {
            if (line.startsWith("SIM ")) {
                super.line(line);
            }
        }

        static ShotGrid start(String spec) throws Exception {
            ShotGrid child = new ShotGrid(spec);
            child.awaitReady("ShotGrid simulator " + spec, 180);
            return child;
        }

        Map<String, String> settings(String db) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("avalon.mongo-uri", mongoUri);
            s.put("avalon.db", db);
            s.put("sync.state-db", db + "_state");
            s.put("shotgrid.url", ready.get("shotgrid"));
            s.put("shotgrid.script-name", io.avalonsync.sandbox.ShotGridSimulator.SCRIPT_NAME);
            s.put("shotgrid.api-key", io.avalonsync.sandbox.ShotGridSimulator.API_KEY);
            s.put("status.port", Integer.toString(port()));
            return s;
        }
    }

    /** A free port for the status server: other services on this machine may hold 8080. */
    static int port() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- figures

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
