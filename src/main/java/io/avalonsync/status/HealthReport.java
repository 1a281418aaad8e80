package io.avalonsync.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The body of /health: overall status and one entry per outside system with the reason when DOWN.
 * HTTP 503 when anything is DOWN, so load balancers and systemd watchdogs can use it as is.
 */
public final class HealthReport {

    public static final String GROUP = "avalon-sync";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String report(Exchange exchange) throws Exception {
        // the service's own checks, one result each (Camel's helper folds checks of one group together)
        HealthCheckRegistry registry = HealthCheckRegistry.get(exchange.getContext());
        List<HealthCheck.Result> results = registry == null ? List.of() : registry.stream()
                .filter(check -> GROUP.equals(check.getGroup()))
                .map(HealthCheck::call)
                .toList();
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck.Result result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> entry.put(result.getState() == HealthCheck.State.UP ? "info" : "reason", message));
            result.getDetails().forEach((key, value) -> {
                if (!key.startsWith("invocation") && !key.startsWith("failure") && !key.startsWith("success")
                        && !key.equals("check.kind") && !key.equals("check.id") && !key.equals("check.group")) {
                    entry.put(key, String.valueOf(value));
                }
            });
            checks.put(result.getCheck().getId(), entry);
            up &= result.getState() == HealthCheck.State.UP;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    }
}
