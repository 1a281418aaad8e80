// ShotGrid benchmark (the Kitsu targets, measured for the ShotGrid side). Run from the repository root:
//
//   bench/run shotgrid [--latency 2] [--rate 200] [--seconds 20] [--poll-delay 100] [--skip-full-sync] [--skip-events]
//
// The ShotGrid simulator and the embedded Mongo-protocol store run in a child JVM
// (io.avalonsync.sandbox.ShotGridSimulatorMain), so heap figures are the service's alone. This JVM runs the
// service as the tests do (Settings.load + overrides, AvalonSyncApp, the real routes/).
//
// 1. Full sync of SampleShotGridProduction.Spec.large() (10,000 shots, 2,000 assets, 72,000 tasks): first sync
//    and a no-change re-sync (direct:shotgrid-full-sync), timed, writes, peak heap, ShotGrid requests. The
//    same for the "small" production (a tenth) to show the requests grow with pages of 500 rows only.
// 2. Leecher + processor on the small production (the service as the daemon runs it, shotgrid.poll-delay as
//    given): an in-order burst of `rate` sg_cut_out changes/s for `seconds` s, each change -> data.clipOut in
//    Mongo timed by a watcher thread (both JVMs read the same clock); then an out-of-order burst (10 % of the
//    events committed 500 ms late) for the lost / doubled counts (the late ones' latency includes the 500 ms).
// Exit status: 0 every target met, 1 a target missed, 2 the benchmark itself failed.

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.ShotGridSimulator;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;

public class ShotGridBench extends BenchSupport {

    // Kitsu's targets (BenchSupport's); the ratios below are ShotGrid's figure / Kitsu's target

    public static void main(String[] args) {
        exit(System.err, () -> new ShotGridBench(args).run());
    }

    final Path cwd = Path.of("").toAbsolutePath();
    final Map<String, String> options = new HashMap<>();

