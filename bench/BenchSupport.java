// What the benchmarks share: the main's exit, child processes (the simulator JVM), the results table,
// formatting, GC counters and the heap watch. bench/run compiles
// every bench/*.java together, and each benchmark extends this class to use these by their simple names.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

abstract class BenchSupport {

    // ---------------------------------------------------------------- the targets (bench/README.md)

    /** Kitsu full sync of the large production: first sync, no-change re-sync, and the service's heap. */
    static final double FIRST_SYNC_TARGET_S = 30;
    static final double RESYNC_TARGET_S = 10;
    static final double HEAP_TARGET_MB = 512;
    /** Kitsu live events: sustained rate and p99 of event -> Mongo. */
    static final double RATE_TARGET = 200;
    static final double P99_TARGET_MS = 250;

    /** Where the figures go; a benchmark that sends the service's log elsewhere keeps the terminal here. */
    static PrintStream console = System.out;

    static void say(String format, Object... args) {
        console.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();

    static void killChildren() {
        for (Process process : CHILDREN) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * A benchmark's main: runs it; a failure is printed to {@code errors} and exits 2. The child JVMs are killed
     * whatever happens.
     */
    static void exit(PrintStream errors, Callable<Integer> bench) {
        Runtime.getRuntime().addShutdownHook(new Thread(BenchSupport::killChildren, "bench-kill-children"));
        int exit;
        try {
            exit = bench.call();
        } catch (Throwable e) {
            errors.println("BENCH ERROR: " + e);
            e.printStackTrace(errors);
            exit = 2;
        } finally {
            killChildren();
        }
        console.flush();
        System.out.flush();
        // halt skips the JVM's own dump of a recording started with -XX:StartFlightRecording (BENCH_JAVA_OPTS)
        if (jdk.jfr.FlightRecorder.isInitialized()) {
            for (jdk.jfr.Recording recording : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
                if (recording.getState() == jdk.jfr.RecordingState.RUNNING && recording.getDestination() != null) {
                    recording.stop();
                }
            }
        }
        // Camel/Mongo/Jetty/socket.io may leave non-daemon threads behind: leave explicitly
        Runtime.getRuntime().halt(exit);
    }

    // ---------------------------------------------------------------- the results table

    final List<String[]> rows = new ArrayList<>();
    boolean allPass = true;

    /** A figure; {@code pass} null for one without a target of its own. */
    void row(String figure, String value, String target, double ratio, Boolean pass) {
        if (Boolean.FALSE.equals(pass)) {
            allPass = false;
        }
        rows.add(new String[] {figure, value, target, Double.isNaN(ratio) ? "" : fmt("%.2f", ratio),
            pass == null ? "" : pass ? "PASS" : "FAIL"});
    }

    /** The rows so far as a Markdown table (the next table starts empty). */
    void printTable() {
        String[] head = {"figure", "value", "target", "ratio", "result"};
        // ratio: value / target for times, heap and request counts (below 1 is good); target time / time for
        // rates (above 1 is good)
        int[] width = new int[head.length];
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("|-").append("-".repeat(w)).append('-');
        }
        for (int n = 0; n < all.size(); n++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < head.length; i++) {
                String cell = all.get(n)[i];
                boolean right = i == 3;
                line.append("| ").append(right ? " ".repeat(width[i] - cell.length()) + cell
                        : cell + " ".repeat(width[i] - cell.length())).append(' ');
            }
            say("%s|", line);
            if (n == 0) {
                say("%s|", rule);
            }
        }
        rows.clear();
    }

    // ---------------------------------------------------------------- the simulator JVM

    /**
     * A simulator main of io.avalonsync.sandbox (KitsuSimulatorMain, ShotGridSimulatorMain) in a child JVM,
     * driven over its stdin, one command a line; its protocol lines on stdout start with "SIM ", the rest is its
     * log. A subclass calls {@link #readOutput()} at the end of its constructor, then {@link #awaitReady}.
     */
    static class SimulatorChild implements AutoCloseable {
        final Process process;
        final Writer stdin;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        /** The READY line's name=value words: mongo, kitsu, events, shotgrid. */
        final Map<String, String> ready = new HashMap<>();
        String mongoUri;

        SimulatorChild(List<String> jvmOptions, String mainClass, List<String> args, ProcessBuilder.Redirect stderr)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx2g");
            command.addAll(jvmOptions);
            // e.g. a flight recording of the simulator side: BENCH_SIM_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/sim.jfr"
            String extra = System.getenv("BENCH_SIM_JAVA_OPTS");
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
            command.addAll(args);
            this.process = new ProcessBuilder(command).redirectError(stderr).start();
            CHILDREN.add(process);
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Hands the child's stdout to {@link #line} on a thread of its own, "EOF" to the replies at the end. */
        final void readOutput() {
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        line(line);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                replies.add("EOF");
            }, "bench-child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** One line of the child's stdout: a reply for {@link #next}, else its log (with the service's). */
        void line(String line) {
            if (line.startsWith("SIM ")) {
                replies.add(line.substring(4));
            } else {
                System.out.println("[sim] " + line);
            }
        }

