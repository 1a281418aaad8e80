package io.avalonsync.status;

import java.util.List;
import java.util.Map;

import io.avalonsync.journal.EventJournal;
import io.avalonsync.sync.Failures;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.bson.Document;

/**
 * The event journal of one source: backlog, retries and parked events. Parked events need a person, not
 * a restart, so they are shown (count and the newest error) without turning the service DOWN.
 */
public final class JournalHealthCheck extends ReadinessCheck {

    private final EventJournal journal;
    private final String source;

    public JournalHealthCheck(EventJournal journal, String source) {
        super(source + "-events");
        this.journal = journal;
        this.source = source;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            java.util.Map<String, Long> counts = journal.openCounts(source);
            builder.detail("pending", counts.get(EventJournal.PENDING));
            builder.detail("failed", counts.get(EventJournal.FAILED));
            long parked = counts.get(EventJournal.PARKED);
            builder.detail("parked", parked);
            if (parked > 0) {
                List<Document> newest = journal.parked(source, 1);
                Document entry = newest.get(0);
                String event = entry.getString("eventId") + " " + entry.getString("name");
                builder.message(parked + " parked; newest: event " + event + ": " + entry.getString("error"));
                builder.detail("newest_parked_event", event);
                builder.detail("newest_parked_reason", entry.getString("error"));
            }
            builder.up();
        } catch (RuntimeException e) {
            builder.message(Failures.describe(e)).down();
        }
    }
}
