// Kitsu full-sync benchmark (targets in bench/README.md). Run from the repository root:
//
//   java -Xmx512m -cp target/avalon-sync-demo.jar bench/KitsuFullSyncBench.java      (or simply: bench/run)
//
// The Kitsu simulator (2 ms per request) and the embedded Mongo-protocol store run in a child JVM
// (io.avalonsync.sandbox.KitsuSimulatorMain) so that every heap figure below is the service's alone. This
// JVM runs the service exactly as the tests do (Settings.load + overrides, AvalonSyncApp, the real routes/).
//
// Phases: a SMALL production (1/10 of every size) first sync + re-sync, for its request counts; then the
// LARGE production (SampleProduction.Spec.large(): 2,000 assets, 10,000 shots, 6 tasks each) first sync and
// a no-change re-sync, timed, with heap peaks, request counts and a sampled phase profile of the sync thread.
// Exit status: 0 every target met, 1 a target missed, 2 the benchmark itself failed.

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sync.SyncRun;

public class KitsuFullSyncBench extends BenchSupport {

    // ---------------------------------------------------------------- targets (BenchSupport's; bench/README.md)
    static final long LATENCY_MS = 2;
    /** A sync that runs this many times its target is abandoned (the profile so far is printed). */
    static final int GIVE_UP_FACTOR = 10;


    public static void main(String[] args) {
        exit(System.err, () -> new KitsuFullSyncBench().run());
    }

    // ---------------------------------------------------------------- the scenario

    final Path cwd = Path.of("").toAbsolutePath();

    int run() throws Exception {
        if (!Files.isDirectory(cwd.resolve("routes"))) {
            throw new IllegalStateException("run from the repository root (routes/ not found in " + cwd + ")");
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        say("JVM %s, %d cores, max heap %s (%s)", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), mb(maxHeap), gcNames());
        if (maxHeap > HEAP_TARGET_MB * 1024 * 1024 * 1.01) {
            say("NOTE: max heap is above 512 MB; run with -Xmx512m (bench/run does) to prove the target");
        }
        HeapWatch heap = new HeapWatch();

        // ---- small production: request counts only
        Outcome small;
        try (Child sim = Child.start("small", LATENCY_MS)) {
            small = syncTwice("small", sim, null);
        }

        // ---- large production: the measured one
        Outcome large;
        try (Child sim = Child.start("large", LATENCY_MS)) {
            large = syncTwice("large", sim, heap);
        }

        // ---- figures
        double firstS = large.first.seconds, resyncS = large.resync.seconds;
        say("");
        say("================ Kitsu full sync benchmark: results ================");
        row("first sync, large (wall)", fmt("%.2f s", firstS), fmt("< %.0f s", FIRST_SYNC_TARGET_S),
                firstS / FIRST_SYNC_TARGET_S, firstS < FIRST_SYNC_TARGET_S && !large.first.failed);
        row("  entities/s (first sync)", fmt("%,.0f /s", large.first.entities / firstS),
                fmt("> %,.0f /s", large.first.entities / FIRST_SYNC_TARGET_S), FIRST_SYNC_TARGET_S / firstS, null);
        row("  entities / writes", fmt("%,d / %,d", large.first.entities, large.first.writes), "-", Double.NaN, null);
        row("no-change re-sync, large (wall)", fmt("%.2f s", resyncS), fmt("< %.0f s", RESYNC_TARGET_S),
                resyncS / RESYNC_TARGET_S, resyncS < RESYNC_TARGET_S && !large.resync.failed);
        row("  entities/s (re-sync)", fmt("%,.0f /s", large.resync.entities / resyncS),
                fmt("> %,.0f /s", large.resync.entities / RESYNC_TARGET_S), RESYNC_TARGET_S / resyncS, null);
        row("  re-sync writes", Integer.toString(large.resync.writes), "0", Double.NaN,
                large.resync.writes == 0);
        // per heap pool the highest peak of both syncs, summed (as if reset once before the first sync)
        long peak = 0;
        for (int i = 0; i < large.first.poolPeaks.length; i++) {
            peak += Math.max(large.first.poolPeaks[i], large.resync.poolPeaks[i]);
        }
        row("peak heap used (sum of pool peaks)", mb(peak), fmt("< %.0f MB", HEAP_TARGET_MB),
                peak / (HEAP_TARGET_MB * 1024 * 1024), peak < HEAP_TARGET_MB * 1024 * 1024);
        row("  during first sync / re-sync", mb(large.first.peakHeap) + " / " + mb(large.resync.peakHeap), "-",
                Double.NaN, null);
        row("  peak of the whole heap at one instant", mb(Math.max(large.first.instantPeak, large.resync.instantPeak)),
                "-", Double.NaN, null);
        row("  max heap left after a GC", mb(Math.max(large.first.liveAfterGc, large.resync.liveAfterGc)), "-",
                Double.NaN, null);
        row("  max heap (-Xmx)", mb(maxHeap), fmt("<= %.0f MB", HEAP_TARGET_MB), maxHeap / (HEAP_TARGET_MB * 1024 * 1024), null);
        row("  GCs during first sync / re-sync", fmt("%d (%d ms, %.0f%%) / %d (%d ms, %.0f%%)", large.first.gcCount,
                large.first.gcMillis, large.first.gcMillis / firstS / 10, large.resync.gcCount, large.resync.gcMillis,
                large.resync.gcMillis / resyncS / 10), "-", Double.NaN, null);
        row("HTTP requests, first sync large/small", large.first.requests + " / " + small.first.requests,
                "equal", ratio(large.first.requests, small.first.requests),
                large.first.requests == small.first.requests && !small.first.failed);
        row("HTTP requests, re-sync large/small", large.resync.requests + " / " + small.resync.requests,
                "equal", ratio(large.resync.requests, small.resync.requests),
                large.resync.requests == small.resync.requests && !small.resync.failed);
        row("  entities large/small", fmt("%,d / %,d", large.first.entities, small.first.entities), "-",
                ratio(large.first.entities, small.first.entities), null);
        row("  small: first sync / re-sync (wall)", fmt("%.2f s / %.2f s", small.first.seconds, small.resync.seconds), "-",
                Double.NaN, null);
        printTable();
        say("");
        say("phase profile of the sync thread (a stack sample every %d ms, weighted by wall time):", Sampler.INTERVAL_MS);
        printProfile("first sync", large.first.profile);
        printProfile("re-sync", large.resync.profile);
        say("");
        say(allPass ? "RESULT: PASS (every target met)" : "RESULT: FAIL (see the FAIL rows above)");
        return allPass ? 0 : 1;
    }

