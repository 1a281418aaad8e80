package io.avalonsync.status;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of something outside the process (MongoDB, a tracker, a journal): it decides readiness, never
 * liveness, since restarting the service would not bring an outside system back.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    ReadinessCheck(String id) {
        super(HealthReport.GROUP, id);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
