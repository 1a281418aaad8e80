// Site sync benchmark (targets in bench/README.md): published files mirrored to Google Drive through the real
// routes (direct:sitesync-run, the loop's one pass) against the Drive simulator, compared with the simulator's
// raw ingest measured in the same run: the same files sent straight to its resumable upload endpoint, one
// request per file, with no client library, no routes and no Mongo.
//
//   bench/run sitesync [--small N] [--small-kib K] [--large N] [--large-mib M] [--warmup N] [--shared-cores]
//                          [--parallelism N]   (sitesync.parallelism for the service and the raw client)
//
// Defaults: 1,000 files of 256 KiB (published as ten 100-frame image sequences, each in its own version
// folder) and two files of 1 GiB (one representation each). The Mongo-protocol store and the Drive simulator
// run in a child JVM (io.avalonsync.sandbox.DriveSimulatorMain), so the heap figures cover the service alone.
// Before the measured phases, a warm-up goes through both paths (rounds of 1,000 files of the small files' size,
// raw and through the service, until neither JVM spent more than a tenth of a round JIT compiling, at most
// --warmup N rounds, 30 by default), so that neither is measured while it compiles; each raw ingest runs right
// before the service's phase of the same sizes. The service (and the raw client) and the simulator get half the cores each (taskset),
// as Drive and the database do not share the service's cores in production; --shared-cores lets them share.
// Targets: throughput at least 70% of the raw ingest rate, for the small files and for the large ones; CPU seconds per
// GiB sent at most 1.5 times the raw client's (the same JVM, the same sizes, right before); memory
// flat in file size: the peak heap while the 1 GiB files upload is no more than 64 MB above the peak while
// the small files upload. Printed beside the CPU figure: the CPU of digesting the same files with MD5 in this JVM
// (the check the service makes of every file, and the raw client does not). A phase left out (--small 0, --large 0)
// prints "not run" and is not judged.

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.auth.oauth2.GoogleCredentials;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.avalonsync.AvalonSyncApp;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.SamplePublishes;
import io.avalonsync.sitesync.SiteSyncPass;
import org.bson.Document;

public class SiteSyncBench extends BenchSupport {

    static final String PROJECT = "bench_sitesync";
    static final long MB = 1024 * 1024;

    /** System.out carries the service's log to this file; the figures go to the real stdout. */
    static Path serviceLog;