    /** Starts the service against one child, runs a first sync and a no-change re-sync. */
    Outcome syncTwice(String label, Child sim, HeapWatch heap) throws Exception {
        Settings settings = Settings.load(cwd);
        settings.override("avalon.mongo-uri", sim.mongoUri);
        settings.override("kitsu.url", sim.kitsuUrl);
        settings.override("kitsu.user", KitsuSimulator.EMAIL);
        settings.override("kitsu.password", KitsuSimulator.PASSWORD);
        settings.override("status.port", Integer.toString(freePort()));
        AvalonSyncApp app = AvalonSyncApp.create(settings, false).start();
        try {
            // the seda consumer that runs syncs sleeps 1 s when it starts before Camel has finished
            // starting: let it, so that the first sync measures the sync and not the service start
            Thread.sleep(1200);
            Outcome outcome = new Outcome();
            outcome.first = timedSync(label + " first sync", app, sim, heap);
            outcome.resync = timedSync(label + " no-change re-sync", app, sim, heap);
            return outcome;
        } finally {
            app.close();
        }
    }

    Sync timedSync(String label, AvalonSyncApp app, Child sim, HeapWatch heap) throws Exception {
        say("---- %s", label);
        if (heap != null) {
            heap.reset();
        }
        sim.command("reset");
        Sampler sampler = new Sampler();
        long gcCount0 = gcCount(), gcMillis0 = gcMillis();
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-caller");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        Future<SyncRun> future = caller.submit(() -> app.context().createProducerTemplate()
                .requestBody("direct:kitsu-full-sync", null, SyncRun.class));
        sampler.start();
        SyncRun run;
        double limit = (label.contains("re-sync") ? RESYNC_TARGET_S : FIRST_SYNC_TARGET_S) * GIVE_UP_FACTOR;
        try {
            run = future.get((long) limit, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            sampler.stop();
            say("%s still running after %.0f s: abandoned. Where the sync thread was:", label, limit);
            printProfile(label, sampler.profile());
            throw new IllegalStateException(label + " did not finish within " + limit + " s");
        } finally {
            caller.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        sampler.stop();

        Sync sync = new Sync();
        // figures only: holding the SyncRun would keep its plan (every write model) alive in this heap
        sync.failed = run.failed();
        sync.writes = run.writes();
        sync.seconds = nanos / 1e9;
        sync.entities = run.projects().stream().filter(p -> p.plan() != null).mapToInt(p -> p.plan().entityCount()).sum();
        sync.requests = Long.parseLong(sim.command("count").split(" ")[1]);
        sync.routes = sim.routes();
        sync.profile = sampler.profile();
        sync.gcCount = gcCount() - gcCount0;
        sync.gcMillis = gcMillis() - gcMillis0;
        if (heap != null) {
            sync.peakHeap = heap.peak();
            sync.poolPeaks = heap.poolPeaks();
            sync.instantPeak = heap.instantPeak();
            sync.liveAfterGc = heap.liveAfterGc();
        }
        say("%s: %.2f s, %,d entities, %,d writes, %d HTTP requests%s%s", label, sync.seconds, sync.entities,
                run.writes(), sync.requests, heap == null ? "" : ", peak heap " + mb(sync.peakHeap),
                run.failed() ? ", FAILED: " + run.summary() : "");
        sync.routes.forEach((route, n) -> say("    %5d  %s", n, route));
        if (run.failed()) {
            say("%s", run.summary());
        }
        run = null;
        future = null;
        return sync;
    }

    // ---------------------------------------------------------------- output

    static void printProfile(String label, Profile profile) {
        if (profile.samples == 0) {
            say("  %s: no samples", label);
            return;
        }
        double total = profile.micros;
        say("  %s: %.2f s sampled (%d samples)", label, total / 1e6, profile.samples);
        profile.phases.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> say("    %5.1f%%  %6.2f s  %s", 100.0 * e.getValue() / total, e.getValue() / 1e6, e.getKey()));
        if (!profile.otherFrames.isEmpty()) {
            say("    'other' by first non-JDK frame:");
            top(profile.otherFrames, total, 3);
        }
        say("    hottest io.avalonsync methods (innermost project frame on the stack):");
        top(profile.ownFrames, total, 6);
        say("    hottest top-of-stack frames:");
        top(profile.topFrames, total, 6);
    }

