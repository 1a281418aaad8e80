// What the benchmarks share: child processes, formatting, GC counters and the heap watch. bench/run compiles
// every bench/*.java together, and each benchmark extends this class to use these by their simple names.

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

abstract class BenchSupport {

    /** Where the figures go; a benchmark that sends the service's log elsewhere keeps the terminal here. */
    static java.io.PrintStream console = System.out;

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
