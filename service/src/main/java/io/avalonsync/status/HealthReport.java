package io.avalonsync.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The bodies of /health, /health/live and /health/ready: overall status and one entry per check with the reason
 * when DOWN. HTTP 503 when anything is DOWN, so load balancers, Kubernetes probes and systemd watchdogs can use
 * them as they are. /health shows the service's own checks (MongoDB, trackers, event journals); /health/live and
 * /health/ready every check of Camel's registry flagged for liveness (the Camel context) or readiness (the
 * context, routes, MongoDB and the enabled trackers). Bean {@code healthReport}; each method's answer goes out through
 * the route {@code status-answer}.
 */
public final class HealthReport {

    public static final String GROUP = "avalon-sync";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;

    public HealthReport(CamelContext context) {
        this.context = context;
    }

    /** GET /health */
    public StatusAnswer report() throws Exception {
        return answer(serviceChecks(context));
    }

    /** GET /health/live */
    public StatusAnswer liveness() throws Exception {
        return answer(checks(context, HealthCheck::isLiveness));
    }

    /** GET /health/ready */
    public StatusAnswer readiness() throws Exception {
        return answer(checks(context, HealthCheck::isReadiness));
    }

    /** The service's own checks, one result each (Camel's helper folds checks of one group together). */
    public static List<HealthCheck.Result> serviceChecks(CamelContext context) {
        return checks(context, check -> GROUP.equals(check.getGroup()));
    }

    private static List<HealthCheck.Result> checks(CamelContext context, Predicate<HealthCheck> which) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        return registry == null ? List.of() : registry.stream().filter(HealthCheck::isEnabled).filter(which)
                .map(HealthCheck::call).toList();
    }

    /** A result's details without Camel's own bookkeeping (invocation counts, ids, failure counters). */
    static Map<String, String> details(HealthCheck.Result result) {
        Map<String, String> details = new LinkedHashMap<>();
        result.getDetails().forEach((key, value) -> {
            if (!key.startsWith("invocation") && !key.startsWith("failure") && !key.startsWith("success")
                    && !key.equals("check.kind") && !key.equals("check.id") && !key.equals("check.group")) {
                details.put(key, String.valueOf(value));
            }
        });
        return details;
    }

    private static StatusAnswer answer(List<HealthCheck.Result> results) throws Exception {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck.Result result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> entry.put(result.getState() == HealthCheck.State.UP ? "info" : "reason", message));
            entry.putAll(details(result));
            checks.put(result.getCheck().getId(), entry);
            up &= result.getState() == HealthCheck.State.UP;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        return new StatusAnswer(up ? 200 : 503, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
