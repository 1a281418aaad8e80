package io.avalonsync.socketio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each change of connection state once: the first failure at WARN with its reason, the retries that follow at
 * DEBUG, the recovery at INFO with the number of attempts it took. A server that stays down for hours costs one WARN
 * line, not one per retry.
 */
final class ConnectionStateLog {

    private static final Logger LOG = LoggerFactory.getLogger(SocketIoConsumer.class);

    private final String target;
    private boolean failing;
    private int attempts;

    ConnectionStateLog(String target) {
        this.target = target;
    }

    /** A connect attempt starts (ours or the library's). */
    synchronized void attempt() {
        attempts++;
        LOG.debug("Connecting to {} (attempt {})", target, attempts);
    }

    /** The connection was lost or an attempt failed. */
    synchronized void failure(String reason) {
        if (failing) {
            LOG.debug("Still no connection to {} after {} attempts: {}", target, attempts, reason);
            return;
        }
        failing = true;
        attempts = 0;
        LOG.warn("Connection to {} failed: {}; reconnecting in the background", target, reason);
    }

    synchronized void connected() {
        if (failing) {
            LOG.info("Reconnected to {} after {} {}", target, attempts, attempts == 1 ? "attempt" : "attempts");
        } else {
            LOG.info("Connected to {}", target);
        }
        failing = false;
        attempts = 0;
    }

    synchronized void stopped(boolean wasConnected) {
        if (wasConnected) {
            LOG.info("Disconnected from {}: the consumer stopped", target);
        } else {
            LOG.info("Stopped connecting to {}: the consumer stopped", target);
        }
        failing = false;
        attempts = 0;
    }
}
