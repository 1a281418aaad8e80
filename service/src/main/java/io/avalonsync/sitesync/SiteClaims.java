package io.avalonsync.sitesync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Who works on a file ({@link SiteRecords}): claims taken atomically per representation, so several runs or nodes
 * never send the same file, and given back (a stopping service, a restart after a kill).
 */
public final class SiteClaims {

    private final SiteRecords records;

    public SiteClaims(SiteRecords records) {
        this.records = Objects.requireNonNull(records, "records");
    }

    /**
     * Takes several files for {@code node} with one write per representation (and shape): each representation's
     * files are claimed by one atomic update whose array filters pick the listed files whose record is still
     * workable, so of several racing claimers each file goes to exactly one. The claim's {@code claimed_until}
     * (now + lease, to the millisecond) is this call's token: the files whose record carries this node and
     * that exact time afterwards are the ones taken.
     *
     * @return the tasks taken, in the given order
     */
    public List<FileTask> claim(List<FileTask> tasks, String node, Duration lease, Instant now) {
        Objects.requireNonNull(node, "node");
        Date until = new Date(now.plus(lease).toEpochMilli());
        Map<List<Object>, List<FileTask>> groups = new LinkedHashMap<>();
        for (FileTask t : tasks) {
            groups.computeIfAbsent(List.of(t.collection(), t.representationId(), t.site(), t.dictShape()),
                    k -> new ArrayList<>()).add(t);
        }
        Set<FileTask> taken = new HashSet<>();
        for (List<FileTask> group : groups.values()) {
            FileTask first = group.get(0);
            List<Object> ids = group.stream().map(FileTask::fileId).toList();
            String site = first.site();
            Bson docFilter;
            String prefix;
            List<Bson> arrayFilters;
            if (first.dictShape()) {
                prefix = "files.$[f].sites." + site + ".";
                docFilter = Filters.and(Filters.eq("_id", first.representationId()), Filters.elemMatch("files",
                        Filters.and(Filters.in("_id", ids), Filters.exists("sites." + site),
                                records.workable("sites." + site + ".", now))));
                Document f = new Document("f._id", new Document("$in", ids))
                        .append("f.sites." + site, new Document("$exists", true));
                records.workableFilter(f, "f.sites." + site + ".", now);
                arrayFilters = List.of(f);
            } else {
                prefix = "files.$[f].sites.$[s].";
                docFilter = Filters.and(Filters.eq("_id", first.representationId()), Filters.elemMatch("files",
                        Filters.and(Filters.in("_id", ids), Filters.elemMatch("sites",
                                Filters.and(Filters.eq("name", site), records.workable("", now))))));
                Document s = new Document("s.name", site);
                records.workableFilter(s, "s.", now);
                arrayFilters = List.of(new Document("f._id", new Document("$in", ids)), s);
            }
            Document after = records.coll(first.collection()).findOneAndUpdate(docFilter,
                    Updates.combine(Updates.set(prefix + "claimed_by", node), Updates.set(prefix + "claimed_until", until)),
                    new FindOneAndUpdateOptions().arrayFilters(arrayFilters).returnDocument(ReturnDocument.AFTER)
                            .projection(Projections.include("files._id", "files.sites")));
            if (after == null) {
                continue;
            }
            for (FileTask t : group) {
                SiteRecord r = SiteRecords.findRecord(after, t);
                if (r != null && node.equals(r.claimedBy()) && r.claimedUntil() != null
                        && r.claimedUntil().toEpochMilli() == until.getTime()) {
                    taken.add(t);
                }
            }
        }
        return tasks.stream().filter(taken::contains).toList();
    }

    /** Gives the file back without counting an attempt (shutdown, pause noticed mid-transfer). */
    public void release(FileTask t) {
        SiteRecords.Target target = new SiteRecords.Target(t);
        records.coll(t.collection()).updateOne(target.filter(prefix -> null), Updates.combine(
                        Updates.unset(target.path("claimed_by")), Updates.unset(target.path("claimed_until")),
                        Updates.unset(target.path("progress"))),
                new UpdateOptions().arrayFilters(target.arrayFilters()));
    }

    /**
     * Gives back every claim {@code node} still holds in a project, in both shapes and for both sites. Run at
     * start-up: claims left by a run of this node that was killed mid-transfer would otherwise block the files
     * until their lease runs out.
     *
     * @return the number of representation documents changed
     */
    public long releaseClaims(String collection, String node) {
        Objects.requireNonNull(node, "node");
        MongoCollection<Document> coll = records.coll(collection);
        long changed = 0;
        // claimed_by last: the array filters select on it, and some servers re-evaluate them field by field
        Bson unsetList = Updates.combine(Updates.unset("files.$[f].sites.$[s].claimed_until"),
                Updates.unset("files.$[f].sites.$[s].progress"), Updates.unset("files.$[f].sites.$[s].claimed_by"));
        changed += coll.updateMany(Filters.and(Filters.eq("type", "representation"),
                        Filters.elemMatch("files.sites", Filters.eq("claimed_by", node))), unsetList,
                new UpdateOptions().arrayFilters(List.of(Filters.eq("f.sites.claimed_by", node),
                        Filters.eq("s.claimed_by", node)))).getModifiedCount();
        for (String site : List.of(records.activeSite(), records.remoteSite())) {
            String prefix = "files.$[f].sites." + site + ".";
            changed += coll.updateMany(Filters.and(Filters.eq("type", "representation"),
                            Filters.eq("files.sites." + site + ".claimed_by", node)),
                    Updates.combine(Updates.unset(prefix + "claimed_until"), Updates.unset(prefix + "progress"),
                            Updates.unset(prefix + "claimed_by")),
                    new UpdateOptions().arrayFilters(List.of(new Document("f.sites." + site + ".claimed_by", node))))
                    .getModifiedCount();
        }
        return changed;
    }
}