    ShotGridBench(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("skip-full-sync") || key.equals("skip-events")) {
                options.put(key, "true");
            } else {
                options.put(key, args[++i]);
            }
        }
    }

    long opt(String key, long fallback) {
        return Long.parseLong(options.getOrDefault(key, Long.toString(fallback)));
    }

    int run() throws Exception {
        if (!Files.isDirectory(cwd.resolve("routes"))) {
            throw new IllegalStateException("run from the repository root (routes/ not found in " + cwd + ")");
        }
        long latency = opt("latency", 2);
        say("JVM %s, %d cores, max heap %s (%s)", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), mb(Runtime.getRuntime().maxMemory()), gcNames());
        Path log = Files.createTempFile("shotgrid-bench-", ".log");
        say("service log: %s", log);
        PrintStream console = System.out;
        System.setOut(new PrintStream(Files.newOutputStream(log), true));
        BenchSupport.console = console;
        try {
            if (!options.containsKey("skip-full-sync")) {
                HeapWatch heap = new HeapWatch();
                Sync small;
                try (SimChild sim = SimChild.start("small", latency)) {
                    small = syncTwice(sim, null);
                }
                Sync large;
                try (SimChild sim = SimChild.start("large", latency)) {
                    large = syncTwice(sim, heap);
                }
                say("");
                say("================ ShotGrid full sync (10,000 shots, 2,000 assets, 72,000 tasks) ================");
                row("first sync (wall)", fmt("%.2f s", large.firstS), fmt("Kitsu < %.0f s", FIRST_SYNC_TARGET_S),
                        large.firstS / FIRST_SYNC_TARGET_S, large.firstS < FIRST_SYNC_TARGET_S && !large.failed);
                row("  writes (first sync)", fmt("%,d", large.firstWrites), "-", Double.NaN, null);
                row("no-change re-sync (wall)", fmt("%.2f s", large.resyncS), fmt("Kitsu < %.0f s", RESYNC_TARGET_S),
                        large.resyncS / RESYNC_TARGET_S, large.resyncS < RESYNC_TARGET_S && !large.failed);
                row("  re-sync writes", Integer.toString(large.resyncWrites), "0", Double.NaN, large.resyncWrites == 0);
                row("peak heap used (sum of pool peaks)", mb(large.peakHeap), fmt("Kitsu < %.0f MB", HEAP_TARGET_MB),
                        large.peakHeap / (HEAP_TARGET_MB * 1024 * 1024), large.peakHeap < HEAP_TARGET_MB * 1024 * 1024);
                row("  peak of the whole heap at one instant", mb(large.instantPeak), "-", Double.NaN, null);
                row("  max heap left after a GC", mb(large.liveAfterGc), "-", Double.NaN, null);
                // the first sync also fetches the script's token: one request more
                row("ShotGrid requests first / re-sync, large", large.firstRequests + " / " + large.resyncRequests,
                        "pages only", Double.NaN, Math.abs(large.firstRequests - large.resyncRequests) <= 1);
                row("ShotGrid requests first / re-sync, small", small.firstRequests + " / " + small.resyncRequests, "-",
                        Double.NaN, null);
                // no per-entity call: every request but the fixed ones returns a page of up to 500 rows
                row("  rows per request, large", fmt("%.0f", large.rows / (double) large.firstRequests), "> 100",
                        Double.NaN, large.rows / (double) large.firstRequests > 100);
                printTable();
            }
            if (!options.containsKey("skip-events")) {
                events(latency);
            }
        } finally {
            System.setOut(console);
        }
        say("");
        say(allPass ? "ShotGrid bench: every target met" : "ShotGrid bench: a target was missed (see FAIL above)");
        return allPass ? 0 : 1;
    }

    record Sync(double firstS, int firstWrites, double resyncS, int resyncWrites, long peakHeap, long instantPeak,
            long liveAfterGc, long firstRequests, long resyncRequests, long rows, boolean failed) {
    }

    Settings settings(SimChild sim) throws IOException {
        Settings settings = Settings.load(cwd);
        settings.override("avalon.mongo-uri", sim.mongoUri);
        settings.override("shotgrid.url", sim.shotgridUrl);
        settings.override("shotgrid.script-name", ShotGridSimulator.SCRIPT_NAME);
        settings.override("shotgrid.api-key", ShotGridSimulator.API_KEY);
        settings.override("kitsu.url", "");
        settings.override("status.port", Integer.toString(freePort()));
        return settings;
    }

    Sync syncTwice(SimChild sim, HeapWatch heap) throws Exception {
        try (AvalonSyncApp app = AvalonSyncApp.create(settings(sim), false).start()) {
            if (heap != null) {
                heap.reset();
            }
            sim.ask("reset");
            long t0 = System.nanoTime();
            SyncRun first = app.context().createProducerTemplate().requestBody("direct:shotgrid-full-sync", null, SyncRun.class);
            double firstS = (System.nanoTime() - t0) / 1e9;
            long firstRequests = Long.parseLong(sim.ask("count").split(" ")[1]);
            say("%s: first sync %.2f s, %s", sim.spec, firstS, first.summary().lines().findFirst().orElse(""));
            sim.ask("reset");
            t0 = System.nanoTime();
            SyncRun again = app.context().createProducerTemplate().requestBody("direct:shotgrid-full-sync", null, SyncRun.class);
            double resyncS = (System.nanoTime() - t0) / 1e9;
            long resyncRequests = Long.parseLong(sim.ask("count").split(" ")[1]);
            say("%s: re-sync %.2f s, %s", sim.spec, resyncS, again.summary().lines().findFirst().orElse(""));
            long rows = first.projects().stream().filter(p -> p.plan() != null).mapToLong(p -> p.plan().entityCount()).sum();
            long taskRows = sim.spec.equals("large") ? 72_000 : 7_200; // tasks are rows read too (not documents)
            return new Sync(firstS, first.writes(), resyncS, again.writes(), heap == null ? 0 : heap.peak(),
                    heap == null ? 0 : heap.instantPeak(), heap == null ? 0 : heap.liveAfterGc(), firstRequests,
                    resyncRequests, rows + taskRows, first.failed() || again.failed());
        }
    }

    // ---------------------------------------------------------------- the leecher

    record Change(String key, int value, long sent) {
    }

    void events(long latency) throws Exception {
        long rate = opt("rate", 200);
        long seconds = opt("seconds", 20);
        long pollDelay = opt("poll-delay", 100);
        try (SimChild sim = SimChild.start("small", latency);
                MongoClient client = MongoClients.create(sim.mongoUri)) {
            Settings settings = settings(sim);
            settings.override("shotgrid.full-sync.at-start", "false");
            settings.override("shotgrid.poll-delay", Long.toString(pollDelay));
            try (AvalonSyncApp app = AvalonSyncApp.create(settings, true).start()) {
                SyncRun baseline = app.context().createProducerTemplate().requestBody("direct:shotgrid-full-sync", null, SyncRun.class);
                say("events: baseline %s", baseline.summary().lines().findFirst().orElse(""));
                MongoCollection<Document> cursors = client.getDatabase("avalon_sync").getCollection("cursors");
                long deadline = System.currentTimeMillis() + 30_000;
                while (cursors.countDocuments() == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                MongoCollection<Document> show = client.getDatabase("avalon").getCollection("big_show");
                MongoCollection<Document> journal = client.getDatabase("avalon_sync").getCollection("event_journal");

                sim.ask("outoforder 0 500");
                say("warm-up: 1,000 changes at 50/s");
                burst(sim, show, 50, 20);
                sim.ask("outoforder 0 500");
                say("measured: %d changes/s for %d s, in order, shotgrid.poll-delay %d ms", rate, seconds, pollDelay);
                Result inOrder = burst(sim, show, rate, seconds);
                sim.ask("outoforder 0.1 500");
                say("out of order: %d changes/s for 10 s, 10 %% committed 500 ms late", rate);
                Result late = burst(sim, show, rate, 10);
                String[] ev = sim.ask("events").split(" ");
                long simEvents = Long.parseLong(ev[1]);
                long journaled = journal.countDocuments(Filters.eq("source", "shotgrid"));
                long parked = journal.countDocuments(Filters.eq("status", "parked"));

                say("");
                say("================ ShotGrid leecher (%s changes -> data.clipOut, poll every %d ms) ================", "sg_cut_out", pollDelay);
                row("sustained rate (in order)", fmt("%.0f /s", inOrder.applied / inOrder.spanS), fmt("Kitsu %.0f /s", RATE_TARGET),
                        (inOrder.applied / inOrder.spanS) / RATE_TARGET, inOrder.applied / inOrder.spanS >= RATE_TARGET * 0.97);
                row("event -> Mongo p50 / p99 (in order)", fmt("%.0f / %.0f ms", inOrder.p50, inOrder.p99),
                        fmt("Kitsu p99 < %.0f ms", P99_TARGET_MS), inOrder.p99 / P99_TARGET_MS, inOrder.p99 < P99_TARGET_MS);
                row("  max (in order)", fmt("%.0f ms", inOrder.max), "-", Double.NaN, null);
                row("lost (in order / out of order)", inOrder.lost + " / " + late.lost, "0", Double.NaN,
                        inOrder.lost == 0 && late.lost == 0);
                row("event -> Mongo p50 / p99 (10 % 500 ms late)", fmt("%.0f / %.0f ms", late.p50, late.p99), "-", Double.NaN, null);
                row("journal entries / events logged", journaled + " / " + simEvents, "equal", Double.NaN, journaled == simEvents);
                row("parked", Long.toString(parked), "0", Double.NaN, parked == 0);
                printTable();
            }
        }
    }

    record Result(long made, long applied, long lost, double spanS, double p50, double p99, double max) {
    }

    Result burst(SimChild sim, MongoCollection<Document> show, long rate, long seconds) throws Exception {
        Map<String, List<Change>> outstanding = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] lastApplied = {0};
        long[] firstSent = {Long.MAX_VALUE};
        volatileFlag done = new volatileFlag();
        Thread watcher = new Thread(() -> {
            while (!done.value || !outstanding.isEmpty()) {
                List<String> keys = new ArrayList<>(outstanding.keySet());
                if (!keys.isEmpty()) {
                    long now = System.currentTimeMillis();
                    for (Document doc : show.find(Filters.in("data.shotgridKey", keys))
                            .projection(Projections.include("data.shotgridKey", "data.clipOut"))) {
                        Document data = doc.get("data", Document.class);
                        Object clipOut = data.get("clipOut");
                        String key = data.getString("shotgridKey");
                        if (!(clipOut instanceof Number n)) {
                            continue;
                        }
                        List<Change> list = outstanding.get(key);
                        if (list == null) {
                            continue;
                        }
                        synchronized (list) {
                            list.removeIf(c -> {
                                if (c.value <= n.intValue()) {
                                    latencies.add(now - c.sent);
                                    lastApplied[0] = Math.max(lastApplied[0], now);
                                    return true;
                                }
                                return false;
                            });
                            if (list.isEmpty()) {
                                outstanding.remove(key, list);
                            }
                        }
                    }
                }
                if (done.value && System.currentTimeMillis() > done.giveUpAt) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-watcher");
        watcher.setDaemon(true);
        watcher.start();
        sim.send("burst " + rate + " " + seconds);
        long made = 0;
        while (true) {
            String line = sim.next(seconds + 60);
            if (line.startsWith("CHANGE ")) {
                String[] w = line.split(" ");
                Change change = new Change("Shot:" + w[2], Integer.parseInt(w[4]), Long.parseLong(w[5]));
                firstSent[0] = Math.min(firstSent[0], change.sent);
                List<Change> list = outstanding.computeIfAbsent(change.key, k -> new ArrayList<>());
                synchronized (list) {
                    list.add(change);
                    outstanding.putIfAbsent(change.key, list);
                }
                made++;
            } else if (line.startsWith("BURST-DONE")) {
                break;
            } else if (!line.startsWith("OK")) {
                throw new IllegalStateException("simulator: " + line);
            }
        }
        done.giveUpAt = System.currentTimeMillis() + 30_000;
        done.value = true;
        watcher.join(40_000);
        long lost = outstanding.values().stream().mapToLong(List::size).sum();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double span = Math.max(1, lastApplied[0] - firstSent[0]) / 1000.0;
        say("  %,d changes, %,d in Mongo, %,d lost; p50 %.0f ms, p99 %.0f ms, max %.0f ms", made, sorted.length, lost,
                pct(sorted, 50), pct(sorted, 99), pct(sorted, 100));
        return new Result(made, sorted.length, lost, span, pct(sorted, 50), pct(sorted, 99), pct(sorted, 100));
    }

    static final class volatileFlag {
        volatile boolean value;
        volatile long giveUpAt = Long.MAX_VALUE;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // ---------------------------------------------------------------- the simulator process

    static final class SimChild extends SimulatorChild {
        final String spec;
        String shotgridUrl;

        private SimChild(String spec, long latencyMs) throws IOException {
            super(List.of("-Dsun.net.httpserver.nodelay=true"), "io.avalonsync.sandbox.ShotGridSimulatorMain",
                    List.of(spec, Long.toString(latencyMs)), ProcessBuilder.Redirect.DISCARD);
            this.spec = spec;
            readOutput();
        }

        @Override
        void line(String line) {
            // the simulator's log stays out of the figures
            if (line.startsWith("SIM ")) {
                super.line(line);
            }
        }

        static SimChild start(String spec, long latencyMs) throws Exception {
            SimChild child = new SimChild(spec, latencyMs);
            child.awaitReady("simulator " + spec, 180);
            child.shotgridUrl = child.ready.get("shotgrid");
            return child;
        }

        String ask(String command) throws Exception {
            send(command);
            return next(60);
        }
    }
}
