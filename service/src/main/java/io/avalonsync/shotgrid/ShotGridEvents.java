package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.journal.JournalBatch;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applying a batch of journaled ShotGrid events of one project. Every event is a hint: what it names is read
 * again and mapped with the full sync's mappers, so duplicates, late or out-of-order events converge to what
 * ShotGrid says now, and several events about one entity cost one read.
 * <ul>
 * <li>Asset, Episode, Sequence, Shot {@code _New}, {@code _Change}, {@code _Revival}, {@code _Retirement}: the
 * entity is re-read (one {@code id in} search per type); one that is not found any more is left out of the
 * desired state but kept in the scope, so the planner retires it per {@code sync.deletes};</li>
 * <li>a Sequence or Episode {@code _Change} of {@code code} or of its parent link: the project is re-synced
 * (every name and {@code data.parents} below it changes);</li>
 * <li>Task events: the task is read (retired ones too) to find its entity, which is re-read with all its tasks;
 * a deleted task is then missing from its entity's tasks and leaves {@code data.tasks};</li>
 * <li>Project events: the project is re-synced; Step events (site-wide task types): a full sync.</li>
 * </ul>
 * The entity comes from {@code meta.entity_type / entity_id} (kept in the journal entry), because the
 * {@code entity} link is null once the target is deleted.
 * <p>
 * The steps of {@code shotgrid-apply-events} and {@code shotgrid-read-entities}: each {@code ...Fetches} step
 * gives the searches a batch needs next, each with where its records go ({@link ShotGridFetch}); the route reads
 * them through {@code direct:shotgrid-read-each}, so every request has the route's redelivery.
 */
public final class ShotGridEvents {

