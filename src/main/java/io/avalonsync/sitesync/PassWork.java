package io.avalonsync.sitesync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transfers of one pass share (exchange property {@code siteSyncWork}): the finished files waiting to
 * be recorded, written together, and what Drive already holds in each folder the pass uploads to, asked once per
 * folder. Thread-safe: the transfers run on the split's parallel threads.
 */
final class PassWork {

    /** Finished files are written once this many wait... */
    static final int RECORD_BATCH = 25;
    /** ...or the oldest has waited this long (checked whenever one more finishes; the pass's end writes the rest). */
    static final long RECORD_AFTER_NANOS = 2_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(PassWork.class);

    /** One finished file: {@code recorded} runs once it is written, {@code lost} when it could not be. */
    record Pending(SiteFiles.Success success, Runnable recorded, Runnable lost) {
    }

    private final SiteFiles files;
    private final Object lock = new Object();
    private List<Pending> pending = new ArrayList<>();
    private long oldestNanos;

    // remote folder path -> the names the pass's uploads will look for there
    private final Map<String, Set<String>> expected = new ConcurrentHashMap<>();
    // remote folder path -> name -> the oldest live file of that name (filled once per folder)
    private final Map<String, CompletableFuture<Map<String, DriveRemote.RemoteFile>>> listings = new ConcurrentHashMap<>();

    PassWork(SiteFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    // ------------------------------------------------------------------------------------------ success records

    /** Queues a finished file; writes the queue when it is long or old enough. */
    void succeeded(Pending p) {
        boolean write;
        synchronized (lock) {
            if (pending.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            pending.add(p);
            write = pending.size() >= RECORD_BATCH || System.nanoTime() - oldestNanos >= RECORD_AFTER_NANOS;
        }
        if (write) {
            flush();
        }
    }

    /** Writes every queued file now (one bulk write); files of a failed write are retried one by one. */
    void flush() {
        List<Pending> batch;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
        }
        try {
            files.succeeded(batch.stream().map(Pending::success).toList());
        } catch (RuntimeException e) {
            LOG.warn("site sync: recording {} finished file(s) together failed ({}); recording them one by one",
                    batch.size(), DriveFaults.describe(e));
            for (Pending p : batch) {
                SiteFiles.Success s = p.success();
                try {
                    files.succeeded(s.task(), s.remoteId(), s.size(), s.md5(), s.at());
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

    /** Notes that an upload of the pass will look for {@code name} in the remote folder. */
    void expect(String folderPath, String name) {
        expected.computeIfAbsent(folderPath, k -> ConcurrentHashMap.newKeySet()).add(name);
    }

    /**
     * The oldest live file called {@code name} in the folder, or null: the pass asks Drive once per folder for
     * every name its uploads expect there (a name not announced with {@link #expect} is asked on its own).
     */
    DriveRemote.RemoteFile existing(DriveRemote drive, String folderPath, String folderId, String name)
            throws IOException {
        Set<String> names = expected.get(folderPath);
        if (names == null || !names.contains(name)) {
            return drive.find(folderId, name);
        }
        CompletableFuture<Map<String, DriveRemote.RemoteFile>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, DriveRemote.RemoteFile>> listing = listings.putIfAbsent(folderPath, mine);
        if (listing == null) {
            listing = mine;
            try {
                mine.complete(new ConcurrentHashMap<>(drive.find(folderId, names)));
            } catch (IOException | RuntimeException e) {
                // not cached: the next caller (or the redelivery) asks again
                listings.remove(folderPath, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return listing.get().get(name);
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

    /** A file this pass put on Drive: later uploads of the same name in the pass see it. */
    void uploaded(String folderPath, String name, DriveRemote.RemoteFile file) {
        CompletableFuture<Map<String, DriveRemote.RemoteFile>> listing = listings.get(folderPath);
        if (listing != null && listing.isDone() && !listing.isCompletedExceptionally()) {
            listing.join().putIfAbsent(name, file);
        }
    }

    /** Forgets what was listed in a folder (removed on Drive, say). */
    void forget(String folderPath) {
        listings.remove(folderPath);
    }
}
