package io.avalonsync.shotgrid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

/**
 * Where the EventLogEntry leecher stands: {@code head}, the highest event id seen, and the open gaps below it,
 * as id ranges with the time they were first seen. Every id at or below {@code head} that is not in a gap has
 * been seen (journaled, skipped, or given up), so the look-back window's seen ids need no list of their own
 * and the state stays small however busy the site is. The low-water mark is just below the oldest open gap
 * (or {@code head} when there is none): everything at or below it is settled.
 * <p>
 * Stored in {@code sync.state-db} as {@code {head, lowWater, gaps: [{from, to, since}]}}.
 */
public final class ShotGridEventState {

    /** One run of missing ids, {@code from..to} inclusive. */
    public record Gap(long from, long to, Instant since) {

        long size() {
            return to - from + 1;
        }

        @Override
        public String toString() {
            return from == to ? String.valueOf(from) : from + "-" + to;
        }
    }

    private long head;
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();

    public ShotGridEventState(long head) {
        this.head = head;
    }

    public long head() {
        return head;
    }

    /** Every id at or below this one is settled (seen or given up). */
    public long lowWater() {
        return gaps.isEmpty() ? head : gaps.firstKey() - 1;
    }

    public List<Gap> gaps() {
        return new ArrayList<>(gaps.values());
    }

    /** How many ids the open gaps hold. */
    public long missing() {
        return gaps.values().stream().mapToLong(Gap::size).sum();
    }

    /** Whether the id has been seen or given up (at or below head and in no open gap). */
    public boolean settled(long id) {
        return id <= head && gapOf(id) == null;
    }

    Gap gapOf(long id) {
        Map.Entry<Long, Gap> entry = gaps.floorEntry(id);
        return entry != null && entry.getValue().to >= id ? entry.getValue() : null;
    }

    /**
     * Marks an id seen: a new head opens a gap for the ids skipped below it (first seen {@code since}); an id
     * inside a gap closes it there. Returns false when the id was already settled.
     */
    boolean see(long id, Instant since) {
        if (id > head) {
            if (id > head + 1) {
                gaps.put(head + 1, new Gap(head + 1, id - 1, since));
            }
            head = id;
            return true;
        }
        Gap gap = gapOf(id);
        if (gap == null) {
            return false;
        }
        gaps.remove(gap.from);
        if (gap.from < id) {
            gaps.put(gap.from, new Gap(gap.from, id - 1, gap.since));
        }
        if (id < gap.to) {
            gaps.put(id + 1, new Gap(id + 1, gap.to, gap.since));
        }
        return true;
    }

    /** Drops a gap (given up). */
    void drop(Gap gap) {
        gaps.remove(gap.from);
    }

    public Document toDocument() {
        List<Document> stored = new ArrayList<>();
        gaps.values().forEach(g -> stored.add(new Document("from", g.from).append("to", g.to)
                .append("since", Date.from(g.since))));
        return new Document("head", head).append("lowWater", lowWater()).append("gaps", stored);
    }

    /** The state stored by {@link #toDocument()}; null when there is none (first start). */
    public static ShotGridEventState of(Document stored) {
        if (stored == null || !(stored.get("head") instanceof Number head)) {
            return null;
        }
        ShotGridEventState state = new ShotGridEventState(head.longValue());
        for (Object value : stored.getList("gaps", Object.class, List.of())) {
            if (value instanceof Document gap && gap.get("from") instanceof Number from && gap.get("to") instanceof Number to) {
                Instant since = gap.get("since") instanceof Date d ? d.toInstant() : Instant.EPOCH;
                state.gaps.put(from.longValue(), new Gap(from.longValue(), to.longValue(), since));
            }
        }
        return state;
    }

    @Override
    public String toString() {
        return "head " + head + ", low-water " + lowWater() + ", gaps " + gaps.values();
    }
}
