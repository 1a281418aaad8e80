package io.avalonsync.kitsu;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the projects to sync from Kitsu's open projects: all of them, or those named in kitsu.projects. */
public final class KitsuProjects {

    private static final Logger LOG = LoggerFactory.getLogger(KitsuProjects.class);

    private final Set<String> wanted = new LinkedHashSet<>();
    private final Set<String> selectedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public KitsuProjects(String projects) {
        if (projects != null) {
            for (String name : projects.split(",")) {
                if (!name.isBlank()) {
                    wanted.add(name.trim());
                }
            }
        }
    }

    /**
     * Whether events of this project are synced: every project when kitsu.projects is empty, else only
     * the projects a full sync selected by name (their ids are remembered then).
     */
    public boolean wanted(String projectId, String projectName) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (projectName != null) {
            return wanted.stream().anyMatch(w -> w.equalsIgnoreCase(projectName));
        }
        return selectedIds.isEmpty() || selectedIds.contains(projectId);
    }

    /** The projects to sync, of the JSON answer of /data/projects/open. */
    public List<Map<String, Object>> selected(@Body InputStream body) {
        List<Map<String, Object>> open;
        try (InputStream in = body) {
            open = KitsuSnapshot.readList(in, null);
        } catch (IOException e) {
            throw new KitsuResponseException("Kitsu answered malformed JSON for the open projects: " + e.getMessage(), e);
        }
        if (wanted.isEmpty()) {
            LOG.info("kitsu: {} open projects to sync", open.size());
            return open;
        }
        List<Map<String, Object>> selected = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(wanted);
        for (Map<String, Object> project : open) {
            String name = String.valueOf(project.get("name"));
            for (String want : wanted) {
                if (want.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    selected.add(project);
                    selectedIds.add(String.valueOf(project.get("id")));
                    missing.remove(want);
                }
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("kitsu.projects names {} that are not open projects in Kitsu", missing);
        }
        LOG.info("kitsu: {} of {} open projects selected by kitsu.projects", selected.size(), open.size());
        return selected;
    }
}
