package io.avalonsync.sync;

import java.time.Instant;

/**
 * What the health checks hear of one source (a tracker): a failure it caused, or a full sync that ended well. The
 * status code implements it; the sync floor only reports into it.
 */
public interface SourceHealth {

    /** The source failed (a login refused, a request that kept failing); {@code why} is shown on /health. */
    void down(String why);

    /** A full sync that started at {@code when} ended without a failure. */
    void synced(Instant when);
}
