package io.avalonsync.sitesync;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import com.google.api.client.http.HttpResponseException;
import io.avalonsync.sync.Progress;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the site sync routes ({@code routes/sitesync.camel.yaml}, bean {@code siteSync}): select and claim
 * a pass's files, then per file resolve paths, find or create the folder, adopt an identical remote file or send
 * the content, and record the outcome on the file's site record. The routes decide what is retried and when;
 * these steps only throw, and {@link #failed} records what was thrown.
 * <p>
 * Thread-safe: the transfer steps run on the split's parallel threads; per-file state lives in the exchange.
 */
public class SiteSyncSteps {

    public static final String PASS = "siteSyncPass";
    public static final String TRANSFER = "siteSyncTransfer";
    public static final String WORK = "siteSyncWork";
    public static final String BATCH = "siteSyncBatch";
    public static final String MORE = "siteSyncMore";
    /** Progress is written to the record at most this often while a file moves (DriveRemote logs it). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /** Claim rounds of batch-size files one selection reads. */
    static final int READ_AHEAD_ROUNDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SiteSyncSteps.class);

    /** One project and direction of a pass. */
    public record Batch(String collection, Direction direction) {
    }

    private final SiteFiles files;
    private final RootPaths localRoots;
    private final RootPaths remoteRoots;
    private final DriveClients clients;
    private final int chunkSize;
    private final String node;
    private final Duration lease;
    private final Duration loopDelay;
    private final int batchSize;
    private final AtomicBoolean recovered = new AtomicBoolean();
    private volatile DriveRemote drive;

    public SiteSyncSteps(SiteFiles files, RootPaths localRoots, RootPaths remoteRoots, DriveClients clients,
                         int chunkSize, String node, Duration lease, Duration loopDelay, int batchSize) {
        this.files = Objects.requireNonNull(files, "files");
        this.localRoots = Objects.requireNonNull(localRoots, "localRoots");
        this.remoteRoots = Objects.requireNonNull(remoteRoots, "remoteRoots");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.chunkSize = chunkSize;
        this.node = Objects.requireNonNull(node, "node");
        this.lease = lease;
        this.loopDelay = loopDelay;
        this.batchSize = batchSize;
    }

    /** {@code <sitesync.local-id>@<host>}: stable across restarts of this service on this machine. */
    public static String nodeId(String localId) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "localhost");
        }
        return localId + "@" + host;
    }

    public String node() {
        return node;
    }

    public SiteFiles files() {
        return files;
    }

    /** The Drive side, built on first use so that the service starts without Drive credentials. */
    public DriveRemote drive() {
        DriveRemote d = drive;
        if (d == null) {
            synchronized (this) {
                if (drive == null) {
                    drive = new DriveRemote(clients.client(), chunkSize);
                }
                d = drive;
            }
        }
        return d;
    }

    // ------------------------------------------------------------------------------------------------ the pass

    /**
     * Starts a pass: a fresh {@link SiteSyncPass} in the exchange property {@value #PASS}; the body becomes the
     * batches (every project, uploads then downloads), none while the service stops. The first pass of this process gives back the claims a
     * killed earlier run of this node left behind, so their files are picked up at once.
     */
    public List<Batch> start(Exchange exchange) {
        exchange.setProperty(PASS, new SiteSyncPass(Instant.now()));
        exchange.setProperty(WORK, new PassWork(files));
        if (exchange.getContext().isStopping()) {
            // a request queued behind the last pass: answered at once, nothing is claimed
            LOG.info("site sync: pass not started, the service is stopping");
            return List.of();
        }
        List<String> projects = files.projects();
        if (recovered.compareAndSet(false, true)) {
            for (String project : projects) {
                long released = files.releaseClaims(project, node);
                if (released > 0) {
                    LOG.info("site sync: released {} claim(s) of {} left by an earlier run of {}", released, project, node);
                }
            }
        }
        List<Batch> batches = new ArrayList<>();
        for (String project : projects) {
            batches.add(new Batch(project, Direction.UPLOAD));
            batches.add(new Batch(project, Direction.DOWNLOAD));
        }
        return batches;
    }

    /** Starts one project and direction of the pass: {@value #BATCH} and {@value #MORE} (true) on the exchange. */
    public void batch(Exchange exchange, Batch batch) {
        exchange.setProperty(BATCH, batch);
        exchange.setProperty(MORE, true);
        work(exchange).newBatch();
    }

    /**
     * Selects up to batch-size due files of the current batch that this pass has not taken yet; the body becomes
     * their tasks, claimed together next. When nothing new is due, {@value #MORE} turns false and the batch ends.
     * A file is taken once per pass, so a failure whose backoff ends within the pass waits for the next one.
     * Each selection reads {@value #READ_AHEAD_ROUNDS} rounds ahead: it scans the project's representations,
     * which costs the same for 50 files as for 500.
     */
    public List<FileTask> due(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        SiteSyncPass pass = pass(exchange);
        List<FileTask> due = List.of();
        if (batch != null) {
            try {
                due = work(exchange).nextRound(batchSize, () -> files.due(batch.collection(), batch.direction(),
                        batchSize * READ_AHEAD_ROUNDS, Instant.now()));
            } catch (RuntimeException e) {
                // one project's trouble must not stop the others
                LOG.error("site sync: cannot select {}s of {}: {}", batch.direction().name().toLowerCase(),
                        batch.collection(), DriveFaults.describe(e));
            }
        }
        if (due.isEmpty()) {
            exchange.setProperty(MORE, false);
        }
        pass.selected(due.size());
        return due;
    }

    /**
     * Claims the selected files for this node, one write per representation; the body becomes the files this
     * node got (another run or node may hold some, or have finished them). The uploads' names are noted per
     * remote folder, so that each folder is asked once for what it already holds.
     */
    public List<FileTask> claim(Exchange exchange, List<FileTask> due) {
        if (due.isEmpty()) {
            return due;
        }
        List<FileTask> claimed;
        try {
            claimed = files.claim(due, node, lease, Instant.now());
        } catch (RuntimeException e) {
            // not ours: nothing to record on the files (that would touch another node's claim); a later pass tries
            LOG.error("site sync: cannot claim {} file(s) of {}: {}", due.size(), due.get(0).collection(),
                    DriveFaults.describe(e));
            return List.of();
        }
        pass(exchange).claimed(claimed.size());
        PassWork work = work(exchange);
        work.handedOver(claimed.size());
        Map<String, Set<String>> names = new HashMap<>();
        for (FileTask task : claimed) {
            if (task.direction() == Direction.UPLOAD && task.path() != null && !task.path().isBlank()) {
                try {
                    RootPaths.RemoteFile remote = remoteRoots.remoteFile(task.path());
                    names.computeIfAbsent(remote.folder(), k -> new HashSet<>()).add(remote.name());
                } catch (RuntimeException e) {
                    // a root that is not configured: prepare fails this file and records why
                }
            }
        }
        work.expect(names);
        return claimed;
    }

    /** A file handed over by {@link #claim} is back from the workers, done or failed. */
    public void transferred(Exchange exchange) {
        PassWork work = exchange.getProperty(WORK, PassWork.class);
        if (work != null) {
            work.transferred();
        }
    }

    /**
     * Waits until every file the pass handed over is back from the workers, then writes the finished files not
     * yet recorded. Gives up waiting when the service stops (the files still queued keep their claims until
     * SiteSyncShutdown gives back what this node holds once the routes are down).
     */
    public void await(Exchange exchange) throws InterruptedException {
        PassWork work = work(exchange);
        if (!work.awaitTransfers(() -> exchange.getContext().isStopping() || exchange.getContext().isStopped())) {
            LOG.warn("site sync: the service stops; {} transfer(s) of this pass not waited for", work.inFlight());
        }
        work.close();
    }

    /** Ends a pass: logs and returns the summary. */
    public SiteSyncPass finish(Exchange exchange) {
        SiteSyncPass pass = pass(exchange);
        work(exchange).flush();
        pass.finish(Instant.now());
        if (pass.isIdle()) {
            LOG.debug("{}", pass);
        } else {
            LOG.info("{}", pass);
        }
        return pass;
    }

    // -------------------------------------------------------------------------------------------- one transfer

    /**
     * Resolves the local path and the remote folder and name ({@code sitesync.roots.*}, {@code gdrive.roots.*});
     * a root that is not configured fails here (PERMANENT), and so does an upload whose local file is missing
     * (LOCAL_MISSING), before any request to Drive.
     */
    public void prepare(Exchange exchange, FileTask task) throws IOException {
        exchange.removeProperty(TRANSFER);
        if (task.path() == null || task.path().isBlank()) {
            throw new IllegalArgumentException("file " + task.fileId() + " of representation " + task.representationId()
                    + " in " + task.collection() + " has no path");
        }
        Path local = localRoots.local(task.path());
        SiteTransfer transfer;
        if (task.direction() == Direction.UPLOAD) {
            RootPaths.RemoteFile remote = remoteRoots.remoteFile(task.path());
            transfer = new SiteTransfer(task, local, remote.folder(), remote.name());
            exchange.setProperty(TRANSFER, transfer);
            if (!Files.isRegularFile(local)) {
                throw new NoSuchFileException(local.toString(), null, "local file of " + task.describe() + " is missing");
            }
        } else {
            transfer = new SiteTransfer(task, local, null, local.getFileName().toString());
            exchange.setProperty(TRANSFER, transfer);
            if (task.id() == null) {
                throw new IllegalStateException("cannot download " + task.describe() + ": the " + task.sourceSite()
                        + " record has no Drive file id");
            }
        }
    }

    /**
     * Uploads: the folder (created once, whatever runs in parallel) and a file of the same name in it. An identical
     * one (same size and MD5) is adopted: nothing will be sent.
     */
    public void locate(Exchange exchange) throws IOException {
        SiteTransfer t = transfer(exchange);
        if (t.getTask().direction() != Direction.UPLOAD) {
            return;
        }
        t.folderId = drive().folder(t.getRemoteFolder());
        lookForExisting(t, work(exchange).existing(drive(), t.getRemoteFolder(), t.folderId, t.getName()));
    }

    private void lookForExisting(SiteTransfer t, DriveRemote.RemoteFile existing) throws IOException {
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
    public void send(Exchange exchange) throws IOException {
        SiteTransfer t = transfer(exchange);
        FileTask task = t.getTask();
        if (task.direction() == Direction.DOWNLOAD) {
            long size = task.size();
            drive().download(task.id(), t.getLocal(), progress(task, size));
            t.bytes = Files.size(t.getLocal());
            return;
        }
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (redelivery > 0) {
            lookForExisting(t, drive().find(t.folderId, t.getName()));
            if (t.adopted) {
                return;
            }
        }
        long size = Files.size(t.getLocal());
        LongConsumer progress = progress(task, size);
        t.result = t.existing != null
                ? drive().update(t.existing.id(), t.getLocal(), progress)
                : drive().upload(t.getLocal(), t.folderId, t.getName(), progress);
        t.bytes = size;
        work(exchange).uploaded(t.getRemoteFolder(), t.getName(), t.result);
    }

    /**
     * Records the file as present on its target site: {@code created_dt} (UTC), Drive id, size and MD5. The
     * record is queued and written with other finished files of the pass (at the latest when the pass ends); the
     * pass counts the file once it is written. A run killed before that leaves the file claimed but unrecorded:
     * the next run gives the claim back and adopts the identical file on Drive instead of sending it again.
     */
    public void succeeded(Exchange exchange) {
        SiteTransfer t = transfer(exchange);
        FileTask task = t.getTask();
        SiteSyncPass pass = pass(exchange);
        Instant now = Instant.now();
        Runnable lost = () -> pass.failed(FaultKind.TRANSIENT.name());
        if (task.direction() == Direction.DOWNLOAD) {
            long bytes = t.bytes;
            record(exchange, new PassWork.Pending(new SiteFiles.Success(task, null, bytes, null, now), () -> {
                pass.downloaded(bytes);
                LOG.info("site sync: downloaded {} to {} ({})", task.describe(), t.getLocal(), Progress.bytesText(bytes));
            }, lost));
            return;
        }
        DriveRemote.RemoteFile r = t.result;
        boolean adopted = t.adopted;
        long bytes = t.bytes;
        record(exchange, new PassWork.Pending(new SiteFiles.Success(task, r.id(), r.size(), r.md5(), now), () -> {
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

    // ------------------------------------------------------------------------------------------------ failures

    /** onWhen of the redelivered failures: network trouble, 5xx, 429 and Drive's rate-limit 403s. */
    public boolean isTransient(Exchange exchange) {
        return DriveFaults.kind(caught(exchange)) == FaultKind.TRANSIENT;
    }

    /**
     * Records a failed attempt on the file's record ({@code $inc tries}, error, error_kind, last_failed_dt, next
     * attempt with backoff) and drops the claim. Never throws: the other files of the pass go on.
     */
    public void failed(Exchange exchange) {
        Throwable cause = caught(exchange);
        FaultKind kind = DriveFaults.kind(cause);
        String error = DriveFaults.describe(cause);
        SiteTransfer t = exchange.getProperty(TRANSFER, SiteTransfer.class);
        FileTask task = t != null ? t.getTask() : exchange.getIn().getBody(FileTask.class);
        SiteSyncPass pass = exchange.getProperty(PASS, SiteSyncPass.class);
        if (pass != null) {
            pass.failed(kind.name());
        }
        if (task == null) {
            LOG.error("site sync: a transfer failed before its file was known: {}", error);
            return;
        }
        // a folder removed on Drive: look it up (and make it) again next time
        HttpResponseException http = find(cause, HttpResponseException.class);
        if (http != null && http.getStatusCode() == 404 && t != null && t.getRemoteFolder() != null && drive != null) {
            drive.forget(t.getRemoteFolder());
            PassWork work = exchange.getProperty(WORK, PassWork.class);
            if (work != null) {
                work.forget(t.getRemoteFolder());
            }
        }
        try {
            int tries = files.failed(task, error, kind.name(), Instant.now(), loopDelay);
            LOG.warn("site sync: {} failed ({}, attempt {} of {}): {}", task.describe(), kind, tries,
                    files.retryCount(), error);
        } catch (RuntimeException e) {
            LOG.error("site sync: {} failed ({}: {}) and the failure could not be recorded: {}", task.describe(), kind,
                    error, DriveFaults.describe(e));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

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
                files.progress(task, fraction);
            } catch (RuntimeException e) {
                LOG.debug("site sync: progress of {} not written: {}", task.describe(), e.toString());
            }
        };
    }

    private static Throwable caught(Exchange exchange) {
        Throwable cause = exchange.getException();
        if (cause == null) {
            cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return cause;
    }

    private static SiteSyncPass pass(Exchange exchange) {
        SiteSyncPass pass = exchange.getProperty(PASS, SiteSyncPass.class);
        if (pass == null) {
            pass = new SiteSyncPass(Instant.now());
            exchange.setProperty(PASS, pass);
        }
        return pass;
    }

    // a transfer outside a pass (no shared work) is written at once
    private void record(Exchange exchange, PassWork.Pending pending) {
        PassWork shared = exchange.getProperty(WORK, PassWork.class);
        PassWork work = shared != null ? shared : new PassWork(files);
        work.succeeded(pending);
        if (shared == null) {
            work.flush();
        }
    }

    private PassWork work(Exchange exchange) {
        PassWork work = exchange.getProperty(WORK, PassWork.class);
        if (work == null) {
            work = new PassWork(files);
            exchange.setProperty(WORK, work);
        }
        return work;
    }

    private static SiteTransfer transfer(Exchange exchange) {
        SiteTransfer t = exchange.getProperty(TRANSFER, SiteTransfer.class);
        if (t == null) {
            throw new IllegalStateException("no " + TRANSFER + " on the exchange: siteSync.prepare must run first");
        }
        return t;
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
