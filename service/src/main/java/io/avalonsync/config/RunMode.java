package io.avalonsync.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How the service runs, and so which routes it leaves out, through Camel's own route filter
 * ({@code camel.main.route-filter-exclude-pattern}, by route id or by the endpoint a route consumes from). A route
 * left out is not built at all, so it needs no switch of its own in the route files and is not a stopped route that
 * readiness would count.
 */
public enum RunMode {

    /** The daemon: every route, except the leader routes (schedules, listeners, journal) of a tracker without URL. */
    DAEMON,
    /** The service without its schedules, timers and listeners: a test or tool drives the routes itself. */
    DRIVEN,
    /** {@code sync-once}: only what a full sync needs; no schedule, listener, leader route or status server. */
    ONE_SHOT;

    /** Camel Main's key; an operator's own value is kept (and, for sync-once, used instead of the service's). */
    public static final String ROUTE_FILTER = "camel.main.route-filter-exclude-pattern";

    /**
     * What sync-once leaves out: what only a running daemon needs. Left out, their components never start: no Quartz
     * scheduler, no Jetty, no bound status port, so a cron job runs beside a daemon on the same host. Site sync and
     * the event catch-up queues are the daemon's too; their seda consumers would each add a poll timeout to the stop.
     */
    public static final String ONE_SHOT_EXCLUDED = "quartz:*,jetty:*,master:*,timer:*,socketio:*,seda:sitesync-*,"
            + "seda:*-events-catch-up";

    /** Routes that start work by themselves (a schedule, a timer, a listener), also behind master: (a regular expression). */
    static final String SELF_STARTING = "quartz:*,timer:*,socketio:*,master:[^:]+:(quartz|timer|socketio):.*";

    /** The exclude pattern for Camel's route filter in this mode, or null for none. */
    public String routeFilterExcludePattern(Settings settings) {
        String own = settings.get(ROUTE_FILTER);
        if (this == ONE_SHOT) {
            return own != null ? own : ONE_SHOT_EXCLUDED;
        }
        List<String> patterns = new ArrayList<>();
        if (own != null) {
            patterns.add(own);
        }
        if (this == DRIVEN) {
            patterns.add(SELF_STARTING);
        }
        // a tracker without URL: its schedule, start-up sync, listener and journal routes (master:<tracker>:...)
        if (!settings.kitsu().enabled()) {
            patterns.add("master:kitsu:*");
        }
        if (!settings.shotgrid().enabled()) {
            patterns.add("master:shotgrid:*");
        }
        return patterns.isEmpty() ? null : String.join(",", patterns);
    }
}
