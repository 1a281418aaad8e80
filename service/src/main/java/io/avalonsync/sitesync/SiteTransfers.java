package io.avalonsync.sitesync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongConsumer;

import com.google.api.client.http.HttpResponseException;
import io.avalonsync.sync.Progress;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed file's transfer, step by step as {@code routes/sitesync.camel.yaml} runs it: {@link #prepare} the
 * paths, {@link #locate} the Drive folder and any file of the same name, {@link #send} the content, then
 * {@link #record} the outcome, or {@link #recordFailure} what was thrown. The route decides what is retried and
 * when; these steps only throw. Thread-safe: the workers run in parallel, each with its own {@link SiteTransfer}.
 */
public final class SiteTransfers {

    /** Progress is written to the record at most this often while a file moves (DriveRemote logs it). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SiteTransfers.class);

    private final RootPaths localRoots;
    private final RootPaths remoteRoots;
    private final DriveClients clients;
    private final int chunkSize;
    private final SiteOutcomes outcomes;
    private final Duration loopDelay;
    private final int retryCount;
    private volatile DriveRemote drive;

    public SiteTransfers(RootPaths localRoots, RootPaths remoteRoots, DriveClients clients, int chunkSize,
                         SiteOutcomes outcomes, Duration loopDelay, int retryCount) {
        this.localRoots = Objects.requireNonNull(localRoots, "localRoots");
        this.remoteRoots = Objects.requireNonNull(remoteRoots, "remoteRoots");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.chunkSize = chunkSize;
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.loopDelay = Objects.requireNonNull(loopDelay, "loopDelay");
        this.retryCount = retryCount;
    }

    /** The Drive side, built on the first transfer, so that the service starts without Drive credentials. */
    private DriveRemote drive() {
        DriveRemote d = drive;
        if (d == null) {
            synchronized (this) {
                if (drive == null) {
                    drive = new DriveRemote(clients.client(), chunkSize, clients.getChunkRetries());
                }
                d = drive;
            }
        }
        return d;
    }

    /**
     * Resolves the local path and the remote folder and name ({@code sitesync.roots.*}, {@code gdrive.roots.*});
     * a root that is not configured fails here (PERMANENT), and so does an upload whose local file is missing
     * (LOCAL_MISSING), before any request to Drive.
     */
    public void prepare(@Body SiteTransfer t) throws IOException {
        FileTask task = t.getTask();
        if (task.path() == null || task.path().isBlank()) {
            throw new IllegalArgumentException("file " + task.fileId() + " of representation " + task.representationId()
                    + " in " + task.collection() + " has no path");
        }
        Path local = localRoots.local(task.path());
        t.local = local;
        if (task.direction() == Direction.UPLOAD) {
            RootPaths.RemoteFile remote = remoteRoots.remoteFile(task.path());
            t.remoteFolder = remote.folder();
            t.name = remote.name();
            if (!Files.isRegularFile(local)) {
                throw new NoSuchFileException(local.toString(), null, "local file of " + task.describe() + " is missing");
            }
        } else {
            t.name = local.getFileName().toString();
            if (task.id() == null) {
                throw new IllegalStateException("cannot download " + task.describe() + ": the " + task.sourceSite()
                        + " record has no Drive file id");
            }
        }
    }

    /**
     * Uploads: the folder (created once, whatever runs in parallel) and a file of the same name in it, asked once
     * per folder and claim round for the names of the pass. An identical one (same size and MD5) is adopted:
     * nothing will be sent.
     */
    public void locate(@Body SiteTransfer t, @ExchangeProperty(PassWork.PROPERTY) PassWork work) throws IOException {
        if (t.getTask().direction() != Direction.UPLOAD) {
            return;
        }
        DriveRemote remote = drive();
        t.folderId = remote.folder(t.getRemoteFolder());
        lookForExisting(t, work.existing(remote, t.getRemoteFolder(), t.folderId, t.getName()));
    }

    private static void lookForExisting(SiteTransfer t, DriveRemote.RemoteFile existing) throws IOException {
        t.existing = existing;
        if (existing != null && existing.md5() != null && existing.size() == Files.size(t.getLocal())
                && existing.md5().equalsIgnoreCase(DriveRemote.md5(t.getLocal()))) {
            t.adopted = true;
            t.result = existing;
        }
    }

    /**
     * Moves the content: a resumable upload (a new file, or a new revision of a different file of the same name),
     * or a download to a temp file moved into place; Drive's size and MD5 are checked against ours. Progress is
     * written to the record every few seconds. A redelivery first looks again: the previous attempt may have
     * landed although its answer was lost.
     */
    public void send(@Body SiteTransfer t, @ExchangeProperty(PassWork.PROPERTY) PassWork work,
                     @Header(Exchange.REDELIVERY_COUNTER) Integer redelivery) throws IOException {
        DriveRemote remote = drive();
        FileTask task = t.getTask();
        if (task.direction() == Direction.DOWNLOAD) {
            remote.download(task.id(), t.getLocal(), progress(task, task.size()));
            t.bytes = Files.size(t.getLocal());
            return;
        }
        if (redelivery != null && redelivery > 0) {
            lookForExisting(t, remote.find(t.folderId, t.getName()));
            if (t.adopted) {
                return;
            }
        }
        long size = Files.size(t.getLocal());
        LongConsumer progress = progress(task, size);
        t.result = t.existing != null
                ? remote.update(t.existing.id(), t.getLocal(), progress)
                : remote.upload(t.getLocal(), t.folderId, t.getName(), progress);
        t.bytes = size;
        work.uploaded(t.getRemoteFolder(), t.getName(), t.result);
    }

    /**
     * Records the file as present on its target site: {@code created_dt} (UTC), Drive id, size and MD5. The
     * record is queued and written with other finished files of the pass (at the latest when the pass ends); the
     * pass counts the file once it is written. A run killed before that leaves the file claimed but unrecorded:
     * the next run gives the claim back and adopts the identical file on Drive instead of sending it again.
     */
    public void record(@Body SiteTransfer t, @ExchangeProperty(PassWork.PROPERTY) PassWork work) {
        FileTask task = t.getTask();
        SiteSyncPass pass = work.summary();
        Instant now = Instant.now();
        Runnable lost = () -> pass.failed(FaultKind.TRANSIENT.name());
        if (task.direction() == Direction.DOWNLOAD) {
            long bytes = t.bytes;
            work.succeeded(new PassWork.Pending(new SiteOutcomes.Success(task, null, bytes, null, now), () -> {
                pass.downloaded(bytes);
                LOG.info("site sync: downloaded {} to {} ({})", task.describe(), t.getLocal(), Progress.bytesText(bytes));
            }, lost));
            return;
        }
        DriveRemote.RemoteFile r = t.result;
        boolean adopted = t.adopted;
        long bytes = t.bytes;
        work.succeeded(new PassWork.Pending(new SiteOutcomes.Success(task, r.id(), r.size(), r.md5(), now), () -> {
            if (adopted) {
                pass.adopted();
                LOG.info("site sync: {} already on Drive as {} (same size and MD5), recorded", task.describe(), r.id());
            } else {
                pass.uploaded(bytes);
                LOG.info("site sync: uploaded {} as {}/{} id {} ({})", task.describe(), t.getRemoteFolder(), t.getName(),
                        r.id(), Progress.bytesText(bytes));
            }
        }, lost));
    }

    /** onWhen of the redelivered failures: network trouble, 5xx, 429 and Drive's rate-limit 403s. */
    public boolean isTransient(@ExchangeException Exception failure) {
        return DriveFaults.kind(failure) == FaultKind.TRANSIENT;
    }

    /**
     * Records a failed attempt on the file's record ({@code $inc tries}, error, error_kind, last_failed_dt, next
     * attempt with backoff) and drops the claim. Never throws: the other files of the pass go on.
     */
    public void recordFailure(@Body SiteTransfer t, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
                              @ExchangeProperty(PassWork.PROPERTY) PassWork work) {
        FaultKind kind = DriveFaults.kind(cause);
        String error = DriveFaults.describe(cause);
        FileTask task = t.getTask();
        work.summary().failed(kind.name());
        // a folder removed on Drive: look it up (and make it) again next time
        HttpResponseException http = find(cause, HttpResponseException.class);
        DriveRemote remote = drive;
        if (http != null && http.getStatusCode() == 404 && t.getRemoteFolder() != null && remote != null) {
            remote.forget(t.getRemoteFolder());
            work.forget(t.getRemoteFolder());
        }
        try {
            int tries = outcomes.failed(task, error, kind.name(), Instant.now(), loopDelay);
            LOG.warn("site sync: {} failed ({}, attempt {} of {}): {}", task.describe(), kind, tries, retryCount, error);
        } catch (RuntimeException e) {
            LOG.error("site sync: {} failed ({}: {}) and the failure could not be recorded: {}", task.describe(), kind,
                    error, DriveFaults.describe(e));
        }
    }

    /** Writes the share sent to the file's record now and then; the log line with bytes/s and ETA is DriveRemote's. */
    private LongConsumer progress(FileTask task, long total) {
        long[] last = {System.nanoTime()};
        return sent -> {
            long now = System.nanoTime();
            if (now - last[0] < PROGRESS_EVERY.toNanos() || total <= 0 || sent >= total) {
                return;
            }
            last[0] = now;
            double fraction = Math.min(1.0, sent / (double) total);
            try {
                outcomes.progress(task, fraction);
            } catch (RuntimeException e) {
                LOG.debug("site sync: progress of {} not written: {}", task.describe(), e.toString());
            }
        };
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
