package io.avalonsync.sync;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A full sync's pass or an event batch holding one project of one tracker ({@link ProjectHolds}), in exchange
 * property {@value #PROPERTY} while it holds it.
 */
public final class ProjectHold {

    public static final String PROPERTY = "projectHold";

    private final String key;
    private final String source;
    private final boolean bySync;
    private final AtomicBoolean released = new AtomicBoolean();

    ProjectHold(String key, String source, boolean bySync) {
        this.key = key;
        this.source = source;
        this.bySync = bySync;
    }

    String key() {
        return key;
    }

    String source() {
        return source;
    }

    /** Taken by a full sync's pass (else by an event batch). */
    boolean bySync() {
        return bySync;
    }

    public boolean isReleased() {
        return released.get();
    }

    /** True the first time only. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return (bySync ? "full sync" : "event batch") + " holding " + key + (isReleased() ? " (released)" : "");
    }
}
