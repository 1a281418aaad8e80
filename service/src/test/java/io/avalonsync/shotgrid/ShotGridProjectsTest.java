package io.avalonsync.shotgrid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.sync.HttpFaults;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The projects to sync, and the error handler's predicates on wrapped ShotGrid failures. */
class ShotGridProjectsTest {

    private static Map<String, Object> project(int id, Object... more) {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("id", id);
        project.put("name", "p" + id);
        for (int i = 0; i < more.length; i += 2) {
            project.put((String) more[i], more[i + 1]);
        }
        return project;
    }

    @Test
    void theSyncCheckboxChoosesTheProjectsOrEveryActiveOneWithoutIt() {
        ShotGridProjects withField = new ShotGridProjects("sg_avalon_auto_sync");
        assertEquals(List.of(List.of("sg_avalon_auto_sync", "is", true)), withField.search().body().get("filters"));
        List<Map<String, Object>> chosen = withField.selected(List.of(project(1, "sg_avalon_auto_sync", true),
                project(2, "sg_avalon_auto_sync", false), project(3, "sg_avalon_auto_sync", true, "archived", true)));
        assertEquals(List.of(1), chosen.stream().map(p -> p.get("id")).toList());
        assertEquals(Set.of("1"), withField.wanted());
        assertFalse(withField.wanted("2"));

        ShotGridProjects all = new ShotGridProjects("");
        assertEquals(List.of(), all.search().body().get("filters"));
        assertTrue(all.wanted("9"), "before the first read nothing is held back");
        chosen = all.selected(List.of(project(1), project(2, "is_template", true), project(3, "archived", true), project(4)));
        assertEquals(List.of(1, 4), chosen.stream().map(p -> p.get("id")).toList());
    }

    /** routes/errors.camel.yaml decides on a failed ShotGrid read by its status, also inside a split's wrapper. */
    @Test
    void statusesAreFoundThroughASplitsWrapper() {
        HttpFaults steps = new HttpFaults();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        HttpOperationFailedException unavailable = new HttpOperationFailedException("http://sg/api/v1/entity/shots/_search",
                503, "Service Unavailable", null, Map.of(), "");
        exchange.setException(new CamelExchangeException("Multicast processing failed for number 0", exchange, unavailable));
        assertTrue(steps.transientFault(exchange.getException()));
        assertFalse(steps.refused(exchange.getException()));
        exchange.setException(new HttpOperationFailedException("u", 401, "Unauthorized", null, Map.of(), ""));
        assertTrue(steps.refused(exchange.getException()));
        assertFalse(steps.transientFault(exchange.getException()));
        exchange.setException(new HttpOperationFailedException("u", 400, "Bad Request", null, Map.of(), ""));
        assertFalse(steps.transientFault(exchange.getException()), "a 400 is not redelivered");
        // ShotGrid's reading of an error answer keeps the HTTP failure as its cause
        exchange.setException(ShotGridResponseException.of(new HttpOperationFailedException("u", 503, "Service Unavailable",
                null, Map.of(), "{\"errors\": [{\"status\": 503, \"title\": \"Service Unavailable\"}]}")));
        assertTrue(steps.transientFault(exchange.getException()));
    }
}