    public static void main(String[] args) {
        exit(console, () -> {
            // before anything starts log4j: its console appender takes System.out as it is at configuration
            serviceLog = Files.createTempFile("sitesync-bench-service-", ".log");
            System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(serviceLog.toFile()), true, StandardCharsets.UTF_8));
            say("service log: %s", serviceLog);
            return new SiteSyncBench().run(args);
        });
    }

    int small = 1000;
    long smallBytes = 256 * 1024;
    int large = 2;
    long largeBytes = 1024 * MB;
    int warmup = 30;
    int warmedFiles;
    boolean sharedCores;
    int parallelismOption;

    int run(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--small" -> small = Integer.parseInt(args[++i]);
                case "--small-kib" -> smallBytes = Long.parseLong(args[++i]) * 1024;
                case "--large" -> large = Integer.parseInt(args[++i]);
                case "--large-mib" -> largeBytes = Long.parseLong(args[++i]) * MB;
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--shared-cores" -> sharedCores = true;
                case "--parallelism" -> parallelismOption = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("sitesync-bench");
        Path credentials = work.resolve("drive-credentials.json");
        Path localRoot = Files.createDirectories(work.resolve("local"));
        say("JVM %s, %d cores, max heap %.0f MB; work folder %s (deleted at the end)", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (double) MB, work);
        try (Sim sim = Sim.start(credentials, work.resolve("drive"));
                MongoClient client = MongoClients.create(sim.mongoUri)) {
            Settings settings = Settings.load(cwd);
            settings.override("avalon.mongo-uri", sim.mongoUri);
            settings.override("kitsu.url", "");
            settings.override("status.port", Integer.toString(freePort()));
            settings.override("sitesync.enabled", "true");
            settings.override("sitesync.loop-delay", "86400"); // one pass at start (nothing due), then the bench drives
            settings.override("sitesync.roots.work", localRoot.toString());
            settings.override("gdrive.roots.work", "/My Drive/bench");
            settings.override("gdrive.credentials", credentials.toString());
            settings.override("gdrive.api-url", sim.driveUrl);
            String avalonDb = settings.get("avalon.db", "avalon");
            if (parallelismOption > 0) {
                settings.override("sitesync.parallelism", Integer.toString(parallelismOption));
            }
            int parallelism = Integer.parseInt(settings.get("sitesync.parallelism", "4"));
            MongoCollection<Document> project = client.getDatabase(avalonDb).getCollection(PROJECT);
            project.insertOne(new Document("type", "project").append("name", PROJECT).append("schema", "openpype:project-3.0")
                    .append("data", new Document()).append("config", new Document()));

            String layout = sharedCores ? "shared cores (--shared-cores)" : pinCores(sim);
            say("CPU layout: %s", layout);
            Raw raw = new Raw(sim, credentials);
            AvalonSyncApp app = AvalonSyncApp.create(settings, true).start();
            try {
                Thread.sleep(1500); // the loop's first pass at start-up finds nothing
                HeapWatch heap = new HeapWatch();
                String activeSite = settings.get("sitesync.active-site", "studio");
                String remoteSite = settings.get("sitesync.remote-site", "gdrive");

                // Warm-up, not measured: both JVMs compile the code of the upload paths on their first few hundred
                // files (the JIT compilers took ~40% of the two cores in a cold run), which a service that runs for
                // days pays once. Same sizes, through both paths, so neither side is measured cold.
                if (warmup > 0) {
                    // in a project of its own, dropped afterwards: otherwise each measured pass would also scan its
                    // thousands of finished files in both directions (a cost per pass, not per file; bench/README.md)
                    MongoCollection<Document> warmProject = client.getDatabase(avalonDb).getCollection(PROJECT + "_warmup");
                    warmedFiles = warmUp(app, raw, sim, warmProject, work, localRoot, activeSite, remoteSite, parallelism);
                    warmProject.drop();
                }

                // the raw ingest right before the service's run of the same files, so both see the same machine
                Rate rawSmallRate = rawIngest(raw, sim, work.resolve("raw-small"), small, smallBytes, parallelism);
                double rawSmallCpu = lastRawCpuSeconds;
                double md5SmallCpu = lastMd5CpuSeconds;
                // the small files as published image sequences: 100 frames per representation and version folder
                SamplePublishes.publish(project, localRoot, "work", activeSite, remoteSite, sizes(small, smallBytes), 100);
                heap.reset();
                say("service: mirroring %d x %s", small, size(smallBytes));
                Cpu cpu = Cpu.of(sim);
                Phase smallPhase = mirror(app, small, (long) small * smallBytes);
                double smallCpu = cpu.hereSeconds();
                long smallHeap = heap.peak();
                say("service, %d x %s: %s, peak heap %s; %s", small, size(smallBytes), smallPhase.rate, mb(smallHeap),
                        cpu.since("service"));

                Rate rawLargeRate = rawIngest(raw, sim, work.resolve("raw-large"), large, largeBytes, parallelism);
                double rawLargeCpu = lastRawCpuSeconds;
                SamplePublishes.publish(project, localRoot, "work", activeSite, remoteSite, sizes(large, largeBytes));
                heap.reset();
                say("service: mirroring %d x %s", large, size(largeBytes));
                cpu = Cpu.of(sim);
                Phase largePhase = mirror(app, large, (long) large * largeBytes);
                double largeCpu = cpu.hereSeconds();
                long largeHeap = heap.peak();
                say("service, %d x %s: %s, peak heap %s; %s", large, size(largeBytes), largePhase.rate, mb(largeHeap),
                        cpu.since("service"));

                long onDrive = sim.files();
                // the raw copies and the service's, warm-up included
                int expected = 2 * (small + large) + warmedFiles;
                say("files on the simulated Drive: %d (expected %d)", onDrive, expected);

                double smallRatio = smallPhase.rate.bytesPerSecond() / rawSmallRate.bytesPerSecond();
                double largeRatio = largePhase.rate.bytesPerSecond() / rawLargeRate.bytesPerSecond();
                long heapGrowth = largeHeap - smallHeap;
                boolean complete = smallPhase.uploaded == small && largePhase.uploaded == large && onDrive == expected;
                // a phase left out with --small 0 or --large 0 has no figure to judge
                // CPU seconds per GiB sent: the service's JVM while it mirrors, the raw client's while it sends the
                // same sizes (issue: on 2 shared cores the service's rate fell while the raw client kept its pace)
                // (both sent the same bytes, so the ratio of their CPU seconds is the ratio per GiB)
                double smallCpuRatio = smallCpu / rawSmallCpu;
                double largeCpuRatio = largeCpu / rawLargeCpu;
                boolean pass = (small == 0 || smallRatio >= 0.70) && (large == 0 || largeRatio >= 0.70)
                        && (small == 0 || smallCpuRatio <= 1.5) && (large == 0 || largeCpuRatio <= 1.5)
                        && (small == 0 || large == 0 || heapGrowth <= 64 * MB) && complete;

                say("");
                say("================ site sync benchmark: results ================");
                say("%d files of %s and %d of %s, sitesync.parallelism %d, Drive simulator on loopback", small,
                        size(smallBytes), large, size(largeBytes), parallelism);
                row("| figure                                      | value                      | target           | ratio | result |");
                row("|---------------------------------------------|----------------------------|------------------|-------|--------|");
                row(small == 0 ? notRun("small files: service / raw ingest") : fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |",
                        "small files: service / raw ingest", fmt("%.1f / %.1f MB/s", smallPhase.rate.mbPerSecond(),
                        rawSmallRate.mbPerSecond()), ">= 0.70 of raw", smallRatio, smallRatio >= 0.70 ? "PASS" : "FAIL"));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "  files/s: service / raw", fmt("%.0f / %.0f",
                        smallPhase.rate.filesPerSecond(), rawSmallRate.filesPerSecond()), "-", "", ""));
                row(large == 0 ? notRun("1 GiB files: service / raw ingest") : fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |",
                        "1 GiB files: service / raw ingest", fmt("%.1f / %.1f MB/s", largePhase.rate.mbPerSecond(),
                        rawLargeRate.mbPerSecond()), ">= 0.70 of raw", largeRatio, largeRatio >= 0.70 ? "PASS" : "FAIL"));
                row(small == 0 ? notRun("small files: CPU s per GiB service / raw") : fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |",
                        "small files: CPU s per GiB service / raw", fmt("%.2f / %.2f", perGib(smallCpu, small, smallBytes),
                        perGib(rawSmallCpu, small, smallBytes)), "<= 1.5x raw", smallCpuRatio, smallCpuRatio <= 1.5 ? "PASS" : "FAIL"));
                row(fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |", "  MD5 of the same files alone (no client)", fmt("%.2f",
                        perGib(md5SmallCpu, small, smallBytes)), "-", md5SmallCpu / rawSmallCpu, ""));
                row(large == 0 ? notRun("large files: CPU s per GiB service / raw") : fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |",
                        "large files: CPU s per GiB service / raw", fmt("%.2f / %.2f", perGib(largeCpu, large, largeBytes),
                        perGib(rawLargeCpu, large, largeBytes)), "<= 1.5x raw", largeCpuRatio, largeCpuRatio <= 1.5 ? "PASS" : "FAIL"));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "peak heap: small files / 1 GiB files", mb(smallHeap) + " / " + mb(largeHeap),
                        "-", "", ""));
                row(small == 0 || large == 0 ? notRun("heap growth with file size (1 GiB - small)")
                        : fmt("| %-43s | %-26s | %-16s | %5.2f | %-6s |", "heap growth with file size (1 GiB - small)",
                        mb(heapGrowth), "<= 64 MB", heapGrowth / (64.0 * MB), heapGrowth <= 64 * MB ? "PASS" : "FAIL"));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "  heap / size of one large file", fmt("%.3f", largeHeap / (double) largeBytes),
                        "-", "", ""));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "files uploaded small / large / on Drive", smallPhase.uploaded + " / "
                        + largePhase.uploaded + " / " + onDrive, small + " / " + large + " / " + expected, "", complete ? "PASS" : "FAIL"));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "  loop passes small / large", smallPhase.passes + " / " + largePhase.passes,
                        "-", "", ""));
                row(fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", "  GCs in the service JVM", gcCount() + " (" + gcMillis() + " ms)", "-", "", ""));
                say("RESULT: %s", pass ? "PASS (every target met)" : "FAIL (a target missed)");
                return pass ? 0 : 1;
            } finally {
                app.close();
            }
        } finally {
            deleteAll(work);
        }
    }

    /**
     * Rounds of {@value #WARM_FILES} files of the small files' size (and one round of two 64 MiB files), sent raw and
     * mirrored by the service, until a round where neither JVM spent more than a tenth of the round compiling, or
     * {@code warmup} rounds. Returns the files it put on Drive.
     */
    int warmUp(AvalonSyncApp app, Raw raw, Sim sim, MongoCollection<Document> project, Path work, Path localRoot,
            String activeSite, String remoteSite, int parallelism) throws Exception {
        int files = 0;
        long warmLarge = 64 * MB;
        for (int round = 1; round <= warmup; round++) {
            long start = System.nanoTime();
            long jitHere = Cpu.jitHere();
            long jitChild = sim.jitMillis();
            boolean large = round == 1;
            int n = large ? 2 : WARM_FILES;
            // the measured size: with smaller files both JVMs still compiled ~0.8 s in the measured phase
            long bytes = large ? warmLarge : smallBytes;
            List<Path> written = write(work.resolve("warm-raw"), n, bytes);
            raw.send(written, parallelism);
            md5(written, parallelism);
            deleteAll(work.resolve("warm-raw"));
            SamplePublishes.publish(project, localRoot, "work", activeSite, remoteSite, sizes(n, bytes), 100);
            mirror(app, n, n * bytes);
            files += 2 * n;
            double seconds = (System.nanoTime() - start) / 1e9;
            double compiling = Math.max(Cpu.jitHere() - jitHere, sim.jitMillis() - jitChild) / 1e3;
            say("warm-up round %d (not measured): %d x %s raw and through the service in %.1f s, JIT compiling %.1f s"
                    + " (the busier JVM)", round, n, size(bytes), seconds, compiling);
            if (!large && compiling < 0.1 * seconds) {
                return files;
            }
        }
        say("warm-up: still compiling after %d rounds; the figures below include JIT compilation", warmup);
        return files;
    }

    static final int WARM_FILES = 1000;

    /**
     * Splits the cores between this JVM (the service, or the raw client) and the simulator's (Drive and the Mongo
     * store), as in production, where Google's servers and the database do not run on the service's cores: the
     * lower half here, the upper half there (one each on two cores). Threads started later inherit their
     * creator's cores. Without taskset, or with a single core, everything shares.
     */
    static String pinCores(Sim sim) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 2) {
            return "shared (1 core)";
        }
        String service = cores / 2 == 1 ? "0" : "0-" + (cores / 2 - 1);
        String simulator = cores - cores / 2 == 1 ? Integer.toString(cores - 1) : cores / 2 + "-" + (cores - 1);
        try {
            for (String[] pin : List.of(new String[] {simulator, Long.toString(sim.process.pid())},
                    new String[] {service, Long.toString(ProcessHandle.current().pid())})) {
                Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", pin[0], pin[1])
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (taskset.waitFor() != 0) {
                    return "shared (taskset -a -p -c " + pin[0] + " " + pin[1] + " failed)";
                }
            }
        } catch (Exception e) {
            return "shared (no taskset: " + e.getMessage() + ")";
        }
        return fmt("service / raw client on core %s, simulator (Drive + Mongo store) on core %s", service, simulator);
    }

    /** CPU seconds per GiB of {@code n} files of {@code bytes}. */
    static double perGib(double cpuSeconds, int n, long bytes) {
        return cpuSeconds / ((double) n * bytes / (1024.0 * 1024 * 1024));
    }

    /** CPU seconds of this JVM during the last raw ingest (the raw client's own CPU). */
    static double lastRawCpuSeconds;
    /** CPU seconds of this JVM digesting the last raw ingest's files with MD5, as many threads at once. */
    static double lastMd5CpuSeconds;

    /** The simulator's raw ingest of {@code n} new files of {@code bytes}, written first and deleted after. */
    static Rate rawIngest(Raw raw, Sim sim, Path dir, int n, long bytes, int parallelism) throws Exception {
        List<Path> files = write(dir, n, bytes);
        Cpu cpu = Cpu.of(sim);
        Rate rate = raw.send(files, parallelism);
        lastRawCpuSeconds = cpu.hereSeconds();
        say("raw ingest, %d x %s: %s; %s", n, size(bytes), rate, cpu.since("raw client"));
        // the check the service must make of every file (size and MD5 against Drive's) and the raw client does not
        cpu = Cpu.of(sim);
        md5(files, parallelism);
        lastMd5CpuSeconds = cpu.hereSeconds();
        say("MD5 of the same files: %s", cpu.since("digest"));
        deleteAll(dir);
        return rate;
    }

    static void md5(List<Path> files, int parallelism) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path file : files) {
                done.add(pool.submit(() -> {
                    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("MD5");
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = Files.newInputStream(file)) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, n);
                        }
                    }
                    return digest.digest();
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static void row(String line) {
        say("%s", line);
    }

    /** The row of a phase left out (--small 0 or --large 0): nothing to judge. */
    static String notRun(String figure) {
        return fmt("| %-43s | %-26s | %-16s | %5s | %-6s |", figure, "not run", "-", "", "");
    }

    static String size(long bytes) {
        return bytes >= MB * 1024 ? fmt("%.0f GiB", bytes / (1024.0 * MB)) : bytes >= MB ? fmt("%.0f MiB", bytes / (double) MB)
                : fmt("%.0f KiB", bytes / 1024.0);
    }

    static List<Long> sizes(int n, long bytes) {
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sizes.add(bytes);
        }
        return sizes;
    }

    /** Runs loop passes until nothing is due; the time from the first pass to the last upload. */
    static Phase mirror(AvalonSyncApp app, int files, long bytes) throws Exception {
        var template = app.context().createProducerTemplate();
        long start = System.nanoTime();
        int passes = 0;
        long uploaded = 0;
        while (true) {
            SiteSyncPass pass = template.requestBody("direct:sitesync-run", null, SiteSyncPass.class);
            passes++;
            uploaded += pass.getUploaded() + pass.getAdopted();
            if (pass.getSelected() == 0 || uploaded >= files) {
                if (!pass.getFailed().isEmpty()) {
                    say("failures in the last pass: %s", pass.getFailed());
                }
                break;
            }
            if (passes > files + 10) {
                throw new IllegalStateException("the loop does not finish: " + pass);
            }
        }
        return new Phase(new Rate(files, bytes, System.nanoTime() - start), passes, uploaded);
    }

    /**
     * CPU seconds of this JVM (the raw client, or the service) and of the simulator's JVM since a start, against
     * the wall time: on two cores a phase whose two JVMs together use about 2 s per second is CPU-bound.
     */
    record Cpu(Sim sim, long here, long child, long wall, long jitHereAtStart, long jitChild) {
        static Cpu of(Sim sim) throws Exception {
            return new Cpu(sim, hereNanos(), childNanos(sim), System.nanoTime(), jitHere(), sim.jitMillis());
        }

        /** CPU seconds of this JVM since the start. */
        double hereSeconds() {
            return (hereNanos() - here) / 1e9;
        }

        String since(String label) throws Exception {
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double hereSeconds = (hereNanos() - here) / 1e9;
            double childSeconds = (childNanos(sim) - child) / 1e9;
            return fmt("CPU %s %.1f s + simulator %.1f s in %.1f s (%.2f cores), of it JIT compiling %.1f s + %.1f s",
                    label, hereSeconds, childSeconds, wallSeconds, (hereSeconds + childSeconds) / wallSeconds,
                    (jitHere() - jitHereAtStart) / 1e3, (sim.jitMillis() - jitChild) / 1e3);
        }

        static long jitHere() {
            return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        }

        static long hereNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        static long childNanos(Sim sim) {
            return sim.process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }

    record Phase(Rate rate, int passes, long uploaded) {
    }

    record Rate(int files, long bytes, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        double bytesPerSecond() {
            return bytes / seconds();
        }

        double mbPerSecond() {
            return bytesPerSecond() / MB;
        }

        double filesPerSecond() {
            return files / seconds();
        }

        @Override
        public String toString() {
            return fmt("%.2f s, %.1f MB/s, %.0f files/s", seconds(), mbPerSecond(), filesPerSecond());
        }
    }

    /** Files of random bytes, streamed to disk (never a whole large file in memory). */
    static List<Path> write(Path dir, int n, long bytes) throws Exception {
        Files.createDirectories(dir);
        java.util.Random random = new java.util.Random(n * 31L + bytes);
        byte[] block = new byte[1024 * 1024];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = dir.resolve(fmt("raw_%05d.bin", i));
            try (var out = Files.newOutputStream(file)) {
                for (long left = bytes; left > 0; ) {
                    random.nextBytes(block);
                    int len = (int) Math.min(block.length, left);
                    out.write(block, 0, len);
                    left -= len;
                }
            }
            files.add(file);
        }
        return files;
    }

    static void deleteAll(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            say("could not delete %s: %s", dir, e);
        }
    }

    /**
     * The simulator's raw ingest: per file one resumable session (POST) and the whole file in one PUT, with
     * the JDK HTTP client streaming it from disk, in the service's parallelism.
     */
    static final class Raw {
        final Sim sim;
        final String token;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        Raw(Sim sim, Path credentials) throws Exception {
            this.sim = sim;
            try (InputStream in = Files.newInputStream(credentials)) {
                GoogleCredentials google = GoogleCredentials.fromStream(in)
                        .createScoped(List.of("https://www.googleapis.com/auth/drive"));
                this.token = google.refreshAccessToken().getTokenValue();
            }
        }

        Rate send(List<Path> files, int parallelism) throws Exception {
            long bytes = 0;
            for (Path file : files) {
                bytes += Files.size(file);
            }
            ExecutorService pool = Executors.newFixedThreadPool(parallelism);
            long start = System.nanoTime();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (Path file : files) {
                    done.add(pool.submit(() -> {
                        upload(file);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            return new Rate(files.size(), bytes, System.nanoTime() - start);
        }

        void upload(Path file) throws Exception {
            long size = Files.size(file);
            String metadata = "{\"name\":\"" + file.getFileName() + "\",\"parents\":[\"" + sim.rootId + "\"]}";
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(
                            URI.create(sim.driveUrl + "upload/drive/v3/files?uploadType=resumable"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .header("X-Upload-Content-Length", Long.toString(size))
                    .POST(HttpRequest.BodyPublishers.ofString(metadata)).build(), HttpResponse.BodyHandlers.ofString());
            String location = session.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException("no resumable session: HTTP " + session.statusCode() + " " + session.body()));
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(location)).header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
            if (size > 0) {
                put.header("Content-Range", "bytes 0-" + (size - 1) + "/" + size);
            }
            HttpResponse<String> answer = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("raw upload of " + file + ": HTTP " + answer.statusCode() + " " + answer.body());
            }
        }
    }

    /** The child JVM: the Mongo-protocol store and the Drive simulator (DriveSimulatorMain). */
    static final class Sim extends SimulatorChild {
        String driveUrl;
        String rootId;

        private Sim(Path credentials, Path store) throws Exception {
            super(List.of(), "io.avalonsync.sandbox.DriveSimulatorMain", List.of(credentials.toString(), store.toString()),
                    ProcessBuilder.Redirect.INHERIT);
            readOutput();
        }

        static Sim start(Path credentials, Path store) throws Exception {
            Sim sim = new Sim(credentials, store);
            sim.awaitReady("simulator", 60);
            sim.driveUrl = sim.ready.get("drive");
            sim.rootId = sim.ready.get("root");
            say("simulator (pid %d): Drive %s, Mongo %s", sim.process.pid(), sim.driveUrl, sim.mongoUri);
            return sim;
        }

        long files() throws Exception {
            return Long.parseLong(command("files").split(" ")[1]);
        }

        long jitMillis() throws Exception {
            return Long.parseLong(command("jit").split(" ")[1]);
        }
    }
}