    // ---------------------------------------------------------------- results

    static final class Outcome {
        Sync first;
        Sync resync;
    }

    static final class Sync {
        boolean failed;
        int writes;
        double seconds;
        int entities;
        long requests;
        Map<String, Long> routes;
        long peakHeap;
        long[] poolPeaks;
        long instantPeak;
        long liveAfterGc;
        long gcCount;
        long gcMillis;
        Profile profile;
    }

    // ---------------------------------------------------------------- heap

    // ---------------------------------------------------------------- phase sampler

    /** Time per phase in microseconds: each sample stands for the wall time since the previous one. */
    static final class Profile {
        long samples;
        long micros;
        final Map<String, Long> phases = new LinkedHashMap<>();
        final Map<String, Long> ownFrames = new LinkedHashMap<>();
        final Map<String, Long> topFrames = new LinkedHashMap<>();
        final Map<String, Long> otherFrames = new LinkedHashMap<>();
    }

    /**
     * Samples the stack of the thread running the sync (the seda consumer of kitsu-full-sync-runs) and files
     * the wall time since the previous sample under the phase of the innermost recognised frame. GC pauses
     * land on the phase that was running when they ended (usually the one allocating).
     */
    static final class Sampler implements Runnable {
        static final int INTERVAL_MS = 10;
        /** Innermost match wins; checked against "class.method". */
        static final String[][] PHASES = {
            {"io.avalonsync.kitsu.KitsuSession", "read: Kitsu login"},
            {"io.avalonsync.kitsu.KitsuSnapshots.collect", "read: parse Kitsu JSON (KitsuSnapshots.collect)"},
            {"org.apache.camel.component.http.", "read: Kitsu HTTP request (incl. waiting for the simulator)"},
            {"io.avalonsync.kitsu.KitsuProjectMapping", "map: Kitsu -> desired (KitsuProjectMapping)"},
            {"io.avalonsync.avalon.AvalonProjects.load", "plan: read current Avalon docs (AvalonProjects.load)"},
            {"io.avalonsync.avalon.AvalonProjects.ensureIndexes", "write: ensure indexes"},
            {"io.avalonsync.avalon.ProjectPlanner", "plan: diff + validate (ProjectPlanner)"},
            {"io.avalonsync.avalon.AvalonValidator", "plan: diff + validate (ProjectPlanner)"},
            {"io.avalonsync.avalon.AvalonWriter", "plan: other (AvalonWriter)"},
            {"org.apache.camel.component.mongodb.", "write: Mongo bulkWrite"},
            {"io.avalonsync.sync.SyncRuns", "bookkeeping (SyncRuns)"},
            {"org.apache.camel.component.seda.SedaConsumer.doRun", null},
        };

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Profile profile = new Profile();
        volatile boolean running = true;
        Thread thread;

