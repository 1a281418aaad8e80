package io.avalonsync.sitesync;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One claimed file's transfer, the body of the exchange that carries it through {@code sitesync-transfer}: the
 * file to move, where it comes from and goes to ({@link SiteTransfers#prepare}), and what was found on the way.
 * Written by one worker thread at a time; a redelivery sees what the failed attempt found.
 */
public final class SiteTransfer {

    private final FileTask task;
    volatile Path local;
    volatile String remoteFolder;
    volatile String name;
    volatile String folderId;
    volatile DriveRemote.RemoteFile existing;
    volatile boolean adopted;
    volatile DriveRemote.RemoteFile result;
    volatile long bytes;

    public SiteTransfer(FileTask task) {
        this.task = Objects.requireNonNull(task, "task");
    }

    public FileTask getTask() {
        return task;
    }

    /** The local file, once prepared. */
    public Path getLocal() {
        return local;
    }

    /** Uploads: the folder on Drive, e.g. {@code /My Drive/work/Test/Assets/Cylinder/publish/look/lookMain/v010}. */
    public String getRemoteFolder() {
        return remoteFolder;
    }

    public String getName() {
        return name;
    }

    /** An identical file was already on Drive: nothing to send. */
    public boolean isAdopted() {
        return adopted;
    }

    @Override
    public String toString() {
        return task.describe() + (local == null ? "" : " [" + local + " <-> " + remoteFolder + "/" + name + "]");
    }
}
