package io.avalonsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.NameSanitizer;
import io.avalonsync.avalon.TrackerIdentity;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sync-once --project NAME}: of the projects a full sync selected, only the one with that name, its tracker
 * name or its Avalon name (the collection, which may differ after a rename in the tracker).
 */
public final class ProjectChoice {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectChoice.class);

    private final AvalonProjects avalon;
    private final TrackerIdentity identity;
    private final Function<Map<String, Object>, String> trackerId;

    public ProjectChoice(AvalonProjects avalon, TrackerIdentity identity, Function<Map<String, Object>, String> trackerId) {
        this.avalon = avalon;
        this.identity = identity;
        this.trackerId = trackerId;
    }

    /** Body in and out: the tracker's project records; unchanged unless the run names one project. */
    public List<Map<String, Object>> only(@Body List<Map<String, Object>> projects,
            @ExchangeProperty(SyncRuns.ONLY_PROJECT) String wanted) {
        if (wanted == null) {
            return projects;
        }
        String avalonId = avalon.trackerProjectOf(wanted, identity);
        List<Map<String, Object>> chosen = new ArrayList<>();
        for (Map<String, Object> project : projects) {
            String name = String.valueOf(project.get("name"));
            if (name.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))
                    || NameSanitizer.sanitize(name).equalsIgnoreCase(wanted)
                    || trackerId.apply(project).equals(avalonId)) {
                chosen.add(project);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--project '" + wanted + "': no " + identity.source()
                    + " project to sync has that name, neither in " + identity.source() + " nor in Avalon (projects to sync: "
                    + projects.stream().map(p -> String.valueOf(p.get("name"))).toList() + ")");
        }
        LOG.info("{}: --project '{}': {} only", identity.source(), wanted,
                chosen.stream().map(p -> String.valueOf(p.get("name"))).toList());
        return chosen;
    }
}
