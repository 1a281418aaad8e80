package io.avalonsync.sync;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one piece of long work in the log (README, "Progress in the log"): a project's full sync, a file moving to or from Drive,
 * a site sync pass. At most one line every interval ({@code sync.progress-interval}), and none for work that ends
 * sooner: a small sync logs only its summary.
 * <p>
 * Work goes in phases ({@code read} shots, {@code written} documents, {@code sent} bytes). A line names the phase,
 * what it has done (of its total when known, else says so), the rate, and the ETA when the total is known:
 * <pre>
 * kitsu project 'Agent 327': read 6,000 shots (total not known), 1,234 entities/s
 * site sync: uploading /mnt/projects/a.exr: sent 1.2 GiB/4.0 GiB, 12.3 MiB/s, ETA 4 min 10 s
 * </pre>
 * The rate is over the stage: consecutive phases with the same verb and rate unit (every list a Kitsu project
 * reads), so it includes the waits between requests. Inside a phase a line is written once the phase itself has run
 * for an interval; when a phase ends with a line owed, the next phase's start writes the finished one's figures.
 * Thread-safe (a site sync pass counts from its transfer threads).
 */
public final class Progress {

    /** A total that is not known. */
    public static final long UNKNOWN = -1;

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final Progress NONE = new Progress(null, null, Duration.ZERO, () -> 0);
    // one setting for the process (sync.progress-interval): transfers build their reporter deep in the Drive client
    private static volatile Duration interval = Duration.ofSeconds(10);

    private final String subject;
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanos;
    private final long created;
    private long lastLine;
    private String verb;
    private String noun;
    private String rateUnit;
    private boolean bytes;
    private long total = UNKNOWN;
    private long done;
    private long moved;
    private boolean unreported;
    private long phaseStart;
    private long stageStart;
    private long stageDone;
    private long stageBytes;
    private long lastAdvance;

    /** For tests: a clock in nanoseconds (like {@link System#nanoTime()}) and the logger to write to. */
    Progress(String subject, Logger log, Duration interval, LongSupplier nanos) {
        this.subject = subject;
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanos = nanos;
        this.created = nanos.getAsLong();
        this.lastLine = created;
    }

    /** Long work starting now, reported every {@code sync.progress-interval}; 0 turns lines off. */
    public static Progress start(String subject) {
        Duration every = interval;
        return every.isZero() ? NONE : new Progress(subject, LOG, every, System::nanoTime);
    }

    /** {@code sync.progress-interval}, set once when the service starts. */
    public static void interval(Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("sync.progress-interval must not be negative, not " + every);
        }
        interval = every;
    }

    public static Duration interval() {
        return interval;
    }

    /**
     * The progress of the exchange's project pass ({@link ProjectPass}), or one that reports nothing (an event's own
     * reads), for steps that take the exchange.
     */
    public static Progress of(Exchange exchange) {
        ProjectPass<?> pass = exchange.getProperty(ProjectPass.PROPERTY, ProjectPass.class);
        return pass == null ? NONE : pass.progress();
    }

    /**
     * A phase that counts things: {@code verb} past tense ("read", "written"), {@code noun} what is counted
     * ("shots"), {@code rateUnit} what the rate counts ("entities"). {@code total}: {@link #UNKNOWN} if not known.
     */
    public Progress phase(String verb, String noun, long total, String rateUnit) {
        return begin(verb, noun, total, rateUnit, false);
    }

    /** A phase that moves bytes ("sent", "received"); the rate is in bytes per second. */
    public Progress bytes(String verb, long total) {
        return begin(verb, "", total, "B", true);
    }

    private synchronized Progress begin(String verb, String noun, long total, String rateUnit, boolean bytes) {
        if (this == NONE) {
            return this;
        }
        long now = nanos.getAsLong();
        if (unreported && now - lastLine >= intervalNanos) {
            write(now); // the finished phase's figures, owed since an interval
        }
        boolean sameStage = verb.equals(this.verb) && rateUnit.equals(this.rateUnit) && bytes == this.bytes;
        if (!sameStage) {
            // the first stage counts from the start of the work: the wait for the first answer is part of its rate
            stageStart = this.verb == null ? created : now;
            stageDone = 0;
            stageBytes = 0;
            lastAdvance = now;
        }
        this.verb = verb;
        this.noun = noun;
        this.rateUnit = rateUnit;
        this.bytes = bytes;
        this.total = total;
        this.done = 0;
        this.moved = 0;
        this.unreported = false;
        this.phaseStart = now;
        return this;
    }

    /** More to do in this phase (a site sync pass selects its files project by project). */
    public synchronized void expect(long more) {
        if (this != NONE && verb != null) {
            total = Math.max(0, total) + more;
        }
    }

    /** {@code count} more done. */
    public void advance(long count) {
        advance(count, 0);
    }

    /** {@code count} more done, which moved {@code bytes} (a pass's files); the line gives bytes and bytes/s. */
    public void advance(long count, long bytes) {
        if (this != NONE) {
            count(count, bytes);
        }
    }

    private synchronized void count(long count, long bytes) {
        if (verb == null) {
            return;
        }
        long now = nanos.getAsLong();
        done += count;
        stageDone += count;
        moved += Math.max(0, bytes);
        stageBytes += Math.max(0, bytes);
        unreported |= count > 0 || bytes > 0;
        lastAdvance = now;
        if (now - Math.max(lastLine, phaseStart) >= intervalNanos) {
            write(now);
        }
    }

    /** Done so far is {@code done} (a byte count an upload reports). */
    public void moveTo(long done) {
        if (this != NONE) {
            synchronized (this) {
                count(Math.max(0, done - this.done), 0);
            }
        }
    }

    private void write(long now) {
        lastLine = now;
        unreported = false;
        log.info(line());
    }

    /** The current line. */
    synchronized String line() {
        StringBuilder text = new StringBuilder(subject).append(": ").append(verb).append(' ').append(amount(done));
        if (total >= 0) {
            text.append('/').append(amount(total));
        }
        if (!noun.isEmpty()) {
            text.append(' ').append(noun);
        }
        if (total < 0) {
            text.append(" (total not known)");
        }
        double seconds = (lastAdvance - stageStart) / 1e9;
        double rate = seconds > 0 ? stageDone / seconds : 0;
        if (moved > 0) {
            text.append(", ").append(bytesText(moved)).append(", ").append(bytesText(Math.round(stageBytes / seconds))).append("/s");
        } else if (seconds > 0) {
            text.append(", ").append(bytes ? bytesText(Math.round(rate)) + "/s" : count(rate) + " " + rateUnit + "/s");
        }
        if (total >= 0 && done < total && rate > 0) {
            text.append(", ETA ").append(duration(Math.round((total - done) / rate)));
        }
        return text.toString();
    }

    private String amount(long value) {
        return bytes ? bytesText(value) : String.format(Locale.ROOT, "%,d", value);
    }

    private static String count(double rate) {
        return rate < 10 ? String.format(Locale.ROOT, "%.1f", rate) : String.format(Locale.ROOT, "%,d", Math.round(rate));
    }

    /** 512 B, 1.5 KiB, 12.3 MiB, 4.00 GiB. */
    public static String bytesText(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit >= 2 && value < 10 ? "%.2f %s" : "%.1f %s", value, units[unit]);
    }

    /** 5 s, 4 min 10 s, 2 h 5 min. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }
}
