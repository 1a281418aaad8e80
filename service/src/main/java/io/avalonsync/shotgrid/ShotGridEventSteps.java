package io.avalonsync.shotgrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.DesiredProject;
import io.avalonsync.journal.JournalBatch;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps of {@code shotgrid-apply-events}: the reads of {@link ShotGridEvents#read} split into searches
 * the route sends through {@code direct:shotgrid-search} (so every request has the route's redelivery), then
 * the mapping. Each {@code ...Search} step sets the {@value ShotGridSteps#SEARCH} property, or removes it when
 * there is nothing to read; each {@code ...Found} step takes the records in the body.
 */
public final class ShotGridEventSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ShotGridEventSteps.class);
    private static final int MAX_PARENT_LEVELS = 2;

    private final ShotGridEvents events;
    private final ShotGridSteps projects;
    private final AvalonProjects avalon;

    public ShotGridEventSteps(ShotGridSteps projects, AvalonProjects avalon) {
        this.projects = projects;
        this.avalon = avalon;
        // the entity types and the field mapping of the full sync (one mapper per entity type for both)
        this.events = new ShotGridEvents(projects.fields());
    }

    /**
     * Body in: a {@link JournalBatch}. Entity events of a project the last poll no longer listed (switched off) are
     * ignored. A project batch is not judged by that list: the poll reads the project list before the event log,
     * so a project switched on in between has its switch event journaled while the list still lacks it; the
     * project read of {@link #projectFound} decides instead.
     */
    public ShotGridEventBatch classify(Exchange exchange) {
        ShotGridEventBatch batch = events.classify(exchange);
        if (batch.getProjectId() != null && ShotGridEventBatch.ENTITIES.equals(batch.getAction())
                && !projects.wanted(batch.getProjectId())) {
            exchange.setProperty(ShotGridEvents.ACTION, ShotGridEventBatch.IGNORE);
        }
        return batch;
    }

    private static ShotGridEventBatch batch(Exchange exchange) {
        return exchange.getProperty(ShotGridEvents.BATCH, ShotGridEventBatch.class);
    }

    private static void search(Exchange exchange, ShotGridSearch search) {
        if (search == null) {
            exchange.removeProperty(ShotGridSteps.SEARCH);
        } else {
            exchange.setProperty(ShotGridSteps.SEARCH, search);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(Exchange exchange) {
        List<Map<String, Object>> records = exchange.getMessage().getBody(List.class);
        return records == null ? List.of() : records;
    }

    /** The tasks the events name (active ones). */
    public void taskSearch(Exchange exchange) {
        exchange.removeProperty("shotgridParentLevel"); // a redelivered read starts over
        ShotGridRead tasks = batch(exchange).getTaskRead();
        search(exchange, tasks.getIds().isEmpty() ? null : tasks.search(false));
    }

    public void tasksFound(Exchange exchange) {
        batch(exchange).getTaskRead().found(records(exchange));
    }

    /** Tasks not found active are read among the retired rows: a deleted task still names its entity. */
    public void retiredTaskSearch(Exchange exchange) {
        ShotGridRead tasks = batch(exchange).getTaskRead();
        if (tasks.getIds().isEmpty() || tasks.missing().isEmpty()) {
            search(exchange, null);
            return;
        }
        ShotGridRead retired = new ShotGridRead("Task");
        tasks.missing().forEach(retired::add);
        search(exchange, retired.search(true));
    }

    /** After the task reads: the entity searches (one per type) of the events and of the tasks' entities. */
    public List<ShotGridSearch> entitySearches(Exchange exchange) {
        ShotGridEventBatch batch = batch(exchange);
        events.taskEntities(batch);
        List<ShotGridSearch> searches = new ArrayList<>();
        batch.getEntityReads().forEach(read -> searches.add(read.search(false)));
        return searches;
    }

    /** Body in: the records of one entity search (property shotgridSearch names its type). */
    public void entitiesFound(Exchange exchange) {
        String type = exchange.getProperty(ShotGridSteps.SEARCH, ShotGridSearch.class).type();
        for (ShotGridRead read : batch(exchange).getEntityReads()) {
            if (read.getType().equals(type)) {
                read.found(records(exchange));
            }
        }
    }

    /**
     * Parents (a shot's sequence, a sequence's episode) neither read in this batch nor in Avalon yet: they are
     * added to the batch and read, so a child never waits for a parent whose event came late or never (the
     * parent's own event, when it comes, re-reads it again: harmless). Body out: their searches.
     */
    public List<ShotGridSearch> parentSearches(Exchange exchange) {
        ShotGridEventBatch batch = batch(exchange);
        int level = exchange.getProperty("shotgridParentLevel", 0, Integer.class);
        exchange.setProperty("shotgridParentLevel", level + 1);
        if (level >= MAX_PARENT_LEVELS) {
            return List.of();
        }
        List<ShotGridSearch> searches = new ArrayList<>();
        java.util.Map<String, ShotGridRead> added = new java.util.LinkedHashMap<>();
        for (ShotGridRead read : batch.getEntityReads()) {
            for (Map<String, Object> record : read.records()) {
                for (String field : List.of("sg_sequence", "episode")) {
                    Map<String, Object> link = ShotGridValues.link(record, field);
                    Integer id = link == null ? null : ShotGridValues.integer(link.get("id"));
                    String type = link == null ? null : String.valueOf(link.get("type"));
                    if (id == null || !("Sequence".equals(type) || "Episode".equals(type)) || !projects.fields().synced(type)) {
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
        added.values().forEach(read -> searches.add(read.search(false)));
        return searches;
    }

    private static boolean alreadyRead(ShotGridEventBatch batch, String type, int id) {
        return batch.getEntityReads().stream().anyMatch(r -> r.getType().equals(type) && r.getIds().contains(id));
    }

    /** Every task of the entities read: their {@code data.tasks} is rebuilt from these. */
    public void entityTaskSearch(Exchange exchange) {
        if (!projects.fields().synced("Task")) {
            search(exchange, null); // tasks are not synced: data.tasks is left as it is
            return;
        }
        List<Object> links = new ArrayList<>();
        for (ShotGridRead read : batch(exchange).getEntityReads()) {
            read.getIds().forEach(id -> links.add(ShotGridSearch.link(read.getType(), id)));
        }
        search(exchange, links.isEmpty() ? null : ShotGridSearch.of("Task").where("entity", "in", links));
    }

    public void entityTasksFound(Exchange exchange) {
        batch(exchange).getEntityTasks().clear(); // a redelivered read replaces, never doubles
        batch(exchange).getEntityTasks().addAll(records(exchange));
    }

    /** The project record (its name and the Avalon project the writes go to). */
    public void projectSearch(Exchange exchange) {
        search(exchange, projects.projectsSearch().where("id", "is", Integer.parseInt(batch(exchange).getProjectId())));
    }

    /**
     * Body out: the project record, for {@code direct:shotgrid-sync-project}; null when the project is not to be
     * synced now (its checkbox off, archived, a template or deleted): the batch then needs nothing, since a
     * project switched on again is re-synced through its switch event.
     */
    public Map<String, Object> projectFound(Exchange exchange) {
        List<Map<String, Object>> found = records(exchange);
        ShotGridEventBatch batch = batch(exchange);
        if (found.isEmpty() || !projects.toSync(found.get(0))) {
            LOG.info("shotgrid events: project {} is not synced now (sync checkbox off, archived, a template or "
                    + "deleted); {} needs nothing", batch.getProjectId(), batch);
            exchange.getMessage().setBody(null);
            return null;
        }
        batch.setProject(found.get(0));
        exchange.getMessage().setBody(found.get(0));
        return found.get(0);
    }

    /** Body: the batch's {@link DesiredProject}; property shotgridEventScope: what the write may retire. */
    public DesiredProject desired(Exchange exchange) {
        return events.desired(exchange);
    }

    /** After a project re-sync for an event: its failure is the event's failure (retried, then parked). */
    public void resynced(@org.apache.camel.ExchangeProperty(io.avalonsync.sync.ProjectPass.PROPERTY)
            io.avalonsync.sync.ProjectPass<?> pass) {
        if (pass == null || pass.failure() != null) {
            throw new ShotGridResponseException("project re-sync failed: "
                    + (pass == null ? "it did not start" : pass.failure()));
        }
    }
}
