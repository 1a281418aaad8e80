package io.avalonsync.sitesync;

/** Which way a file travels between the active (local) site and the remote site. */
public enum Direction {
    /** Active site → remote site; the remote site's record is written. */
    UPLOAD,
    /** Remote site → active site; the active site's record is written. */
    DOWNLOAD
}