    /** Property of routes/shotgrid-events.camel.yaml: the batch being applied. */
    public static final String BATCH = "shotgridEventBatch";

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridEvents.class);
    private static final Set<String> ENTITY_TYPES = Set.of("Asset", "Episode", "Sequence", "Shot");
    /** Fields whose change renames or moves everything below a sequence or episode. */
    private static final Set<String> TREE_FIELDS = Set.of("code", "episode", "sg_sequence", "sg_episode");
    /** Parent links a missing parent is found by: a shot's sequence, a sequence's episode. */
    private static final List<String> PARENT_FIELDS = List.of("sg_sequence", "episode");
    private static final int MAX_PARENT_LEVELS = 2;

    private final ShotGridProjectMapping mapping;
    private final ShotGridFields fields;
    private final ShotGridProjects projects;
    private final AvalonProjects avalon;

    /**
     * @param projects the projects to sync, as the last poll listed them
     * @param avalon   where a missing parent is looked for (may be null where no batch reads parents)
     */
    public ShotGridEvents(ShotGridProjects projects, AvalonProjects avalon) {
        this.projects = projects;
        this.avalon = avalon;
        // the entity types and the field mapping of the full sync (one mapper per entity type for both)
        this.fields = projects.fields();
        this.mapping = new ShotGridProjectMapping(fields);
    }

    /**
     * What a journal batch needs. Entity events of a project the last poll no longer listed (switched off) are
     * ignored. A project batch is not judged by that list: the poll reads the project list before the event log,
     * so a project switched on in between has its switch event journaled while the list still lacks it; the
     * project read of {@link #projectFetches} decides instead.
     */
    public ShotGridEventBatch classify(@Body JournalBatch journal) {
        String project = "null".equals(journal.getProject()) ? null : journal.getProject();
        ShotGridEventBatch batch = new ShotGridEventBatch(project);
        for (Document entry : journal.getEntries()) {
            classify(entry, batch);
        }
        if (project != null && ShotGridEventBatch.ENTITIES.equals(batch.getAction()) && !projects.wanted(project)) {
            batch.ignore();
        }
        LOG.debug("{} -> {}", journal, batch);
        return batch;
    }

    private void classify(Document entry, ShotGridEventBatch batch) {
        Document data = entry.get("data") instanceof Document d ? d : new Document();
        String type = data.getString("entity_type");
        Object rawId = data.get("entity_id");
        Integer id = ShotGridValues.integer(rawId);
        if (type == null || id == null) {
            throw new ShotGridResponseException("shotgrid event " + entry.get("eventId") + " " + entry.get("name")
                    + " names no entity (entity_type / entity_id) in its data " + data.toJson());
        }
        String action = data.getString("action");
        String attribute = data.getString("attribute_name");
        if (!fields.synced(type)) {
            return; // an entity type shotgrid.entity-types leaves out
        }
        switch (type) {
            case "Step" -> batch.need(ShotGridEventBatch.ALL);
            case "Project" -> batch.need(ShotGridEventBatch.PROJECT);
            case "Task" -> batch.task(id);
            case "Sequence", "Episode" -> {
                if ("Change".equals(action) && attribute != null && TREE_FIELDS.contains(attribute)) {
                    batch.need(ShotGridEventBatch.PROJECT);
                } else {
                    batch.entity(type, id);
                }
            }
            default -> {
                if (ENTITY_TYPES.contains(type)) {
                    batch.entity(type, id);
                } // other entity types are not journaled; an old entry of one is ignored
            }
        }
    }

    /** The tasks the events name (active ones). */
    public List<ShotGridFetch> taskFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        batch.restartReads();
        ShotGridRead tasks = batch.getTaskRead();
        return tasks.getIds().isEmpty() ? List.of() : List.of(new ShotGridFetch(tasks.search(false), tasks::found));
    }

    /** Tasks not found active are read among the retired rows: a deleted task still names its entity. */
    public List<ShotGridFetch> retiredTaskFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        ShotGridRead tasks = batch.getTaskRead();
        if (tasks.getIds().isEmpty() || tasks.missing().isEmpty()) {
            return List.of();
        }
        ShotGridRead retired = new ShotGridRead("Task");
        tasks.missing().forEach(retired::add);
        return List.of(new ShotGridFetch(retired.search(true), tasks::found));
    }

    /** After the task reads: one search per entity type, of the events' entities and of the tasks' entities. */
    public List<ShotGridFetch> entityFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        taskEntities(batch);
        List<ShotGridFetch> fetches = new ArrayList<>();
        batch.getEntityReads().forEach(read -> fetches.add(new ShotGridFetch(read.search(false), read::found)));
        return fetches;
    }

    /** The entities of the tasks read are re-read too (a task's change is a change of its entity's tasks). */
    public void taskEntities(ShotGridEventBatch batch) {
        for (Map<String, Object> task : batch.getTaskRead().records()) {
            Map<String, Object> entity = ShotGridValues.link(task, "entity");
            Integer id = entity == null ? null : ShotGridValues.integer(entity.get("id"));
            if (id != null && ENTITY_TYPES.contains(String.valueOf(entity.get("type")))
                    && fields.synced(String.valueOf(entity.get("type")))) {
                batch.entity(entity.get("type").toString(), id);
            }
        }
    }

    /**
     * Parents (a shot's sequence, a sequence's episode) neither read in this batch nor in Avalon yet: they are
     * added to the batch and read, so a child never waits for a parent whose event came late or never (the
     * parent's own event, when it comes, re-reads it again: harmless). None after two levels.
     */
    public List<ShotGridFetch> parentFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        if (batch.nextParentLevel() > MAX_PARENT_LEVELS) {
            return List.of();
        }
        Map<String, ShotGridRead> added = new LinkedHashMap<>();
        for (ShotGridRead read : batch.getEntityReads()) {
            for (Map<String, Object> record : read.records()) {
                for (String field : PARENT_FIELDS) {
                    Map<String, Object> link = ShotGridValues.link(record, field);
                    Integer id = link == null ? null : ShotGridValues.integer(link.get("id"));
                    String type = link == null ? null : String.valueOf(link.get("type"));
                    if (id == null || !("Sequence".equals(type) || "Episode".equals(type)) || !fields.synced(type)) {
                        continue;
                    }
                    if (alreadyRead(batch, type, id) || avalon.findByTrackerId(ShotGridIdentity.INSTANCE,
                            ShotGridIdentity.key(type, id)) != null) {
                        continue;
                    }
                    batch.entity(type, id);
                    added.computeIfAbsent(type, ShotGridRead::new).add(id);
                }
            }
        }
        List<ShotGridFetch> fetches = new ArrayList<>();
        added.forEach((type, read) -> fetches.add(new ShotGridFetch(read.search(false), batch.entityRead(type)::found)));
        return fetches;
    }

    private static boolean alreadyRead(ShotGridEventBatch batch, String type, int id) {
        return batch.getEntityReads().stream().anyMatch(r -> r.getType().equals(type) && r.getIds().contains(id));
    }

    /** Every task of the entities read: their {@code data.tasks} is rebuilt from these. */
    public List<ShotGridFetch> entityTaskFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        if (!fields.synced("Task")) {
            return List.of(); // tasks are not synced: data.tasks is left as it is
        }
        List<Object> links = new ArrayList<>();
        for (ShotGridRead read : batch.getEntityReads()) {
            read.getIds().forEach(id -> links.add(ShotGridSearch.link(read.getType(), id)));
        }
        return links.isEmpty() ? List.of()
                : List.of(new ShotGridFetch(ShotGridSearch.of("Task").where("entity", "in", links), batch::entityTasks));
    }

    /**
     * The project record (its name and the Avalon project the writes go to). A project not to be synced now (its
     * checkbox off, archived, a template or deleted) leaves the batch without one: the batch then needs nothing,
     * since a project switched on again is re-synced through its switch event.
     */
    public List<ShotGridFetch> projectFetches(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        ShotGridSearch search = projects.search().where("id", "is", Integer.parseInt(batch.getProjectId()));
        return List.of(new ShotGridFetch(search, found -> {
            boolean synced = !found.isEmpty() && projects.toSync(found.get(0));
            batch.setProject(synced ? found.get(0) : null);
            if (!synced) {
                LOG.info("shotgrid events: project {} is not synced now (sync checkbox off, archived, a template or "
                        + "deleted); {} needs nothing", batch.getProjectId(), batch);
            }
        }));
    }

    /**
     * The {@link DesiredProject} of the batch's entities as ShotGrid has them now, through the full sync's
     * mapping.
     */
    public DesiredProject desired(@ExchangeProperty(BATCH) ShotGridEventBatch batch) {
        Map<String, Object> project = batch.getProject();
        if (project == null) {
            throw new IllegalStateException(batch + " has no project record; read it first");
        }
        List<Map<String, Object>> assets = new ArrayList<>();
        List<Map<String, Object>> episodes = new ArrayList<>();
        List<Map<String, Object>> sequences = new ArrayList<>();
        List<Map<String, Object>> shots = new ArrayList<>();
        for (ShotGridRead read : batch.getEntityReads()) {
            switch (read.getType()) {
                case "Asset" -> assets.addAll(read.records());
                case "Episode" -> episodes.addAll(read.records());
                case "Sequence" -> sequences.addAll(read.records());
                case "Shot" -> shots.addAll(read.records());
                default -> { }
            }
        }
        ShotGridLookups lookups = new ShotGridLookups(project, batch.getEntityTasks());
        return mapping.map(project, List.of(), assets, episodes, sequences, shots, batch.getEntityTasks(), lookups);
    }
}
