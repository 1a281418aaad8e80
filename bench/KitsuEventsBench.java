// Kitsu live-events benchmark (targets in bench/README.md: 200 events/s sustained, p99 event -> Mongo under
// 250 ms, none lost). Run from the repository root:
//
//   java -Xmx512m -cp target/avalon-sync-demo.jar bench/KitsuEventsBench.java [options]     (or: bench/run events)
//
// The Kitsu simulator and the embedded Mongo-protocol store run in a child JVM
// (io.avalonsync.sandbox.KitsuSimulatorMain); this JVM runs the service as the daemon does, with the event
// listener on (SyncHarness.appWithEvents: AvalonSyncApp.create(settings, true), kitsu.full-sync.at-start=false,
// kitsu.events-url = the simulator's event stream, kitsu.events.poll-interval=1000).
//
// Order: the servers warmed (--warm-servers seconds, default 20; 0: none): a separate service process from
// target/avalon-sync.jar, with databases of its own, makes its start-up sync and follows a burst at the measured rate,
// then stops, so the simulator and store JVM has compiled its paths as a running Zou and MongoDB have (the service under
// test still starts cold); a full sync (direct:kitsu-full-sync) as the baseline; wait until the listener has joined /events and
// the event cursor exists; a warm-up burst, not measured (200 changes at 50/s, --warmup: a cold JVM takes 100-200 ms
// per event at first and is still twice as slow after 300); then the measured burst. The child's `burst` command
// changes shots (frame_out) and assets (name) at a steady rate, each change one shot:update / asset:update
// event, and reports every change (entity, value, System.currentTimeMillis() when it was made) on stdout. A
// watcher thread here polls the store every few ms for the entities with outstanding changes (their documents'
// _id $in) and notes the first time each change's value, or a later value of the same entity, is there (several
// changes to one entity may be applied by one re-read). Both JVMs read the same clock. Three set-ups keep simulator
// artefacts out of the figures: the child runs with -Dsun.net.httpserver.nodelay=true (see Child.start), its servers
// are warmed (see warmServers()), and it gets a `mark` event before the service starts (see run()).
//
// Options: --spec 1,5,500,2,10,50,6 (KitsuSimulatorMain spec; "demo" works too) --latency 2 (ms per Kitsu
// request) --rate 200 --seconds 10 --entities N (change only N entities, for coalescing) --poll-ms 10 (watcher)
// --poll-interval 1000 (kitsu.events.poll-interval) --warmup 200 (changes at 50/s before the measured burst; 0: none)
// --warm-servers 20 (seconds; 0: the simulator starts as cold as the service) --sample off (on: a stack sample of the
// catch-up and processor threads every 10 ms, printed by phase; each sample is a safepoint of this JVM, 200 a second,
// so the latencies of such a run are not the service's)
// The service's log goes to a file (its path is printed), so the bench's own output stays readable.
// Exit status: 0 every target met, 1 a target missed, 2 the benchmark itself failed.

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;
import org.bson.conversions.Bson;

public class KitsuEventsBench extends BenchSupport {

    // ---------------------------------------------------------------- targets (bench/README.md; RATE_TARGET and
    // P99_TARGET_MS are BenchSupport's)
    /**
     * At an offered load of exactly 200/s a service that keeps up measures 200/s give or take the difference
     * between its last and its first change's latency over the run: the rate check allows 1% for that.
     */
    static final double RATE_TOLERANCE = 0.01;
    /** A change not in Mongo this long after the burst ends is lost. */
    static final long LOST_AFTER_MS = 30_000;

    /** The real stdout: System.out carries the service's log to a file. */
    static Path serviceLog;

    public static void main(String[] args) {
        exit(console, () -> {
            // before anything starts log4j: its console appender takes System.out as it is at configuration
            serviceLog = Files.createTempFile("kitsu-events-bench-service-", ".log");
            System.setOut(new PrintStream(new FileOutputStream(serviceLog.toFile()), true, StandardCharsets.UTF_8));
            try {
                return new KitsuEventsBench(args).run();
            } catch (Throwable e) {
                console.println("service log: " + serviceLog);
                throw e;
            }
        });
    }

    // ---------------------------------------------------------------- options

    final String spec;
    final long latencyMs;
    final double rate;
    final double seconds;
    final int entities;
    final long pollMs;
    final long eventsPollInterval;
    final int warmup;
    /** Stack samples of the pipeline's threads during the burst (--sample on); off, the burst runs unobserved. */
    final boolean sample;
    /** Seconds of the servers' warm-up burst (--warm-servers; 0: none), see {@link #warmServers}. */
    final double warmServers;
    static final double WARMUP_RATE = 50;