        void start() {
            thread = new Thread(this, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        Profile profile() {
            return profile;
        }

        @Override
        public void run() {
            long syncThread = -1;
            long last = System.nanoTime();
            while (running) {
                try {
                    Thread.sleep(INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                if (syncThread < 0) {
                    syncThread = findSyncThread();
                }
                ThreadInfo info = syncThread < 0 ? null : threads.getThreadInfo(syncThread, Integer.MAX_VALUE);
                long now = System.nanoTime();
                long micros = (now - last) / 1000;
                last = now;
                if (info == null) {
                    syncThread = -1;
                    add(profile.phases, "(sync thread not found)", micros);
                    continue;
                }
                record(info, micros);
            }
        }

        static long findSyncThread() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains("kitsu-full-sync-runs")) {
                    return t.getId();
                }
            }
            return -1;
        }

        static void add(Map<String, Long> map, String key, long micros) {
            map.merge(key, micros, Long::sum);
        }

        void record(ThreadInfo info, long micros) {
            StackTraceElement[] stack = info.getStackTrace();
            String phase = phase(stack, PHASES);
            StackTraceElement ownFrame = ownFrame(stack);
            String own = ownFrame == null ? null : ownFrame.getClassName() + "." + ownFrame.getMethodName();
            if (phase == null) {
                // the seda consumer itself: polling for a run, or its 1 s sleep while Camel is starting
                boolean sleeping = stack.length > 0 && stack[0].getMethodName().equals("sleep");
                boolean polling = stack.length > 0 && info.getThreadState() != Thread.State.RUNNABLE
                        && stack[0].getClassName().startsWith("jdk.internal.misc.Unsafe");
                phase = sleeping ? "idle: seda consumer start-up sleep (Camel context starting)"
                        : polling ? "idle: seda consumer waiting for the run" : "other (Camel routing)";
                for (StackTraceElement frame : stack) {
                    String c = frame.getClassName();
                    if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                        add(profile.otherFrames, c + "." + frame.getMethodName() + ":" + frame.getLineNumber(), micros);
                        break;
                    }
                }
            }
            profile.samples++;
            profile.micros += micros;
            add(profile.phases, phase, micros);
            if (own != null) {
                add(profile.ownFrames, own, micros);
            }
            if (stack.length > 0) {
                StackTraceElement top = stack[0];
                add(profile.topFrames, top.getClassName() + "." + top.getMethodName() + " [" + info.getThreadState() + "]", micros);
            }
        }
    }

    // ---------------------------------------------------------------- the child JVM

    /** KitsuSimulatorMain in its own JVM: simulator + in-memory Mongo store, driven over stdin/stdout. */
    static final class Child extends SimulatorChild {
        String kitsuUrl;

        private Child(String spec, long latencyMs) throws IOException {
            super(List.of(), "io.avalonsync.sandbox.KitsuSimulatorMain", List.of(spec, Long.toString(latencyMs)),
                    ProcessBuilder.Redirect.INHERIT);
            readOutput();
        }

        static Child start(String spec, long latencyMs) throws Exception {
            Child child = new Child(spec, latencyMs);
            long started = System.nanoTime();
            child.awaitReady("simulator", 120);
            child.kitsuUrl = child.ready.get("kitsu");
            say("simulator ready in %.1f s: Kitsu %s (%d ms per request), Mongo %s", (System.nanoTime() - started) / 1e9,
                    child.kitsuUrl, latencyMs, child.mongoUri);
            return child;
        }
    }

}
