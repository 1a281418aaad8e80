package io.avalonsync.sitesync;

/** How a failed transfer should be handled. */
public enum FaultKind {

    /** Worth retrying soon: network trouble, server errors, rate limits. */
    TRANSIENT,

    /** Retrying will not help until someone changes something: permissions, quota, bad request, gone. */
    PERMANENT,

    /** The local file to send is not there (yet, or any more); no network was used. */
    LOCAL_MISSING,

    /** The remote side holds different content under the same name and overwriting is not allowed. */
    CONFLICT
}
