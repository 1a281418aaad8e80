package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.journal.JournalBatch;
import org.apache.camel.Exchange;
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
 */
public final class ShotGridEvents {

    public static final String ACTION = "shotgridEventAction";
    public static final String BATCH = "shotgridEventBatch";
    public static final String SCOPE = "shotgridEventScope";

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridEvents.class);
    private static final Set<String> ENTITY_TYPES = Set.of("Asset", "Episode", "Sequence", "Shot");
    /** Fields whose change renames or moves everything below a sequence or episode. */
    private static final Set<String> TREE_FIELDS = Set.of("code", "episode", "sg_sequence", "sg_episode");

    private final ShotGridProjectMapping mapping;
    private final ShotGridFields fields;

    public ShotGridEvents() {
        this(ShotGridFields.defaults());
    }

    /** @param fields the entity types and field mapping synced, the full sync's */
    public ShotGridEvents(ShotGridFields fields) {
        this.fields = fields;
        this.mapping = new ShotGridProjectMapping(fields);
    }

    /** Body in: a {@link JournalBatch}; body out and property {@value #BATCH}: the batch; {@value #ACTION}: its action. */
    public ShotGridEventBatch classify(Exchange exchange) {
        ShotGridEventBatch batch = classify(exchange.getMessage().getBody(JournalBatch.class));
        exchange.setProperty(BATCH, batch);
        exchange.setProperty(ACTION, batch.getAction());
        exchange.setProperty("shotgridProjectId", batch.getProjectId());
        exchange.getMessage().setBody(batch);
        return batch;
    }

    public ShotGridEventBatch classify(JournalBatch journal) {
        String project = "null".equals(journal.getProject()) ? null : journal.getProject();
        ShotGridEventBatch batch = new ShotGridEventBatch(project);
        for (Document entry : journal.getEntries()) {
            classify(entry, batch);
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

    /**
     * Reads what an {@link ShotGridEventBatch#ENTITIES} batch needs through a session: the tasks (active, then
     * retired) to learn their entities, each entity type with one search, every task of those entities, and the
     * project record.
     */
    public void read(ShotGridEventBatch batch, ShotGridSession session) {
        ShotGridRead tasks = batch.getTaskRead();
        if (!tasks.getIds().isEmpty()) {
            readAll(session, tasks.search(false), tasks);
            if (!tasks.missing().isEmpty()) {
                ShotGridRead retired = new ShotGridRead("Task");
                tasks.missing().forEach(retired::add);
                readAll(session, retired.search(true), retired);
                tasks.found(retired.records());
            }
        }
        taskEntities(batch);
        List<Object> links = new ArrayList<>();
        for (ShotGridRead read : batch.getEntityReads()) {
            readAll(session, read.search(false), read);
            read.getIds().forEach(id -> links.add(ShotGridSearch.link(read.getType(), id)));
        }
        if (!links.isEmpty()) {
            ShotGridSearch search = ShotGridSearch.of("Task").where("entity", "in", links);
            while (true) {
                ShotGridPage page = session.search(search);
                batch.getEntityTasks().addAll(page.records());
                if (!page.hasNext()) {
                    break;
                }
                search = search.next();
            }
        }
        int projectId = Integer.parseInt(batch.getProjectId());
        ShotGridPage project = session.search(ShotGridSearch.of("Project").where("id", "is", projectId));
        if (project.records().isEmpty()) {
            throw new ShotGridResponseException("ShotGrid project " + projectId + " of " + batch + " cannot be read");
        }
        batch.setProject(project.records().get(0));
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

    private static void readAll(ShotGridSession session, ShotGridSearch search, ShotGridRead into) {
        while (true) {
            ShotGridPage page = session.search(search);
            into.found(page.records());
            if (!page.hasNext()) {
                return;
            }
            search = search.next();
        }
    }

    /**
     * The {@link DesiredProject} of the batch's entities as ShotGrid has them now, through the full sync's
     * mapping. Property {@value #SCOPE}: the identity keys the write may retire.
     */
    public DesiredProject desired(Exchange exchange) {
        ShotGridEventBatch batch = exchange.getProperty(BATCH, ShotGridEventBatch.class);
        exchange.setProperty(SCOPE, batch.scope());
        return desired(batch);
    }

    public DesiredProject desired(ShotGridEventBatch batch) {
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