        /** Shows the INFO lines (keys masked) as {@code label}'s and keeps the READY line's words; fails on anything else. */
        void awaitReady(String label, long seconds) throws Exception {
            while (true) {
                String line = next(seconds);
                if (line.startsWith("INFO ")) {
                    say("%s (pid %d): %s", label, process.pid(), line.substring(5).replaceAll("key=\\S+", "key=..."));
                } else if (line.startsWith("READY ")) {
                    for (String word : line.substring(6).split(" ")) {
                        int equals = word.indexOf('=');
                        if (equals > 0) {
                            ready.put(word.substring(0, equals), word.substring(equals + 1));
                        }
                    }
                    mongoUri = ready.get("mongo");
                    return;
                } else {
                    close();
                    throw new IllegalStateException("simulator did not start: " + line);
                }
            }
        }

        String next(long seconds) throws Exception {
            String line = replies.poll(seconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("simulator did not answer within " + seconds + " s");
            }
            if (line.equals("EOF")) {
                throw new IllegalStateException("simulator exited (status " + (process.isAlive() ? "?" : process.exitValue()) + ")");
            }
            return line;
        }

        void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** Sends a command and returns its answer; an ERROR answer fails. */
        synchronized String command(String command) throws Exception {
            send(command);
            String line = next(30);
            if (line.startsWith("ERROR")) {
                throw new IllegalStateException("simulator: " + line);
            }
            return line;
        }

        /** The simulator's request counts by route since the last reset. */
        synchronized Map<String, Long> routes() throws Exception {
            Map<String, Long> routes = new LinkedHashMap<>();
            String line = command("routes");
            while (!line.equals("END")) {
                // ROUTE GET /api/data/... 1
                String body = line.substring("ROUTE ".length());
                int space = body.lastIndexOf(' ');
                routes.put(body.substring(0, space), Long.parseLong(body.substring(space + 1)));
                line = next(30);
            }
            return routes;
        }

        /** Closes its stdin (the simulator exits on that), or kills it after 10 s. */
        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            CHILDREN.remove(process);
        }
    }


    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }


    static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }


    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }


    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }


    static void top(Map<String, Long> micros, double total, int n) {
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> say("      %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey()));
    }


    /** The phase of the innermost frame that a {"class.method" prefix, phase} of {@code phases} names, else null. */
    static String phase(StackTraceElement[] stack, String[][] phases) {
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName() + "." + frame.getMethodName();
            for (String[] p : phases) {
                if (name.startsWith(p[0])) {
                    return p[1];
                }
            }
        }
        return null;
    }

    /** The innermost io.avalonsync frame, else null. */
    static StackTraceElement ownFrame(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("io.avalonsync.")) {
                return frame;
            }
        }
        return null;
    }


    static String mb(long bytes) {
        return fmt("%.0f MB", bytes / (1024.0 * 1024.0));
    }


    /** Peak of the heap pools (reset per sync) and the largest heap left after any GC while measuring. */
    static final class HeapWatch {
        final List<MemoryPoolMXBean> pools = new ArrayList<>();
        final AtomicLong liveAfterGc = new AtomicLong();
        final AtomicLong totalBeforeGc = new AtomicLong();

        HeapWatch() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                    pools.add(pool);
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter) {
                    ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                            return;
                        }
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        if ("System.gc()".equals(info.getGcCause())) {
                            return;
                        }
                        // the GC's maps hold non-heap pools too: heap pools only
                        long before = 0;
                        long after = 0;
                        for (MemoryPoolMXBean pool : pools) {
                            MemoryUsage b = info.getGcInfo().getMemoryUsageBeforeGc().get(pool.getName());
                            MemoryUsage a = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                            before += b == null ? 0 : b.getUsed();
                            after += a == null ? 0 : a.getUsed();
                        }
                        totalBeforeGc.accumulateAndGet(before, Math::max);
                        liveAfterGc.accumulateAndGet(after, Math::max);
                    }, null, null);
                }
            }
        }

        void reset() {
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            liveAfterGc.set(0);
            totalBeforeGc.set(0);
        }

        /** The whole heap's real peak: it is fullest just before a GC, or now. */
        long instantPeak() {
            long now = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            return Math.max(now, totalBeforeGc.get());
        }

        long[] poolPeaks() {
            return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).toArray();
        }

        long peak() {
            return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }

        long liveAfterGc() {
            return liveAfterGc.get();
        }
    }


    static String gcNames() {
        List<String> names = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return String.join(", ", names);
    }

}
