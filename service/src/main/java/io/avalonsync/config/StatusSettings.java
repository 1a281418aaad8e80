package io.avalonsync.config;

import java.util.List;

import io.avalonsync.status.StatusAuth;

/** The status server (page, /health, /metrics, /sitesync): {@code status.*} of application.properties. */
public final class StatusSettings {

    static final Key PORT = Key.whole("status.port", 0, 65535); // 0: any free port
    static final Key BIND = Key.text("status.bind");
    static final Key USER = Key.text("status.user");
    static final Key PASSWORD = Key.text("status.password");
    /** ms between two samples of the status page's charts (route status-samples). */
    static final Key SAMPLE_INTERVAL = Key.whole("status.sample-interval", 100);

    static final List<Key> KEYS = List.of(PORT, BIND, USER, PASSWORD, SAMPLE_INTERVAL);

    private final Settings settings;

    StatusSettings(Settings settings) {
        this.settings = settings;
    }

    public String port() {
        return settings.get(PORT.name());
    }

    public String bind() {
        return settings.get(BIND.name());
    }

    /** Empty when unset (no basic auth). */
    public String user() {
        String user = settings.get(USER.name());
        return user == null ? "" : user;
    }

    /** As written, not trimmed; empty when unset. */
    public String password() {
        String password = settings.untrimmed(PASSWORD.name());
        return password == null ? "" : password;
    }

    /**
     * Basic auth needs both keys. A status server on a non-loopback address without it is a warning, not a problem:
     * the daemon starts and warns too, and inside a container (docker/Dockerfile binds 0.0.0.0) the published port
     * decides who can reach it.
     */
    void check(Checks checks) {
        boolean user = settings.has(USER.name());
        boolean password = settings.has(PASSWORD.name());
        if (user && !password) {
            checks.problem(checks.lineOr(PASSWORD.name(), checks.effectiveLine(USER.name())),
                    "status.user is set but status.password is empty: basic auth needs both");
        } else if (password && !user) {
            checks.problem(checks.lineOr(USER.name(), checks.effectiveLine(PASSWORD.name())),
                    "status.password is set but status.user is empty: basic auth needs both");
        }
        if (!user && !StatusAuth.isLoopback(bind())) {
            checks.warning(checks.effectiveLine(BIND.name()), StatusAuth.openBindWarning(bind(), port())
                    + checks.origin(BIND.name()));
        }
    }
}
