package io.avalonsync.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.avalonsync.sitesync.SiteSyncPass;

/**
 * The last hour of what the status page charts, one value per minute, in memory only (a restart starts empty; see
 * README, "Status server"): each tracker's event lag (the highest sample of the minute) and journal backlog (pending
 * and failed entries, the last sample of the minute), sampled by the route {@code status-samples} every
 * {@code status.sample-interval} ms, and site sync's files and bytes, counted when a pass ends. A series is a ring of
 * 60 minutes: a few kilobytes in all, and nothing to read from MongoDB when the page is drawn.
 */
public final class StatusHistory {

    /** Minutes kept. */
    public static final int MINUTES = 60;

    /** One minute of a series: its start and its value, null when nothing was recorded in it. */
    public record Point(Instant minute, Double value) {
    }

    /** The last site sync pass, for the page's sources table; null before the first. */
    public record LastPass(Instant started, Instant finished, long uploaded, long downloaded, long failed, long bytes) {
    }

    private enum Merge { MAX, LAST, SUM }

    private final StatusFigures figures;
    private final Map<String, Ring> series = new ConcurrentHashMap<>();
    private volatile LastPass lastPass;

    public StatusHistory(StatusFigures figures) {
        this.figures = figures;
    }

    /** The sampler's step: each enabled tracker's lag and backlog now (a few indexed MongoDB reads per tracker). */
    public void sample() {
        Instant now = Instant.now();
        for (String source : figures.sources()) {
            StatusFigures.Events e = figures.events(source);
            record(lagKey(source), Merge.MAX, e.lag().toMillis() / 1000.0, now);
            record(backlogKey(source), Merge.LAST, e.pending() + e.failed(), now);
        }
    }

    /** A site sync pass ended: its files and bytes go into the minute it ended in. */
    public void passed(SiteSyncPass pass) {
        Instant end = pass.finished() == null ? Instant.now() : pass.finished();
        lastPass = new LastPass(pass.started(), end, pass.getUploaded(), pass.getDownloaded(), pass.getFailedTotal(),
                pass.getBytes());
        record("sitesync:files", Merge.SUM, pass.getUploaded() + pass.getDownloaded(), end);
        record("sitesync:bytes", Merge.SUM, pass.getBytes(), end);
    }

    public LastPass lastPass() {
        return lastPass;
    }

    public List<Point> lag(String source, Instant now) {
        return lastHour(lagKey(source), now);
    }

    public List<Point> backlog(String source, Instant now) {
        return lastHour(backlogKey(source), now);
    }

    public List<Point> files(Instant now) {
        return lastHour("sitesync:files", now);
    }

    public List<Point> bytes(Instant now) {
        return lastHour("sitesync:bytes", now);
    }

    private static String lagKey(String source) {
        return "lag:" + source;
    }

    private static String backlogKey(String source) {
        return "backlog:" + source;
    }

    private void record(String key, Merge merge, double value, Instant at) {
        series.computeIfAbsent(key, k -> new Ring()).record(merge, value, at.getEpochSecond() / 60);
    }

    /** The last {@value #MINUTES} minutes up to now, oldest first. */
    private List<Point> lastHour(String key, Instant now) {
        Ring ring = series.get(key);
        long current = now.getEpochSecond() / 60;
        List<Point> points = new ArrayList<>(MINUTES);
        for (long minute = current - MINUTES + 1; minute <= current; minute++) {
            points.add(new Point(Instant.ofEpochSecond(minute * 60), ring == null ? null : ring.get(minute)));
        }
        return points;
    }

    /** One value per minute, the slot reused an hour later. */
    private static final class Ring {
        private final long[] minutes = new long[MINUTES];
        private final double[] values = new double[MINUTES];

        Ring() {
            java.util.Arrays.fill(minutes, -1);
        }

        synchronized void record(Merge merge, double value, long minute) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            if (minutes[slot] != minute) {
                minutes[slot] = minute;
                values[slot] = value;
                return;
            }
            values[slot] = switch (merge) {
                case MAX -> Math.max(values[slot], value);
                case LAST -> value;
                case SUM -> values[slot] + value;
            };
        }

        synchronized Double get(long minute) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            return minutes[slot] == minute ? values[slot] : null;
        }
    }
}
