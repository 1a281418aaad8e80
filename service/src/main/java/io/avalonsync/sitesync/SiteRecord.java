package io.avalonsync.sitesync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * One site's record of one file ({@code files[].sites[]}), read from either shape: the current list
 * {@code [{name: "studio", created_dt: ...}, {name: "gdrive"}]} or the 2020 dict
 * {@code {studio: {created_dt: ...}, gdrive: {}}}. Presence of {@code created_dt} (even null, as MongoDB's
 * {@code $exists} sees it) means the file is on that site.
 */
public record SiteRecord(String name, boolean created, Instant createdDt, String id, int tries, String error,
                         String errorKind, Instant lastFailedDt, Instant nextAttemptDt, String claimedBy,
                         Instant claimedUntil, boolean paused, Integer priority, Double progress) {

    /** The records of a file's {@code sites} value in stored order; empty when absent or of another type. */
    public static List<SiteRecord> all(Object sites) {
        List<SiteRecord> out = new ArrayList<>();
        if (sites instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("name") instanceof String name) {
                    out.add(of(name, m));
                }
            }
        } else if (sites instanceof Map<?, ?> dict) {
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof Map<?, ?> m) {
                    out.add(of(name, m));
                }
            }
        }
        return out;
    }

    /** The record of one site, or null when the file has none (= not wanted on that site). */
    public static SiteRecord find(Object sites, String site) {
        for (SiteRecord r : all(sites)) {
            if (r.name.equals(site)) {
                return r;
            }
        }
        return null;
    }

    /** The position of {@code site}'s record in a list-shaped {@code sites}; -1 for the dict shape or none. */
    public static int indexOf(Object sites, String site) {
        if (sites instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> m && site.equals(m.get("name"))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** True when {@code sites} is the 2020 dict shape. */
    public static boolean isDict(Object sites) {
        return sites instanceof Map<?, ?>;
    }

    static SiteRecord of(String name, Map<?, ?> m) {
        Object paused = m.get("paused");
        return new SiteRecord(name, m.containsKey("created_dt"), instant(m.get("created_dt")),
                m.get("id") == null ? null : String.valueOf(m.get("id")),
                m.get("tries") instanceof Number n ? n.intValue() : 0,
                m.get("error") == null ? null : String.valueOf(m.get("error")),
                m.get("error_kind") == null ? null : String.valueOf(m.get("error_kind")),
                instant(m.get("last_failed_dt")), instant(m.get("next_attempt_dt")),
                m.get("claimed_by") == null ? null : String.valueOf(m.get("claimed_by")),
                instant(m.get("claimed_until")), Boolean.TRUE.equals(paused),
                m.get("priority") instanceof Number p ? p.intValue() : null,
                m.get("progress") instanceof Number p ? p.doubleValue() : null);
    }

    private static Instant instant(Object o) {
        return o instanceof Date d ? d.toInstant() : null;
    }

    /** Claimed by a node whose lease has not run out. */
    public boolean claimedAt(Instant now) {
        return claimedUntil != null && !claimedUntil.isBefore(now);
    }

    /** Waiting for its backoff time. */
    public boolean backingOffAt(Instant now) {
        return nextAttemptDt != null && nextAttemptDt.isAfter(now);
    }

    public boolean exhausted(int retryCount) {
        return tries >= retryCount;
    }

    /**
     * Wants a transfer now: not on the site yet, not paused, attempts left, backoff passed, no live claim.
     * Mirrors the server-side filter {@code SiteRecords.workable}.
     */
    public boolean dueAt(Instant now, int retryCount) {
        return !created && !paused && !exhausted(retryCount) && !backingOffAt(now) && !claimedAt(now);
    }
}