    KitsuEventsBench(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs; not understood: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        spec = options.getOrDefault("spec", "1,5,500,2,10,50,6");
        latencyMs = Long.parseLong(options.getOrDefault("latency", "2"));
        rate = Double.parseDouble(options.getOrDefault("rate", Double.toString(RATE_TARGET)));
        seconds = Double.parseDouble(options.getOrDefault("seconds", "10"));
        entities = Integer.parseInt(options.getOrDefault("entities", Integer.toString(Integer.MAX_VALUE)));
        pollMs = Long.parseLong(options.getOrDefault("poll-ms", "10"));
        eventsPollInterval = Long.parseLong(options.getOrDefault("poll-interval", "1000"));
        warmup = Integer.parseInt(options.getOrDefault("warmup", "200"));
        sample = switch (options.getOrDefault("sample", "off")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--sample takes on or off");
        };
        warmServers = Double.parseDouble(options.getOrDefault("warm-servers", "20"));
        Set<String> known = Set.of("spec", "latency", "rate", "seconds", "entities", "poll-ms", "poll-interval", "warmup",
                "sample", "warm-servers");
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: " + known + ")");
            }
        }
    }

    // ---------------------------------------------------------------- the scenario

    final Path cwd = Path.of("").toAbsolutePath();

    int run() throws Exception {
        if (!Files.isDirectory(cwd.resolve("routes"))) {
            throw new IllegalStateException("run from the repository root (routes/ not found in " + cwd + ")");
        }
        say("JVM %s, %d cores, max heap %.0f MB; service log: %s", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1048576.0, serviceLog);
        try (Child sim = Child.start(spec, latencyMs)) {
            if (warmServers > 0) {
                sim.command("mark");
                warmServers(sim);
            }
            // the generated production's thousands of events share a second or two; the listener starts from the
            // log's newest event, so let that be a lone one two seconds later (see KitsuSimulatorMain "mark")
            sim.command("mark");
            Settings settings = Settings.load(cwd);
            settings.override("avalon.mongo-uri", sim.mongoUri);
            settings.override("kitsu.url", sim.kitsuUrl);
            settings.override("kitsu.user", KitsuSimulator.EMAIL);
            settings.override("kitsu.password", KitsuSimulator.PASSWORD);
            settings.override("status.port", Integer.toString(freePort()));
            // as SyncHarness.appWithEvents: the daemon, without its start-up sync
            settings.override("kitsu.full-sync.at-start", "false");
            settings.override("kitsu.events-url", sim.eventsUrl);
            settings.override("kitsu.events.poll-interval", Long.toString(eventsPollInterval));
            String avalonDb = settings.get("avalon.db", "avalon");
            String stateDb = settings.get("sync.state-db", "avalon_sync");

            if (warmServers <= 0) {
                say("servers not warmed (--warm-servers 0): the simulator's JVM starts as cold as the service's");
            }
            AvalonSyncApp app = AvalonSyncApp.create(settings, true).start();
            try (MongoClient client = MongoClients.create(sim.mongoUri)) {
                // the seda consumers sleep 1 s when they start before Camel has finished starting
                Thread.sleep(1200);
                return measure(sim, app, client, avalonDb, stateDb);
            } finally {
                app.close();
            }
        }
    }

    /**
     * Warms the tracker and the store, as a Zou and a MongoDB that have been running are warm: before the measured
     * service starts, another service process (target/avalon-sync.jar, databases of its own) makes its start-up full
     * sync and follows a burst of changes at the measured rate, then stops. The service under test still starts cold.
     * Without this the simulator JVM compiled its store and HTTP paths during the measured burst, on the same two
     * cores (bench/README.md "Kitsu events").
     */
    void warmServers(Child sim) throws Exception {
        Path jar = cwd.resolve("target/avalon-sync.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: bench/run builds it (or --warm-servers 0)");
        }
        String db = "bench_warmer";
        Path log = Files.createTempFile("kitsu-events-bench-warmer-", ".log");
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Davalon.mongo-uri=" + sim.mongoUri, "-Davalon.db=" + db, "-Dsync.state-db=" + db + "_state",
                "-Dkitsu.url=" + sim.kitsuUrl, "-Dkitsu.user=" + KitsuSimulator.EMAIL,
                "-Dkitsu.password=" + KitsuSimulator.PASSWORD, "-Dkitsu.events-url=" + sim.eventsUrl,
                "-Dkitsu.events.poll-interval=" + eventsPollInterval, "-Dstatus.port=" + freePort(), "-jar", jar.toString());
        long t0 = System.nanoTime();
        Process warmer = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        CHILDREN.add(warmer);
        try (MongoClient client = MongoClients.create(sim.mongoUri)) {
            MongoDatabase state = client.getDatabase(db + "_state");
            BooleanSupplier running = () -> {
                if (!warmer.isAlive()) {
                    throw new IllegalStateException("the warm-up service exited " + warmer.exitValue() + "; log " + log);
                }
                return true;
            };
            // its start-up full sync done (SyncRuns' summary line), so that no event waits for the entities it names
            await("the warm-up service's listener and start-up full sync", 120_000, () -> running.getAsBoolean()
                    && clients(sim) > 0 && logHas(log, "kitsu full sync done"));
            sim.changes = new ConcurrentLinkedQueue<>(); // its changes are not measured
            String reply = sim.command("burst " + rate + " " + warmServers);
            if (!reply.startsWith("OK")) {
                throw new IllegalStateException("simulator: " + reply);
            }
            String done = sim.burstDone.poll((long) (warmServers * 3 + 60), TimeUnit.SECONDS);
            if (done == null) {
                throw new IllegalStateException("the warm-up burst did not end");
            }
            await("the warm-up service's journal to drain", 120_000, () -> running.getAsBoolean()
                    && state.getCollection("event_journal").countDocuments(Filters.in("status", "pending", "failed")) == 0);
        } finally {
            warmer.destroy();
            if (!warmer.waitFor(30, TimeUnit.SECONDS)) {
                warmer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            CHILDREN.remove(warmer);
        }
        await("the warm-up service's listener to leave", 30_000, () -> clients(sim) == 0);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        say("servers warmed in %.1f s: a service process (its own databases) synced and followed %,d changes at %.0f/s, "
                + "then stopped; log %s (%d WARN, %d ERROR)", (System.nanoTime() - t0) / 1e9, Math.round(rate * warmServers),
                rate, log, lines.stream().filter(l -> l.contains(" WARN ")).count(),
                lines.stream().filter(l -> l.contains(" ERROR ")).count());
    }

    static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    int measure(Child sim, AvalonSyncApp app, MongoClient client, String avalonDb, String stateDb) throws Exception {
        // ---- baseline: a full sync
        say("---- baseline full sync");
        long t0 = System.nanoTime();
        SyncRun run = app.context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
        say("full sync: %.2f s, %,d writes%s", (System.nanoTime() - t0) / 1e9, run.writes(),
                run.failed() ? ", FAILED: " + run.summary() : "");
        if (run.failed()) {
            throw new IllegalStateException("the baseline full sync failed: " + run.summary());
        }
        run = null;
        MongoDatabase state = client.getDatabase(stateDb);
        await("the listener to join /events", 30_000, () -> clients(sim) > 0);
        await("the event cursor to start", 30_000,
                () -> state.getCollection("cursors").countDocuments(Filters.eq("_id", "kitsu:events")) == 1);
        // where each Kitsu entity lives in Avalon
        MongoDatabase avalon = client.getDatabase(avalonDb);
        Map<String, MongoCollection<Document>> collectionOf = new HashMap<>();
        Map<String, Object> docIdOf = new HashMap<>();
        for (String name : avalon.listCollectionNames()) {
            MongoCollection<Document> coll = avalon.getCollection(name);
            for (Document doc : coll.find(Filters.exists("data.zou.id")).projection(Projections.include("data.zou.id"))) {
                collectionOf.put(zouId(doc), coll);
                docIdOf.put(zouId(doc), doc.get("_id"));
            }
        }
        say("listener connected (%d client), event cursor set, %,d Kitsu entities in Avalon", clients(sim), collectionOf.size());
        MongoCollection<Document> journal = state.getCollection("event_journal");
        Thread.sleep(1000);

        // ---- warm-up: the first events through a cold JVM take 100-200 ms each (class loading, JIT); "sustained"
        // is about the warm service
        if (warmup > 0) {
            say("---- warm-up: %,d changes at %.0f/s (not measured)", warmup, WARMUP_RATE);
            Burst w = burst(sim, collectionOf, docIdOf, WARMUP_RATE, warmup / WARMUP_RATE, Integer.MAX_VALUE, false);
            long[] l = w.watcher.all().stream().filter(c -> c.applied >= 0).mapToLong(c -> c.applied - c.sent).sorted().toArray();
            say("warm-up: %,d of %,d changes in Mongo, latency p50 %.0f ms, max %.0f ms", l.length, w.made,
                    percentile(l, 50), percentile(l, 100));
            awaitQuietly(60_000, () -> journal.countDocuments(Filters.eq("status", "pending")) == 0);
            say("warm-up: journal drained (%d pending)", journal.countDocuments(Filters.eq("status", "pending")));
            Thread.sleep(1000);
        }

        // ---- the burst
        int expected = (int) Math.round(rate * seconds);
        say("---- burst: %,d changes at %.0f/s for %.0f s (spec %s, Kitsu latency %d ms, watcher every %d ms)",
                expected, rate, seconds, spec, latencyMs, pollMs);
        sim.command("reset");
        Sampler sampler = new Sampler();
        CpuWatch cpu = new CpuWatch(sim.process);
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        long jitMillis0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long simJitMillis0 = sim.jitMillis();
        Date burstStart = new Date();
        if (sample) {
            sampler.start();
        }
        cpu.start();
        Burst b = burst(sim, collectionOf, docIdOf, rate, seconds, entities, true);
        if (sample) {
            sampler.stop();
        }
        cpu.stop();
        Watcher watcher = b.watcher;
        int made = b.made;
        long burstEnd = b.end;
        long drained = b.drained;
        long gcCount = gcCount() - gcCount0;
        long gcMillis = gcMillis() - gcMillis0;
        long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitMillis0;
        long simJitMillis = sim.jitMillis() - simJitMillis0;
        say("drained %.2f s after the burst: %s", (drained - burstEnd) / 1000.0, watcher.progress());
        // the journal's own bookkeeping (done marks) may trail the write a little
        Bson burstEntries = Filters.gte("journaledAt", burstStart);
        awaitQuietly(10_000, () -> journal.countDocuments(Filters.and(burstEntries, Filters.eq("status", "pending"))) == 0);
        Map<String, Long> journalCounts = new LinkedHashMap<>();
        for (String status : List.of("done", "failed", "parked", "pending")) {
            journalCounts.put(status, journal.countDocuments(Filters.and(burstEntries, Filters.eq("status", status))));
        }
        long journaledTotal = journal.countDocuments(burstEntries);
        long requests = Long.parseLong(sim.command("count").split(" ")[1]);
        Map<String, Long> routes = sim.routes();
        List<Document> entries = journal.find(burstEntries).sort(Sorts.ascending("seq"))
                .projection(Projections.include("name", "data", "journaledAt", "doneAt", "status", "attempts", "error"))
                .into(new ArrayList<>());

        // ---- figures
        List<Change> changes = watcher.all();
        if (changes.size() != made) {
            throw new IllegalStateException("the simulator made " + made + " changes but reported " + changes.size());
        }
        List<Change> applied = changes.stream().filter(c -> c.applied >= 0).toList();
        long lost = changes.size() - applied.size();
        long[] latency = applied.stream().mapToLong(c -> c.applied - c.sent).sorted().toArray();
        Change first = changes.get(0);
        Change last = changes.get(changes.size() - 1);
        double offered = (changes.size() - 1) * 1000.0 / Math.max(1, last.sent - first.sent);
        // the rate the changes came out of the pipeline: from the first change's application to the last one's;
        // with changes lost, those applied over the time from the first application to the loss deadline
        long firstApplied = applied.stream().mapToLong(c -> c.applied).min().orElse(-1);
        long lastApplied = applied.stream().mapToLong(c -> c.applied).max().orElse(-1);
        double sustained = applied.size() < 2 ? 0 : lost == 0
                ? (applied.size() - 1) * 1000.0 / Math.max(1, lastApplied - firstApplied)
                : (applied.size() - 1) * 1000.0 / Math.max(1, burstEnd + LOST_AFTER_MS - firstApplied);
        double p99 = percentile(latency, 99);

        say("");
        say("================ Kitsu events benchmark: results ================");
        say("production %s, Kitsu latency %d ms per request, %,d changes to %,d entities at %.0f/s for %.0f s", spec,
                latencyMs, changes.size(), changes.stream().map(c -> c.entity).distinct().count(), rate, seconds);
        row("sustained throughput (applied)", fmt("%.1f /s", sustained), fmt(">= %.0f /s", RATE_TARGET),
                sustained / RATE_TARGET, sustained >= RATE_TARGET * (1 - RATE_TOLERANCE) && lost == 0);
        row("  offered by the simulator", fmt("%.1f /s", offered), fmt("%.0f /s", rate), offered / RATE_TARGET, null);
        row("  first sent -> last applied", lastApplied < 0 ? "-" : fmt("%.2f s (%.1f /s)", (lastApplied - first.sent) / 1000.0,
                applied.size() * 1000.0 / Math.max(1, lastApplied - first.sent)), "-", Double.NaN, null);
        row("event -> Mongo latency p99", fmt("%.0f ms", p99), fmt("< %.0f ms", P99_TARGET_MS), p99 / P99_TARGET_MS,
                p99 < P99_TARGET_MS && latency.length > 0);
        row("  p50 / p95 / max", fmt("%.0f / %.0f / %.0f ms", percentile(latency, 50), percentile(latency, 95),
                percentile(latency, 100)), "-", Double.NaN, null);
        row("lost (not in Mongo 30 s after the burst)", Long.toString(lost), "0", Double.NaN, lost == 0);
        row("journal entries of the burst", fmt("%,d", journaledTotal), fmt("%,d events", changes.size()),
                ratio(journaledTotal, changes.size()), null);
        row("  applied by the processor (done) per s", fmt("%.1f /s", journalCounts.get("done") * 1000.0
                / Math.max(1, drained - burstStart.getTime())), "-", Double.NaN, null);
        row("  done / failed / parked / pending", fmt("%,d / %d / %d / %d", journalCounts.get("done"),
                journalCounts.get("failed"), journalCounts.get("parked"), journalCounts.get("pending")), "- / 0 / 0 / 0",
                Double.NaN, null);
        long catchUps = routes.entrySet().stream().filter(e -> e.getKey().contains("/events/last")).mapToLong(Map.Entry::getValue).sum();
        long doneEntries = journalCounts.get("done");
        row("HTTP requests per change (all)", fmt("%.2f", requests / (double) changes.size()), "-", Double.NaN, null);
        row("  per applied journal entry (re-reads)", doneEntries == 0 ? "-" : fmt("%.2f", (requests - catchUps) / (double) doneEntries),
                "-", Double.NaN, null);
        row("  event-log reads (catch-ups), changes each", fmt("%,d, %.1f", catchUps, changes.size() / (double) Math.max(1, catchUps)),
                "-", Double.NaN, null);
        Stages stages = stages(changes, entries);
        row("  change -> journaled p50 / p99", stages.toJournal(), "-", Double.NaN, null);
        row("  changes applied by their own / an earlier event", fmt("%,d / %,d", stages.own(), stages.coalesced()), "-",
                Double.NaN, null);
        row("  journaled -> done p50 / p99 (own event)", stages.toDone(), "-", Double.NaN, null);
        row("  done -> seen by the watcher p50 / p99 (own event)", stages.toSeen(), "-", Double.NaN, null);
        double runS = cpu.wallMillis / 1000.0;
        row("CPU service JVM / simulator+store JVM", fmt("%.0f%% / %.0f%% of %d cores", 100 * cpu.selfCpu / 1e9 / runS / cores(),
                100 * cpu.childCpu / 1e9 / runS / cores(), cores()), "-", Double.NaN, null);
        row("  GCs in the service JVM", fmt("%d (%d ms)", gcCount, gcMillis), "-", Double.NaN, null);
        // the JIT compilers' threads (C1 and C2) of both JVMs: CPU the service's own threads do not get on two cores
        row("  JIT compiling: service / simulator JVM", fmt("%.1f s / %.1f s", jitMillis / 1000.0, simJitMillis / 1000.0),
                "-", Double.NaN, null);
        row("  watcher: polls (full sweeps), mean / max", fmt("%,d (%,d), %.1f / %.1f ms", watcher.polls, watcher.sweeps,
                watcher.pollNanos / 1e6 / Math.max(1, watcher.polls), watcher.maxPollNanos / 1e6), "-", Double.NaN, null);
        printTable();
        say("(sustained passes from %.0f /s: at an offered load of exactly %.0f/s a service that keeps up measures that"
                + " rate minus the drift of its latency over the run)", RATE_TARGET * (1 - RATE_TOLERANCE), RATE_TARGET);

        say("");
        say("latency by 5 s of the burst (send time):");
        timeline(changes, first.sent);
        say("");
        say("Kitsu requests during the burst and drain:");
        routes.forEach((route, n) -> say("    %6d  %s", n, route));
        say("");
        say("threads of the service JVM by CPU over %.1f s (burst + drain):", runS);
        cpu.top(8).forEach(line -> say("    %s", line));
        say("");
        if (sample) {
            say("where the event pipeline's threads were (a stack sample every %d ms, weighted by wall time):",
                    Sampler.INTERVAL_MS);
            sampler.print(journalCounts.get("done"));
        } else {
            say("stack samples of the pipeline's threads: off (--sample on takes them, at %d a second)",
                    2 * 1000 / Sampler.INTERVAL_MS);
        }
        say("");
        serviceLogSummary();
        if (entries.stream().anyMatch(e -> e.get("error") != null)) {
            say("journal errors:");
            entries.stream().filter(e -> e.get("error") != null).limit(5)
                    .forEach(e -> say("    %s %s: %s", e.getString("status"), e.getString("name"), e.getString("error")));
        }
        say("");
        say(allPass ? "RESULT: PASS (every target met)" : "RESULT: FAIL (see the FAIL rows above)");
        return allPass ? 0 : 1;
    }

    /** One burst of changes, watched until every change is in Mongo or the loss deadline has passed. */
    record Burst(Watcher watcher, int made, long end, long drained) {
    }

    Burst burst(Child sim, Map<String, MongoCollection<Document>> collectionOf, Map<String, Object> docIdOf, double rate,
                double seconds, int entities, boolean report) throws Exception {
        Watcher watcher = new Watcher(collectionOf, docIdOf, pollMs);
        sim.changes = watcher.inbox;
        watcher.start();
        String reply = sim.command("burst " + rate + " " + seconds + (entities == Integer.MAX_VALUE ? "" : " " + entities));
        if (!reply.startsWith("OK")) {
            throw new IllegalStateException("simulator: " + reply);
        }
        long started = System.currentTimeMillis();
        String done = null;
        long nextReport = started + 5000;
        while (done == null) {
            done = sim.burstDone.poll(200, TimeUnit.MILLISECONDS);
            if (report && System.currentTimeMillis() >= nextReport) {
                nextReport += 5000;
                say("  %5.1f s: %s", (System.currentTimeMillis() - started) / 1000.0, watcher.progress());
            }
            if (System.currentTimeMillis() - started > (seconds * 3 + 60) * 1000) {
                throw new IllegalStateException("the simulator's burst did not end");
            }
            if (!sim.process.isAlive()) {
                throw new IllegalStateException("the simulator exited during the burst");
            }
        }
        String[] d = done.split(" ");
        int made = Integer.parseInt(d[1]);
        long burstMs = Long.parseLong(d[2]);
        long generatorLagMs = Long.parseLong(d[3]);
        long end = System.currentTimeMillis();
        if (report) {
            say("burst done: %,d changes made in %.2f s (the generator's worst lag behind schedule: %d ms)", made,
                    burstMs / 1000.0, generatorLagMs);
        }
        // every CHANGE line comes before BURST-DONE on the same stream; let the reader hand them over
        await("the change reports", 10_000, () -> watcher.received() >= made);
        // drain: until every change is in Mongo, or the loss deadline
        while (watcher.outstanding() > 0 && System.currentTimeMillis() - end < LOST_AFTER_MS) {
            Thread.sleep(20);
        }
        long drained = System.currentTimeMillis();
        watcher.stop();
        return new Burst(watcher, made, end, drained);
    }

    // ---------------------------------------------------------------- stages, from the journal's own times

    record Stages(long[] journaledMs, long[] doneMs, long[] seenMs, int own, int coalesced) {
        String toJournal() {
            return pair(journaledMs);
        }

        String toDone() {
            return pair(doneMs);
        }

        String toSeen() {
            return pair(seenMs);
        }

        static String pair(long[] values) {
            return values.length == 0 ? "-" : fmt("%.0f / %.0f ms", percentile(values, 50), percentile(values, 99));
        }
    }

    /**
     * Each change made one event, so the k-th burst entry of an entity is its k-th change's. The entry that
     * applied a change is the first done one of its entity that was done after the change was made: its own, or
     * an earlier one that re-read the entity after the change (coalesced). Journaled -> done and done -> seen are
     * over the changes their own entry applied.
     */
    static Stages stages(List<Change> changes, List<Document> entries) {
        Map<String, List<Change>> changesOf = new HashMap<>();
        changes.forEach(c -> changesOf.computeIfAbsent(c.entity, e -> new ArrayList<>()).add(c));
        Map<String, List<Document>> entriesOf = new HashMap<>();
        for (Document entry : entries) {
            Document data = entry.get("data") instanceof Document doc ? doc : new Document();
            String entity = data.getString("shot_id") != null ? data.getString("shot_id") : data.getString("asset_id");
            if (entity != null && changesOf.containsKey(entity)) {
                entriesOf.computeIfAbsent(entity, e -> new ArrayList<>()).add(entry);
            }
        }
        List<Long> toJournal = new ArrayList<>();
        List<Long> toDone = new ArrayList<>();
        List<Long> toSeen = new ArrayList<>();
        int own = 0;
        int coalesced = 0;
        for (Map.Entry<String, List<Document>> e : entriesOf.entrySet()) {
            List<Change> list = changesOf.get(e.getKey());
            List<Document> mine = e.getValue();
            for (int k = 0; k < list.size() && k < mine.size(); k++) {
                Change change = list.get(k);
                Date journaled = mine.get(k).getDate("journaledAt");
                if (journaled != null) {
                    toJournal.add(journaled.getTime() - change.sent);
                }
                int applier = -1;
                for (int j = 0; j < mine.size(); j++) {
                    Date doneAt = mine.get(j).getDate("doneAt");
                    if (doneAt != null && doneAt.getTime() >= change.sent) {
                        applier = j;
                        break;
                    }
                }
                if (applier >= 0 && applier < k) {
                    coalesced++;
                } else if (applier == k) {
                    own++;
                    Date doneAt = mine.get(k).getDate("doneAt");
                    toDone.add(doneAt.getTime() - journaled.getTime());
                    if (change.applied >= 0) {
                        toSeen.add(change.applied - doneAt.getTime());
                    }
                }
            }
        }
        return new Stages(sorted(toJournal), sorted(toDone), sorted(toSeen), own, coalesced);
    }

    static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    void timeline(List<Change> changes, long start) {
        Map<Integer, List<Change>> buckets = new java.util.TreeMap<>();
        changes.forEach(c -> buckets.computeIfAbsent((int) ((c.sent - start) / 5000), b -> new ArrayList<>()).add(c));
        say("    %-9s %7s %7s %8s %8s %8s %6s", "sent at", "changes", "applied", "p50", "p99", "max", "lost");
        buckets.forEach((bucket, list) -> {
            long[] l = list.stream().filter(c -> c.applied >= 0).mapToLong(c -> c.applied - c.sent).sorted().toArray();
            say("    %2d-%2d s   %7d %7d %6.0f ms %6.0f ms %6.0f ms %6d", bucket * 5, bucket * 5 + 5, list.size(), l.length,
                    percentile(l, 50), percentile(l, 99), percentile(l, 100), list.size() - l.length);
        });
    }

    void serviceLogSummary() throws IOException {
        System.out.flush();
        List<String> lines = Files.readAllLines(serviceLog, StandardCharsets.UTF_8);
        long warn = lines.stream().filter(l -> l.contains(" WARN ")).count();
        long error = lines.stream().filter(l -> l.contains(" ERROR ")).count();
        long journaled = lines.stream().filter(l -> l.contains("new events journaled")).count();
        say("service log %s: %,d lines, %d WARN, %d ERROR, %,d 'new events journaled' lines", serviceLog, lines.size(),
                warn, error, journaled);
        lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(8)
                .forEach(l -> say("    %s", l.length() > 220 ? l.substring(0, 220) + "..." : l));
    }

    // ---------------------------------------------------------------- the watcher

    /** One change the simulator made. {@code applied}: when the watcher first saw it (or a later one) in Mongo. */
    static final class Change {
        final int index;
        final String entity;
        final String field;
        final String value;
        final long sent;
        volatile long applied = -1;

        Change(int index, String entity, String field, String value, long sent) {
            this.index = index;
            this.entity = entity;
            this.field = field;
            this.value = value;
            this.sent = sent;
        }
    }

    /**
     * Polls the Avalon documents of the entities with outstanding changes (an {@code _id $in} query per
     * collection and batch; the embedded store has no change streams) and marks every change of an entity up to
     * the one whose value the document shows as applied, at the time the answer came back.
     * <p>
     * Each poll reads the {@link #HEAD} entities whose oldest outstanding change is oldest (the journal is applied
     * in order, so those come next), and every {@link #SWEEP_MS} all outstanding entities: when the service falls
     * behind, reading thousands of documents every 10 ms would load the store the service is measured against.
     */
    static final class Watcher implements Runnable {
        static final int BATCH = 300;
        static final int HEAD = 100;
        static final long SWEEP_MS = 2000;
        final Map<String, MongoCollection<Document>> collectionOf;
        final Map<String, Object> docIdOf;
        final long pollMs;
        final ConcurrentLinkedQueue<Change> inbox = new ConcurrentLinkedQueue<>();
        // watcher thread only
        final Map<String, List<Change>> byEntity = new HashMap<>();
        final Map<String, Integer> next = new HashMap<>();
        final Set<String> outstandingEntities = new LinkedHashSet<>();
        /** The oldest outstanding change of each entity with one, oldest first. */
        final java.util.TreeSet<Change> heads = new java.util.TreeSet<>((a, b) -> Integer.compare(a.index, b.index));
        long lastSweep;
        final List<Change> all = new ArrayList<>();
        volatile int received;
        volatile int appliedCount;
        volatile boolean running = true;
        volatile Throwable failure;
        long polls;
        long sweeps;
        long pollNanos;
        long maxPollNanos;
        Thread thread;

        Watcher(Map<String, MongoCollection<Document>> collectionOf, Map<String, Object> docIdOf, long pollMs) {
            this.collectionOf = collectionOf;
            this.docIdOf = docIdOf;
            this.pollMs = pollMs;
        }

        void start() {
            thread = new Thread(this, "bench-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("the watcher failed: " + failure, failure);
            }
        }

        int received() {
            return received;
        }

        int outstanding() {
            return received - appliedCount;
        }

        String progress() {
            return fmt("%,d changes sent, %,d in Mongo, %,d outstanding", received, appliedCount, outstanding());
        }

        List<Change> all() {
            List<Change> sorted = new ArrayList<>(all);
            sorted.sort((a, b) -> Integer.compare(a.index, b.index));
            return sorted;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    Change change;
                    while ((change = inbox.poll()) != null) {
                        all.add(change);
                        List<Change> list = byEntity.computeIfAbsent(change.entity, e -> new ArrayList<>());
                        list.add(change);
                        if (outstandingEntities.add(change.entity)) {
                            heads.add(change);
                        }
                        received = all.size();
                    }
                    if (!outstandingEntities.isEmpty()) {
                        poll();
                    }
                    Thread.sleep(pollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }

        void poll() {
            long start = System.nanoTime();
            // by the documents' _id: the embedded store answers $in on its unique _id index, but scans the whole
            // collection for $in on data.zou.id (about 5 ms for 1,500 documents here, 1-2 ms by _id)
            Map<MongoCollection<Document>, List<Object>> byCollection = new HashMap<>();
            List<String> wanted = new ArrayList<>();
            if (outstandingEntities.size() <= HEAD || System.currentTimeMillis() - lastSweep >= SWEEP_MS) {
                wanted.addAll(outstandingEntities);
                lastSweep = System.currentTimeMillis();
                sweeps++;
            } else {
                for (Change head : heads) {
                    wanted.add(head.entity);
                    if (wanted.size() >= HEAD) {
                        break;
                    }
                }
            }
            for (String id : wanted) {
                MongoCollection<Document> coll = collectionOf.get(id);
                if (coll == null) {
                    throw new IllegalStateException("entity " + id + " is not in Avalon");
                }
                byCollection.computeIfAbsent(coll, c -> new ArrayList<>()).add(docIdOf.get(id));
            }
            for (Map.Entry<MongoCollection<Document>, List<Object>> e : byCollection.entrySet()) {
                List<Object> ids = e.getValue();
                for (int from = 0; from < ids.size(); from += BATCH) {
                    List<Object> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                    List<Document> docs = e.getKey().find(Filters.in("_id", batch))
                            .projection(Projections.include("name", "data.frameEnd", "data.zou.id")).into(new ArrayList<>());
                    long now = System.currentTimeMillis();
                    docs.forEach(doc -> observe(doc, now));
                }
            }
            long nanos = System.nanoTime() - start;
            polls++;
            pollNanos += nanos;
            maxPollNanos = Math.max(maxPollNanos, nanos);
        }

        void observe(Document doc, long now) {
            String id = zouId(doc);
            List<Change> list = byEntity.get(id);
            if (list == null) {
                return;
            }
            int from = next.getOrDefault(id, 0);
            for (int p = list.size() - 1; p >= from; p--) {
                Change c = list.get(p);
                Object current = c.field.equals("name") ? doc.get("name")
                        : doc.get("data") instanceof Document data ? data.get("frameEnd") : null;
                if (current != null && c.value.equals(String.valueOf(current))) {
                    for (int j = from; j <= p; j++) {
                        list.get(j).applied = now;
                    }
                    appliedCount += p + 1 - from;
                    next.put(id, p + 1);
                    heads.remove(list.get(from));
                    if (p + 1 == list.size()) {
                        outstandingEntities.remove(id);
                    } else {
                        heads.add(list.get(p + 1));
                    }
                    return;
                }
            }
        }
    }

    static String zouId(Document doc) {
        Object data = doc.get("data");
        Object zou = data instanceof Document d ? d.get("zou") : null;
        return zou instanceof Document z ? String.valueOf(z.get("id")) : null;
    }

    // ---------------------------------------------------------------- CPU

    /** CPU of both JVMs and of each thread of this one, between start and stop. */
    static final class CpuWatch {
        final Process child;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<Long, Long> threadCpu0 = new HashMap<>();
        final Map<Long, String> names = new HashMap<>();
        final Map<Long, Long> threadCpu = new HashMap<>();
        long self0;
        long child0;
        long wall0;
        long selfCpu;
        long childCpu;
        long wallMillis;

        CpuWatch(Process child) {
            this.child = child;
        }

        void start() {
            wall0 = System.currentTimeMillis();
            self0 = processCpu();
            child0 = childCpu();
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null) {
                    threadCpu0.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
                }
            }
        }

        void stop() {
            wallMillis = System.currentTimeMillis() - wall0;
            selfCpu = processCpu() - self0;
            childCpu = childCpu() - child0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null) {
                    long cpu = threads.getThreadCpuTime(info.getThreadId());
                    threadCpu.put(info.getThreadId(), cpu - threadCpu0.getOrDefault(info.getThreadId(), 0L));
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }

        List<String> top(int n) {
            List<String> lines = new ArrayList<>();
            threadCpu.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(n)
                    .forEach(e -> lines.add(fmt("%5.1f%% of a core  %6.2f s  %s", 100.0 * e.getValue() / 1e6 / wallMillis,
                            e.getValue() / 1e9, names.get(e.getKey()))));
            return lines;
        }

        long childCpu() {
            return child.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    // ---------------------------------------------------------------- where the pipeline's threads are

    /**
     * Samples the stacks of the event pipeline's threads (the seda consumers of kitsu-events-catch-up and
     * kitsu-journal-wakeup) and files the wall time since the previous sample under the phase of the innermost
     * recognised frame.
     */
    static final class Sampler implements Runnable {
        static final int INTERVAL_MS = 10;
        /** Thread name part, label. */
        static final String[][] THREADS = {
            {"seda://kitsu-journal-wakeup", "journal processor (seda kitsu-journal-wakeup)"},
            {"seda://kitsu-events-catch-up", "catch-up (seda kitsu-events-catch-up)"},
        };
        /** Innermost match wins; checked against "class.method". */
        static final String[][] PHASES = {
            {"org.apache.logging.log4j", "logging"},
            {"io.avalonsync.journal.EventJournal.due", "journal: find due entries (EventJournal.due)"},
            {"io.avalonsync.journal.EventJournal.done", "journal: mark done (EventJournal.done)"},
            {"io.avalonsync.journal.EventJournal.failed", "journal: mark failed (EventJournal.failed)"},
            {"io.avalonsync.journal.EventJournal.append", "journal: insert events (EventJournal.append)"},
            {"io.avalonsync.journal.EventJournal.cursor", "cursor: read (EventJournal.cursor)"},
            {"io.avalonsync.journal.EventJournal.moveCursor", "cursor: move (EventJournal.moveCursor)"},
            {"io.avalonsync.kitsu.KitsuEventCursor.page", "parse the event log page (KitsuEventCursor.page)"},
            {"io.avalonsync.kitsu.KitsuSession", "Kitsu session (KitsuSession)"},
            {"io.avalonsync.avalon.AvalonProjects.loadAround", "Avalon: read the docs around the entity (AvalonProjects.loadAround)"},
            {"io.avalonsync.avalon.AvalonProjects.findByTrackerId", "Avalon: find by tracker id (AvalonProjects.findByTrackerId)"},
            {"io.avalonsync.avalon.AvalonProjects", "Avalon: other AvalonProjects"},
            {"io.avalonsync.avalon.ProjectPlanner", "plan: diff + validate (ProjectPlanner)"},
            {"io.avalonsync.avalon.AvalonValidator", "plan: diff + validate (ProjectPlanner)"},
            {"io.avalonsync.kitsu.KitsuEvents", "Kitsu answer -> desired (KitsuEvents)"},
            {"org.apache.camel.component.http.HttpComponent", "Camel: create an HTTP endpoint (toD with a new URI)"},
            {"org.apache.camel.component.http.", "Kitsu HTTP GET (incl. the simulator's latency)"},
            {"org.apache.camel.component.mongodb.", "Avalon: bulkWrite (camel-mongodb)"},
            {"org.apache.camel.impl.engine.AbstractCamelContext.getEndpoint", "Camel: resolve an endpoint (toD)"},
            {"org.apache.camel.impl.engine.AbstractCamelContext.doGetEndpoint", "Camel: resolve an endpoint (toD)"},
            {"org.apache.camel.component.seda.SedaConsumer.doRun", null},
        };

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<String, Profile> profiles = new LinkedHashMap<>();
        final Map<String, Long> ids = new HashMap<>();
        volatile boolean running = true;
        Thread thread;

        void start() {
            for (String[] t : THREADS) {
                profiles.put(t[1], new Profile());
            }
            thread = new Thread(this, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            long last = System.nanoTime();
            while (running) {
                try {
                    Thread.sleep(INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long micros = (now - last) / 1000;
                last = now;
                for (String[] t : THREADS) {
                    Long id = ids.get(t[1]);
                    ThreadInfo info = id == null ? null : threads.getThreadInfo(id, Integer.MAX_VALUE);
                    if (info == null) {
                        id = find(t[0]);
                        info = id == null ? null : threads.getThreadInfo(id, Integer.MAX_VALUE);
                        if (id != null) {
                            ids.put(t[1], id);
                        }
                    }
                    Profile profile = profiles.get(t[1]);
                    if (info == null) {
                        profile.add("(thread not found)", micros, null, null);
                    } else {
                        record(profile, info, micros);
                    }
                }
            }
        }

        static Long find(String namePart) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains(namePart)) {
                    return t.getId();
                }
            }
            return null;
        }

        void record(Profile profile, ThreadInfo info, long micros) {
            StackTraceElement[] stack = info.getStackTrace();
            String phase = phase(stack, PHASES);
            StackTraceElement own = ownFrame(stack);
            String other = null;
            if (phase == null) {
                boolean waiting = stack.length > 0 && info.getThreadState() != Thread.State.RUNNABLE
                        && (stack[0].getClassName().startsWith("jdk.internal.misc.Unsafe") || stack[0].getMethodName().equals("sleep"));
                phase = waiting ? "idle: waiting for work (seda poll)" : "other (Camel routing)";
                for (StackTraceElement frame : stack) {
                    String c = frame.getClassName();
                    if (!waiting && !c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                        other = c + "." + frame.getMethodName() + ":" + frame.getLineNumber();
                        break;
                    }
                }
            }
            String top = stack.length == 0 ? null
                    : stack[0].getClassName() + "." + stack[0].getMethodName() + " [" + info.getThreadState() + "]";
            profile.add(phase, micros, own, top);
            if (other != null) {
                profile.otherFrames.merge(other, micros, Long::sum);
            }
        }

        void print(long eventsDone) {
            profiles.forEach((label, profile) -> {
                if (profile.micros == 0) {
                    say("  %s: no samples", label);
                    return;
                }
                double total = profile.micros;
                long idle = profile.phases.entrySet().stream().filter(e -> e.getKey().startsWith("idle") || e.getKey().startsWith("("))
                        .mapToLong(Map.Entry::getValue).sum();
                double busy = profile.micros - idle;
                say("  %s: %.2f s sampled, busy %.0f%%%s", label, total / 1e6, 100 * busy / total,
                        label.startsWith("journal") && eventsDone > 0
                                ? fmt(" = %.1f ms per applied event (at most %.0f events/s on this thread)",
                                        busy / 1000 / eventsDone, eventsDone / (busy / 1e6))
                                : "");
                profile.phases.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> say("    %5.1f%%  %6.2f s  %s", 100.0 * e.getValue() / total, e.getValue() / 1e6, e.getKey()));
                if (!profile.otherFrames.isEmpty()) {
                    say("    'other' by first non-JDK frame:");
                    top(profile.otherFrames, total, 4);
                }
                say("    hottest io.avalonsync methods (innermost project frame):");
                top(profile.ownFrames, total, 6);
                say("    hottest io.avalonsync lines (innermost project frame):");
                top(profile.ownLines, total, 8);
                say("    hottest top-of-stack frames:");
                top(profile.topFrames, total, 6);
            });
        }
    }

    static final class Profile {
        long micros;
        final Map<String, Long> phases = new LinkedHashMap<>();
        final Map<String, Long> ownFrames = new LinkedHashMap<>();
        final Map<String, Long> ownLines = new LinkedHashMap<>();
        final Map<String, Long> topFrames = new LinkedHashMap<>();
        final Map<String, Long> otherFrames = new LinkedHashMap<>();

        void add(String phase, long us, StackTraceElement own, String top) {
            micros += us;
            phases.merge(phase, us, Long::sum);
            if (own != null) {
                ownFrames.merge(own.getClassName() + "." + own.getMethodName(), us, Long::sum);
                ownLines.merge(own.getClassName().substring(own.getClassName().lastIndexOf('.') + 1) + "."
                        + own.getMethodName() + ":" + own.getLineNumber(), us, Long::sum);
            }
            if (top != null) {
                topFrames.merge(top, us, Long::sum);
            }
        }
    }

    // ---------------------------------------------------------------- output

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static int clients(Child sim) {
        try {
            return Integer.parseInt(sim.command("clients").split(" ")[1]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        if (!awaitQuietly(timeoutMillis, condition)) {
            throw new IllegalStateException("timed out after " + timeoutMillis + " ms waiting for " + what);
        }
    }

    static boolean awaitQuietly(long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    // ---------------------------------------------------------------- the child JVM

    /** KitsuSimulatorMain in its own JVM: simulator + in-memory Mongo store, driven over stdin/stdout. */
    static final class Child extends SimulatorChild {
        final BlockingQueue<String> burstDone = new LinkedBlockingQueue<>();
        /** Where the burst's CHANGE reports go. */
        volatile ConcurrentLinkedQueue<Change> changes;
        String kitsuUrl;
        String eventsUrl;

        private Child(String spec, long latencyMs) throws IOException {
            // TCP_NODELAY on the simulator's JDK HttpServer: without it each small answer waits for the client's
            // delayed ACK (Nagle), about 44 ms per request here instead of 2-4 ms, which no real Zou does
            super(List.of("-Dsun.net.httpserver.nodelay=true"), "io.avalonsync.sandbox.KitsuSimulatorMain",
                    List.of(spec, Long.toString(latencyMs)), ProcessBuilder.Redirect.INHERIT);
            readOutput();
        }

        /** The child JVM's JIT compiling time so far (ms). */
        long jitMillis() throws Exception {
            return Long.parseLong(command("jit").split(" ")[1]);
        }

        @Override
        void line(String line) {
            if (line.startsWith("SIM CHANGE ")) {
                // SIM CHANGE i zouId field value sentMillis
                String[] w = line.split(" ");
                changes.add(new Change(Integer.parseInt(w[2]), w[3], w[4], w[5], Long.parseLong(w[6])));
            } else if (line.startsWith("SIM BURST-DONE ")) {
                burstDone.add(line.substring(4));
            } else {
                super.line(line);
            }
        }

        static Child start(String spec, long latencyMs) throws Exception {
            Child child = new Child(spec, latencyMs);
            long started = System.nanoTime();
            child.awaitReady("simulator", 120);
            child.kitsuUrl = child.ready.get("kitsu");
            child.eventsUrl = child.ready.get("events");
            if (child.eventsUrl == null) {
                child.close();
                throw new IllegalStateException("the simulator does not name its event stream (rebuild the jar)");
            }
            say("simulator ready in %.1f s: Kitsu %s (%d ms per request), events %s, Mongo %s",
                    (System.nanoTime() - started) / 1e9, child.kitsuUrl, latencyMs, child.eventsUrl, child.mongoUri);
            return child;
        }
    }

}
