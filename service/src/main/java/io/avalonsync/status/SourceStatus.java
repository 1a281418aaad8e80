package io.avalonsync.status;

import java.time.Instant;

import io.avalonsync.sync.Secrets;
import io.avalonsync.sync.SourceHealth;

/** What the service last saw of one outside system (Kitsu, MongoDB, ...), for /health and the status page. */
public final class SourceStatus implements SourceHealth {

    private final String name;
    private volatile boolean up;
    private volatile String reason = "not contacted yet";
    private volatile Instant lastSync;

    public SourceStatus(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void up() {
        up = true;
        reason = null;
    }

    @Override
    public void down(String why) {
        up = false;
        reason = Secrets.mask(why); // shown on /health and the status page
    }

    @Override
    public void synced(Instant when) {
        lastSync = when;
        up();
    }

    public boolean isUp() {
        return up;
    }

    public String reason() {
        return reason;
    }

    public Instant lastSync() {
        return lastSync;
    }
}
