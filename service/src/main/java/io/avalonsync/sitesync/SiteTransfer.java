package io.avalonsync.sitesync;

import java.nio.file.Path;

/**
 * One file's transfer as it goes through the steps of {@code sitesync-transfer} (exchange property
 * {@code siteSyncTransfer}): where it comes from and goes to, and what was found on the way.
 */
public final class SiteTransfer {

    private final FileTask task;
    private final Path local;
    private final String remoteFolder;
    private final String name;
    volatile String folderId;
    volatile DriveRemote.RemoteFile existing;
    volatile boolean adopted;
    volatile DriveRemote.RemoteFile result;
    volatile long bytes;

    SiteTransfer(FileTask task, Path local, String remoteFolder, String name) {
        this.task = task;
        this.local = local;
        this.remoteFolder = remoteFolder;
        this.name = name;
    }

    public FileTask getTask() {
        return task;
    }

    public Path getLocal() {
        return local;
    }

    /** e.g. {@code /My Drive/work/Test/Assets/Cylinder/publish/look/lookMain/v010}. */
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
        return task.describe() + " [" + local + " <-> " + remoteFolder + "/" + name + "]";
    }
}
