package io.avalonsync.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A tracker as the syncs last saw it. Before the first contact the server's unauthenticated version URL is
 * probed, so a freshly started service reports an unreachable tracker at once.
 */
public final class TrackerHealthCheck extends ReadinessCheck {

    private final SourceStatus status;
    private final String probeUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public TrackerHealthCheck(SourceStatus status, String probeUrl) {
        super(status.name());
        this.status = status;
        this.probeUrl = probeUrl;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (status.lastSync() != null) {
            builder.detail("last_sync", status.lastSync().toString());
        }
        if (status.isUp()) {
            builder.up();
            return;
        }
        if (status.lastSync() == null && "not contacted yet".equals(status.reason())) {
            String probe = probe();
            if (probe == null) {
                builder.message("reachable, not synced yet").up();
            } else {
                builder.message(probe).down();
            }
            return;
        }
        builder.message(status.reason()).down();
    }

    private String probe() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(probeUrl))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 500 ? null : probeUrl + " answered HTTP " + response.statusCode();
        } catch (Exception e) {
            return probeUrl + " unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } 
    }
}
