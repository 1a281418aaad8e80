package io.avalonsync.sitesync;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one site sync pass, the exchange property {@value #PROPERTY} of {@code routes/sitesync.camel.yaml}
 * (made by {@link SitePasses#start}): its projects and directions ({@link #getBatches()}), the files it has taken,
 * the transfers handed to the workers and not back yet, the finished files waiting to be recorded (written
 * together), what Drive already holds in each folder the pass uploads to (asked once per folder and claim round),
 * and its summary ({@link #summary()}). Thread-safe: the transfers run on the workers' threads.
 */
public final class PassWork {

    /** The exchange property holding the pass's state in the routes. */
    public static final String PROPERTY = "passWork";

    /** Finished files are written once this many wait... */
    static final int RECORD_BATCH = 25;
    /** ...or the oldest has waited this long (checked whenever one more finishes; the pass's end writes the rest). */
    static final long RECORD_AFTER_NANOS = 2_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(PassWork.class);

    /** One finished file: {@code recorded} runs once it is written, {@code lost} when it could not be. */
    record Pending(SiteOutcomes.Success success, Runnable recorded, Runnable lost) {
    }

    private final SiteOutcomes outcomes;
    private final SiteSyncPass summary;
    private final List<PassBatch> batches;
    private final Object lock = new Object();
    private final Object writing = new Object();
    // one thread writes the groups while the workers go on; it ends when idle, so a pass that failed leaves none
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "sitesync-records");
                thread.setDaemon(true);
                return thread;
            });
    private List<Pending> pending = new ArrayList<>();
    private long oldestNanos;
    // the pass has ended (a stopping service ends it without waiting for its transfers): late files are written at once
    private boolean closed;

    // remote folder path -> name -> the listing that asks Drive for it (one per folder and claim round)
    private final Map<String, Map<String, Listing>> expected = new ConcurrentHashMap<>();
    // files taken by the pass (a file is transferred at most once per pass) and those still with the workers
    private final Set<List<Object>> taken = ConcurrentHashMap.newKeySet();
    private final Object transfers = new Object();
    private int inFlight;

    PassWork(SiteOutcomes outcomes, SiteSyncPass summary, List<PassBatch> batches) {
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.summary = Objects.requireNonNull(summary, "summary");
        this.batches = List.copyOf(batches);
    }

    /** Every project, uploads then downloads; none when the service was stopping as the pass started. */
    public List<PassBatch> getBatches() {
        return batches;
    }

    /** What the pass did so far: the out body of {@code direct:sitesync-run} once it ended. */
    public SiteSyncPass summary() {
        return summary;
    }

    // ------------------------------------------------------------------------------------------------ the feed

    /**
     * The next claim round of a project and direction: up to {@code n} files, from what the last selection read
     * ahead; when that is used up, {@code select} is asked again (for several rounds' worth, so a long queue costs
     * one selection per few rounds, not one per round). Empty once a selection finds nothing new, and then the
     * batch has no more. Read-ahead files are claimed only in their own round, with the claim's own checks, so one
     * that another node took meanwhile is skipped there.
     */
    List<FileTask> nextRound(PassBatch batch, int n, Supplier<List<FileTask>> select) {
        ArrayDeque<FileTask> ahead = batch.ahead();
        if (ahead.isEmpty()) {
            ahead.addAll(takeNew(select.get()));
        }
        List<FileTask> round = new ArrayList<>();
        while (round.size() < n && !ahead.isEmpty()) {
            round.add(ahead.poll());
        }
        if (round.isEmpty()) {
            batch.done();
        }
        return round;
    }

    /** The tasks not taken by the pass before; they count as taken from now on. */
    List<FileTask> takeNew(List<FileTask> due) {
        List<FileTask> out = new ArrayList<>();
        for (FileTask t : due) {
            if (taken.add(List.of(t.collection(), t.representationId(), t.fileId(), t.site()))) {
                out.add(t);
            }
        }
        return out;
    }

    /** {@code n} claimed files go to the workers. */
    void handedOver(int n) {
        synchronized (transfers) {
            inFlight += n;
        }
    }

    /** One of them is back (done or failed). */
    void transferred() {
        synchronized (transfers) {
            inFlight--;
            if (inFlight <= 0) {
                transfers.notifyAll();
            }
        }
    }

    int inFlight() {
        synchronized (transfers) {
            return inFlight;
        }
    }

    /** Waits until every file handed over is back; false when {@code stopping} said to give up first. */
    boolean awaitTransfers(BooleanSupplier stopping) throws InterruptedException {
        synchronized (transfers) {
            while (inFlight > 0) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                transfers.wait(1000);
            }
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------ success records

    /**
     * Queues a finished file; when the queue is long or old enough, the pass's writer thread writes it, so the
     * transfer worker goes on to its next file at once.
     */
    void succeeded(Pending p) {
        boolean write;
        boolean late;
        synchronized (lock) {
            if (pending.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            pending.add(p);
            late = closed;
            write = pending.size() >= RECORD_BATCH || System.nanoTime() - oldestNanos >= RECORD_AFTER_NANOS;
        }
        if (late) {
            // nobody flushes after the pass: recorded on the transfer's own thread, before its exchange completes,
            // so a graceful stop (which waits for running transfers) records it before it returns
            flush();
        } else if (write) {
            try {
                writer.execute(this::flush);
            } catch (RejectedExecutionException e) {
                flush(); // the pass has ended (it waits for its transfers, so this is a late straggler)
            }
        }
    }

    /**
     * Writes every queued file now (one bulk write), after any write under way; files of a failed write are
     * retried one by one.
     */
    void flush() {
        synchronized (writing) {
            write();
        }
    }

    /**
     * The pass ends: writes what is queued, after the writer thread's writes. Files that finish later (a pass that
     * stopped waiting because the service stops) are written as each finishes.
     */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("site sync: success records still being written after a minute; the pass ends anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private void write() {
        List<Pending> batch;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
        }
        try {
            outcomes.succeeded(batch.stream().map(Pending::success).toList());
        } catch (RuntimeException e) {
            LOG.warn("site sync: recording {} finished file(s) together failed ({}); recording them one by one",
                    batch.size(), DriveFaults.describe(e));
            for (Pending p : batch) {
                SiteOutcomes.Success s = p.success();
                try {
                    outcomes.succeeded(s.task(), s.remoteId(), s.size(), s.md5(), s.at());
                } catch (RuntimeException one) {
                    // its claim stays until the lease ends or this node restarts; then the copy on Drive is adopted
                    LOG.error("site sync: {} is done but could not be recorded: {}", s.task().describe(),
                            DriveFaults.describe(one));
                    p.lost().run();
                    continue;
                }
                p.recorded().run();
            }
            return;
        }
        batch.forEach(p -> p.recorded().run());
    }

    // ------------------------------------------------------------------------------------------ folder listings

    /**
     * Notes the names one claim round uploads into each remote folder: the first of those uploads asks Drive
     * for all of them at once. A name claimed in a later round is asked with that round's names.
     */
    void expect(Map<String, Set<String>> namesByFolder) {
        namesByFolder.forEach((folderPath, names) -> {
            Listing listing = new Listing(Set.copyOf(names));
            Map<String, Listing> byName = expected.computeIfAbsent(folderPath, k -> new ConcurrentHashMap<>());
            names.forEach(name -> byName.put(name, listing));
        });
    }

    /**
     * The oldest live file called {@code name} in the folder, or null: answered by the listing of the name's claim
     * round (a name not announced with {@link #expect} is asked on its own).
     */
    DriveRemote.RemoteFile existing(DriveRemote drive, String folderPath, String folderId, String name)
            throws IOException {
        Map<String, Listing> byName = expected.get(folderPath);
        Listing listing = byName == null ? null : byName.get(name);
        if (listing == null) {
            return drive.find(folderId, name);
        }
        return listing.get(drive, folderPath, folderId).get(name);
    }

    /** A file this pass put on Drive: later uploads of the same name in the pass see it. */
    void uploaded(String folderPath, String name, DriveRemote.RemoteFile file) {
        Map<String, Listing> byName = expected.get(folderPath);
        Listing listing = byName == null ? null : byName.get(name);
        if (listing != null) {
            listing.uploaded(name, file);
        }
    }

    /** Forgets what was listed in a folder (removed on Drive, say): its uploads ask Drive again, one by one. */
    void forget(String folderPath) {
        expected.remove(folderPath);
    }

    /** What Drive holds of some names in one folder, asked once (a failed ask is not kept: the next caller asks). */
    private static final class Listing {
        private final Set<String> names;
        private final AtomicReference<CompletableFuture<Map<String, DriveRemote.RemoteFile>>> answer = new AtomicReference<>();

        Listing(Set<String> names) {
            this.names = names;
        }

        Map<String, DriveRemote.RemoteFile> get(DriveRemote drive, String folderPath, String folderId) throws IOException {
            CompletableFuture<Map<String, DriveRemote.RemoteFile>> mine = new CompletableFuture<>();
            CompletableFuture<Map<String, DriveRemote.RemoteFile>> current = answer.compareAndExchange(null, mine);
            if (current == null) {
                current = mine;
                try {
                    mine.complete(new ConcurrentHashMap<>(drive.find(folderId, names)));
                } catch (IOException | RuntimeException e) {
                    answer.compareAndSet(mine, null);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                return current.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while listing " + folderPath, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("listing " + folderPath + " failed: " + e.getCause(), e.getCause());
            }
        }

        void uploaded(String name, DriveRemote.RemoteFile file) {
            CompletableFuture<Map<String, DriveRemote.RemoteFile>> done = answer.get();
            if (done != null && done.isDone() && !done.isCompletedExceptionally()) {
                done.join().putIfAbsent(name, file);
            }
        }
    }
}
