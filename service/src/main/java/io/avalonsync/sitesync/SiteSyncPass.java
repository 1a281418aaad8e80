package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.avalonsync.sync.Progress;

/**
 * What one site sync pass did: the out body of {@code direct:sitesync-run}. Counters are updated from the parallel
 * transfer threads, so they are atomic; read them once the pass is over.
 */
public final class SiteSyncPass {

    private final Instant started;
    private volatile Instant finished;
    private final AtomicLong selected = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong adopted = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    /** A long pass logs files done of those selected so far, bytes/s and the ETA (sync.progress-interval). */
    private final Progress progress = Progress.start("site sync pass").phase("done", "files", 0, "files");

    public SiteSyncPass(Instant started) {
        this.started = started;
    }

    void selected(int count) {
        selected.addAndGet(count);
        progress.expect(count);
    }

    void claimed(int count) {
        claimed.addAndGet(count);
    }

    void uploaded(long size) {
        uploaded.incrementAndGet();
        bytes.addAndGet(Math.max(0, size));
        progress.advance(1, Math.max(0, size));
    }

    void downloaded(long size) {
        downloaded.incrementAndGet();
        bytes.addAndGet(Math.max(0, size));
        progress.advance(1, Math.max(0, size));
    }

    void adopted() {
        adopted.incrementAndGet();
        progress.advance(1);
    }

    void failed(String kind) {
        failed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        progress.advance(1);
    }

    void finish(Instant at) {
        finished = at;
    }

    /** Files found due (before claiming). */
    public long getSelected() {
        return selected.get();
    }

    /** Files this pass claimed; the others were taken by another run in the meantime. */
    public long getClaimed() {
        return claimed.get();
    }

    public long getUploaded() {
        return uploaded.get();
    }

    public long getDownloaded() {
        return downloaded.get();
    }

    /** Uploads found already on Drive with the same size and MD5: recorded without sending a byte. */
    public long getAdopted() {
        return adopted.get();
    }

    /** Bytes uploaded plus bytes downloaded. */
    public long getBytes() {
        return bytes.get();
    }

    /** Failed transfers by kind (TRANSIENT, PERMANENT, LOCAL_MISSING, CONFLICT). */
    public Map<String, Long> getFailed() {
        Map<String, Long> out = new TreeMap<>();
        failed.forEach((kind, count) -> out.put(kind, count.get()));
        return out;
    }

    public long getFailedTotal() {
        return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** When the pass started (no bean-style getter: the pass is serialised as JSON by POST /sitesync/run). */
    public Instant started() {
        return started;
    }

    /** When the pass ended, null while it runs. */
    public Instant finished() {
        return finished;
    }

    public long getDurationMillis() {
        Instant end = finished == null ? Instant.now() : finished;
        return Duration.between(started, end).toMillis();
    }

    /** True when the pass found nothing to do. */
    public boolean isIdle() {
        return getSelected() == 0;
    }

    @Override
    public String toString() {
        long ms = Math.max(1, getDurationMillis());
        return String.format("site sync pass: selected %d, claimed %d, uploaded %d, downloaded %d, adopted %d, %s"
                        + " (%s/s), failed %s, %d ms", getSelected(), getClaimed(), getUploaded(), getDownloaded(),
                getAdopted(), Progress.bytesText(getBytes()), Progress.bytesText(getBytes() * 1000 / ms), getFailed(), ms);
    }

}
