package io.avalonsync.socketio;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays for the reconnects the consumer makes itself (refused connect, server kick): doubling from {@code minDelay}
 * up to {@code maxDelay}, each delay drawn from its upper half so that many clients kicked at once do not return in
 * step.
 */
final class ReconnectBackoff {

    private final long minDelay;
    private final long maxDelay;
    private int attempts;

    ReconnectBackoff(long minDelay, long maxDelay) {
        if (minDelay < 1 || maxDelay < minDelay) {
            throw new IllegalArgumentException(
                    "reconnectionDelay must be >= 1 and reconnectionDelayMax >= reconnectionDelay, got "
                                               + minDelay + " and " + maxDelay);
        }
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    /** The delay before the next attempt; each call counts as one attempt. */
    synchronized long nextDelay() {
        long ceiling = ceiling(attempts++);
        return ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    synchronized void reset() {
        attempts = 0;
    }

    synchronized int attempts() {
        return attempts;
    }

    /** The un-jittered delay for the given attempt, capped without overflowing. */
    long ceiling(int attempt) {
        long delay = minDelay;
        for (int i = 0; i < attempt && delay < maxDelay; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelay);
    }
}
