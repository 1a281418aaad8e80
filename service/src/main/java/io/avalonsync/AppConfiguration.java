package io.avalonsync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.AvalonWriter;
import io.avalonsync.avalon.Flavour;
import io.avalonsync.avalon.IdentityGuard;
import io.avalonsync.avalon.ProjectPlanner;
import io.avalonsync.fields.FieldMapping;
import io.avalonsync.journal.EventJournal;
import io.avalonsync.journal.JournalSteps;
import io.avalonsync.kitsu.KitsuEventCursor;
import io.avalonsync.kitsu.KitsuEventHints;
import io.avalonsync.kitsu.KitsuEvents;
import io.avalonsync.kitsu.KitsuIdentity;
import io.avalonsync.kitsu.KitsuProjectMapping;
import io.avalonsync.kitsu.KitsuProjects;
import io.avalonsync.kitsu.KitsuSession;
import io.avalonsync.kitsu.KitsuSnapshots;
import io.avalonsync.shotgrid.ShotGridEventCursor;
import io.avalonsync.shotgrid.ShotGridEvents;
import io.avalonsync.shotgrid.ShotGridIdentity;
import io.avalonsync.shotgrid.ShotGridLeecher;
import io.avalonsync.shotgrid.ShotGridProjectMapping;
import io.avalonsync.shotgrid.ShotGridProjects;
import io.avalonsync.shotgrid.ShotGridSearches;
import io.avalonsync.shotgrid.ShotGridSession;
import io.avalonsync.sitesync.SiteQueue;
import io.avalonsync.sitesync.SiteSyncBeans;
import io.avalonsync.sitesync.SiteSyncShutdown;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.status.ClusterHealthCheck;
import io.avalonsync.status.HealthReport;
import io.avalonsync.status.IdentityHealthCheck;
import io.avalonsync.status.JournalHealthCheck;
import io.avalonsync.status.MongoHealthCheck;
import io.avalonsync.status.ServiceMetrics;
import io.avalonsync.status.SourceStatus;
import io.avalonsync.status.StatusAuth;
import io.avalonsync.status.MongoCommandTags;
import io.avalonsync.status.StatusFigures;
import io.avalonsync.status.StatusHistory;
import io.avalonsync.status.StatusPage;
import io.avalonsync.status.TrackerHealthCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.avalonsync.sync.Progress;
import io.avalonsync.sync.SyncRuns;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The named beans the routes use. Routes say what flows where; these beans do the transforming.
 */
public class AppConfiguration implements CamelConfiguration {

    private final SourceStatus kitsuStatus = new SourceStatus("kitsu");
    private final SourceStatus shotgridStatus = new SourceStatus("shotgrid");
    private ShotGridSession shotgridSession;
    private MongoClient mongo;
    private KitsuSession kitsuSession;
    private EventJournal journal;
    /** /metrics: camel-micrometer's route policy and event notifiers write here, and so do the service's gauges. */
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private boolean metricsBound;

    @BindToRegistry("avalonMongo")
    public synchronized MongoClient avalonMongo(@PropertyInject("avalon.mongo-uri") String uri,
            @PropertyInject(value = "avalon.mongo-timeout", defaultValue = "5000") int timeout) {
        if (mongo != null) {
            return mongo;
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(timeout, TimeUnit.MILLISECONDS))
                .applicationName("avalon-sync")
                // every command counted and timed in /metrics (mongodb_driver_commands_seconds), per command and
                // collection: what the service, and a status page load, cost the database (README, "Status server")
                .addCommandListener(new io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener(metrics,
                        new MongoCommandTags()))
                .build();
        mongo = MongoClients.create(settings);
        return mongo;
    }

    @BindToRegistry("avalonProjects")
    public AvalonProjects avalonProjects(@PropertyInject(value = "avalon.db", defaultValue = "avalon") String db,
            @PropertyInject(value = "sync.state-db", defaultValue = "avalon_sync") String stateDb,
            @PropertyInject("avalon.mongo-uri") String uri,
            @PropertyInject(value = "avalon.mongo-timeout", defaultValue = "5000") int timeout) {
        return new AvalonProjects(avalonMongo(uri, timeout), db, stateDb);
    }

    @BindToRegistry("avalonPlanner")
    public ProjectPlanner avalonPlanner(@PropertyInject(value = "avalon.flavour", defaultValue = "openpype") String flavour,
            @PropertyInject(value = "sync.deletes", defaultValue = "ignore") String deletes) {
        if (!deletes.equals("ignore") && !deletes.equals("archive")) {
            throw new IllegalArgumentException("sync.deletes must be ignore or archive (was '" + deletes + "')");
        }
        return new ProjectPlanner(Flavour.fromKey(flavour), deletes.equals("archive"));
    }

    @BindToRegistry("syncRuns")
    public SyncRuns syncRuns() {
        return new SyncRuns(Map.of("kitsu", kitsuStatus, "shotgrid", shotgridStatus));
    }

    @BindToRegistry("kitsuSession")
    public synchronized KitsuSession kitsuSession(@PropertyInject("kitsu.api") String api,
            @PropertyInject(value = "kitsu.user", defaultValue = "") String user,
            @PropertyInject(value = "kitsu.password", defaultValue = "") String password,
            @PropertyInject(value = "kitsu.timeout", defaultValue = "60000") long timeout) {
        if (kitsuSession == null) {
            kitsuSession = new KitsuSession(api, user, password, timeout, kitsuStatus);
        }
        return kitsuSession;
    }

    /** Before a 401 is redelivered: log in again (onRedeliveryRef of routes/errors.camel.yaml). */
    @BindToRegistry("kitsuRelogin")
    public Processor kitsuRelogin(@PropertyInject("kitsu.api") String api,
            @PropertyInject(value = "kitsu.user", defaultValue = "") String user,
            @PropertyInject(value = "kitsu.password", defaultValue = "") String password,
            @PropertyInject(value = "kitsu.timeout", defaultValue = "60000") long timeout) {
        KitsuSession session = kitsuSession(api, user, password, timeout);
        return session::relogin;
    }

    // ShotGrid beans are named after their classes (routes/shotgrid-*.camel.yaml refer to them so)

    /** The script session; its token goes on every ShotGrid request of the routes (httpClientConfigurer). */
    @BindToRegistry("ShotGridSession")
    public synchronized ShotGridSession shotgridSession(@PropertyInject("shotgrid.site") String site,
            @PropertyInject(value = "shotgrid.script-name", defaultValue = "") String scriptName,
            @PropertyInject(value = "shotgrid.api-key", defaultValue = "") String apiKey,
            @PropertyInject(value = "shotgrid.timeout", defaultValue = "60000") long timeout) {
        if (shotgridSession == null) {
            shotgridSession = new ShotGridSession(site, scriptName, apiKey, timeout);
        }
        return shotgridSession;
    }

    /** Before a 401 is redelivered: forget the refused token (onRedeliveryRef of routes/errors.camel.yaml). */
    @BindToRegistry("shotgridRelogin")
    public Processor shotgridRelogin(@PropertyInject("shotgrid.site") String site,
            @PropertyInject(value = "shotgrid.script-name", defaultValue = "") String scriptName,
            @PropertyInject(value = "shotgrid.api-key", defaultValue = "") String apiKey,
            @PropertyInject(value = "shotgrid.timeout", defaultValue = "60000") long timeout) {
        ShotGridSession session = shotgridSession(site, scriptName, apiKey, timeout);
        return exchange -> session.unauthorized(exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    @BindToRegistry("kitsuProjects")
    public KitsuProjects kitsuProjects(@PropertyInject(value = "kitsu.projects", defaultValue = "") String projects) {
        return new KitsuProjects(projects);
    }


    @BindToRegistry("eventJournal")
    public synchronized EventJournal eventJournal(@PropertyInject(value = "sync.state-db", defaultValue = "avalon_sync") String stateDb,
            @PropertyInject(value = "kitsu.events.max-attempts", defaultValue = "5") int maxAttempts,
            @PropertyInject(value = "kitsu.retry-delay", defaultValue = "1000") long retryDelay,
            @PropertyInject("avalon.mongo-uri") String uri,
            @PropertyInject(value = "avalon.mongo-timeout", defaultValue = "5000") int timeout) {
        if (journal == null) {
            journal = new EventJournal(avalonMongo(uri, timeout), stateDb, maxAttempts, Duration.ofMillis(retryDelay), Duration.ofMinutes(10));
        }
        return journal;
    }

    @BindToRegistry("kitsuEventHints")
    public KitsuEventHints kitsuEventHints() {
        return new KitsuEventHints();
    }

    // Camel's metrics: camel-micrometer's route policy factory and event notifiers, bound by name (so routes and
    // the micrometer: component find them too) and added to the context in configure(), before routes are created.
    // camel.metrics.* of Camel Main would need camel-micrometer-prometheus, which serves through platform-http.

    @BindToRegistry(MicrometerConstants.METRICS_REGISTRY_NAME)
    public synchronized PrometheusMeterRegistry metricsRegistry() {
        if (metricsBound) {
            return metrics; // Camel may ask again: the filter and the binders are set up once
        }
        metricsBound = true;
        // every series says what it is: a meter registered without a description gets its name's words
        metrics.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getDescription() == null || id.getDescription().isBlank()
                        ? new io.micrometer.core.instrument.Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTags()),
                                id.getBaseUnit(), id.getName().replace('.', ' ').replace('_', ' '), id.getType()) : id;
            }
        });
        // the JVM and the process: memory, GC pauses, threads, classes, CPU, uptime, open files (Micrometer's binders)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(metrics);
        return metrics;
    }

    /** Per route: exchanges, failures and processing time (camel_exchanges_*, camel_route_policy_*). */
    @BindToRegistry("metricsRoutePolicy")
    public MicrometerRoutePolicyFactory metricsRoutePolicy() {
        MicrometerRoutePolicyFactory factory = new MicrometerRoutePolicyFactory();
        factory.setMeterRegistry(metrics);
        return factory;
    }

    /** Per endpoint: sent and received exchanges and their time (HTTP calls to the trackers and Drive). */
    @BindToRegistry("metricsExchangeNotifier")
    public MicrometerExchangeEventNotifier metricsExchangeNotifier() {
        MicrometerExchangeEventNotifier notifier = new MicrometerExchangeEventNotifier();
        notifier.setMeterRegistry(metrics);
        return notifier;
    }

    /** Routes added and running. */
    @BindToRegistry("metricsRouteNotifier")
    public MicrometerRouteEventNotifier metricsRouteNotifier() {
        MicrometerRouteEventNotifier notifier = new MicrometerRouteEventNotifier();
        notifier.setMeterRegistry(metrics);
        return notifier;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Progress.interval(Duration.ofMillis(
                Math.round(Double.parseDouble(prop(context, "sync.progress-interval", "10")) * 1000)));
        AvalonProjects projects = context.getRegistry().lookupByNameAndType("avalonProjects", AvalonProjects.class);
        ProjectPlanner planner = context.getRegistry().lookupByNameAndType("avalonPlanner", ProjectPlanner.class);
        // beans are named after their classes; a class with one instance per tracker has the tracker's prefix
        context.getRegistry().bind("kitsuAvalonWriter", new AvalonWriter(projects, planner, KitsuIdentity.INSTANCE,
                io.avalonsync.avalon.AvalonLayout.fromKey(prop(context, "kitsu.layout", "auto"))));
        context.getRegistry().bind("kitsuProjectChoice", new io.avalonsync.sync.ProjectChoice(projects,
                KitsuIdentity.INSTANCE, project -> String.valueOf(project.get("id"))));
        // the unique tracker-identity index: the duplicate-key predicate and the re-plan log of routes/errors.camel.yaml
        IdentityGuard guard = projects.guard();
        context.getRegistry().bind("identityGuard", guard);
        context.getRegistry().bind("avalonConverge", guard.converging());
        EventJournal journal = context.getRegistry().lookupByNameAndType("eventJournal", EventJournal.class);
        context.getRegistry().bind("httpFaults", new io.avalonsync.sync.HttpFaults());
        // the failure lines of ShotGrid requests carry ShotGrid's own error envelope
        io.avalonsync.sync.Failures.wordHttpErrors("shotgrid", io.avalonsync.shotgrid.ShotGridResponseException::envelopeOf);
        // one journal collection; each tracker's entries have its own attempt limit and retry delay
        EventJournal shotgridJournal = new EventJournal(projects.client(), prop(context, "sync.state-db", "avalon_sync"),
                Integer.parseInt(prop(context, "shotgrid.events.max-attempts", "5")),
                Duration.ofMillis(Long.parseLong(prop(context, "shotgrid.retry-delay", "1000"))), Duration.ofMinutes(10));
        context.getRegistry().bind("journalSteps", new JournalSteps(Map.of("kitsu", journal, "shotgrid", shotgridJournal), 100));
        context.getRegistry().bind("kitsuEventCursor", new KitsuEventCursor(journal));
        // one field mapping (kitsu.fields.*) for the snapshot's reads and the mappers of the full sync and of events
        FieldMapping kitsuFields = fieldMapping(context, FieldMapping.Tracker.KITSU);
        context.getRegistry().bind("kitsuSnapshots", new KitsuSnapshots(kitsuFields));
        context.getRegistry().bind("kitsuProjectMapping", new KitsuProjectMapping(kitsuFields));
        context.getRegistry().bind("kitsuEvents", new KitsuEvents(projects,
                context.getRegistry().lookupByNameAndType("kitsuProjects", KitsuProjects.class), kitsuFields));
        context.getRegistry().lookupByNameAndType("kitsuSession", KitsuSession.class).setCamelContext(context);
        bindShotGrid(context, projects, planner, shotgridJournal);

        SiteSyncBeans.bind(context, projects.client());
        bindStatus(context, journal);
        addMetrics(context);
        context.getManagementStrategy().addEventNotifier(new ShutdownLog(
                context.getRegistry().lookupByNameAndType("SiteSyncShutdown", SiteSyncShutdown.class)));

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            String db = context.resolvePropertyPlaceholders("{{avalon.db}}");
            health.register(new MongoHealthCheck(projects.client(), db));
            NodeRegistry nodes = context.getRegistry().lookupByNameAndType("clusterNodes", NodeRegistry.class);
            if (nodes != null) {
                health.register(new ClusterHealthCheck(context, nodes));
            }
            health.register(new IdentityHealthCheck(guard));
            if (Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{kitsu.enabled}}"))) {
                health.register(new TrackerHealthCheck(kitsuStatus, context.resolvePropertyPlaceholders("{{kitsu.api}}") + "/"));
                health.register(new JournalHealthCheck(journal, "kitsu"));
            }
            if (Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{shotgrid.enabled}}"))) {
                health.register(new TrackerHealthCheck(shotgridStatus,
                        context.resolvePropertyPlaceholders("{{shotgrid.site}}") + "/api/v1/"));
                health.register(new JournalHealthCheck(journal, "shotgrid"));
            }
        }
    }

    private void addMetrics(CamelContext context) {
        MicrometerRoutePolicyFactory policy = context.getRegistry()
                .lookupByNameAndType("metricsRoutePolicy", MicrometerRoutePolicyFactory.class);
        if (!context.getRoutePolicyFactories().contains(policy)) {
            context.addRoutePolicyFactory(policy);
        }
        for (String name : List.of("metricsExchangeNotifier", "metricsRouteNotifier")) {
            org.apache.camel.spi.EventNotifier notifier = context.getRegistry()
                    .lookupByNameAndType(name, org.apache.camel.spi.EventNotifier.class);
            if (!context.getManagementStrategy().getEventNotifiers().contains(notifier)) {
                context.getManagementStrategy().addEventNotifier(notifier);
            }
        }
    }

    /** The status page and /metrics read the same figures; the status server warns when it is open to the network. */
    private void bindStatus(CamelContext context, EventJournal journal) {
        List<String> sources = new ArrayList<>();
        for (String source : List.of("kitsu", "shotgrid")) {
            if (Boolean.parseBoolean(prop(context, source + ".enabled", "false"))) {
                sources.add(source);
            }
        }
        AvalonProjects projects = context.getRegistry().lookupByNameAndType("avalonProjects", AvalonProjects.class);
        SiteQueue siteQueue = context.getRegistry().lookupByNameAndType("SiteQueue", SiteQueue.class);
        StatusFigures figures = new StatusFigures(journal,
                context.getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class), sources,
                context.getRegistry().lookupByNameAndType("identityGuard", IdentityGuard.class), siteQueue,
                projects.client().getDatabase(projects.database()));
        // the one-hour charts: sampled by the route status-samples, site sync passes counted by serviceMetrics
        StatusHistory history = new StatusHistory(figures);
        context.getRegistry().bind("statusFigures", figures);
        context.getRegistry().bind("statusHistory", history);
        context.getRegistry().bind("healthReport", new HealthReport(context));
        // the daemon's node record (absent in one-shot runs): which node leads which singleton route group
        NodeRegistry nodes = context.getRegistry().lookupByNameAndType("clusterNodes", NodeRegistry.class);
        context.getRegistry().bind("statusPage", new StatusPage(context, figures, history, siteQueue.records(),
                Boolean.parseBoolean(prop(context, "sitesync.enabled", "false")),
                SiteSyncBeans.nodeId(prop(context, "sitesync.local-id", "local_0")), nodes));
        context.getRegistry().bind("serviceMetrics", new ServiceMetrics(metrics, context, figures, history, nodes));
        // the password is read raw (not trimmed); empty keys = no auth
        String password = context.getPropertiesComponent().resolveProperty("status.password").orElse("");
        StatusAuth auth = new StatusAuth(prop(context, "status.user", ""), password);
        auth.warnIfOpen(prop(context, "status.bind", "127.0.0.1"), prop(context, "status.port", "8080"));
        context.getRegistry().bind("statusAuth", auth);
    }

    /**
     * ShotGrid beans that need others: the Avalon writer with the ShotGrid identity, the project choice, the leecher
     * (with ShotGrid's journal) and the event processor's steps.
     */
    private void bindShotGrid(CamelContext context, AvalonProjects projects, ProjectPlanner planner, EventJournal sgJournal) {
        // the entity types and field mapping synced (shotgrid.entity-types, shotgrid.fields.*): one for the searches,
        // the full sync's mappers and the event processor's
        java.util.Set<String> types = new java.util.LinkedHashSet<>();
        String typesProblem = io.avalonsync.shotgrid.ShotGridFields.parseTypes(prop(context, "shotgrid.entity-types", ""), types);
        if (typesProblem != null) {
            org.slf4j.LoggerFactory.getLogger(AppConfiguration.class).error("shotgrid.entity-types: {}", typesProblem);
        }
        io.avalonsync.shotgrid.ShotGridFields fields = new io.avalonsync.shotgrid.ShotGridFields(
                types.isEmpty() ? java.util.Set.copyOf(io.avalonsync.shotgrid.ShotGridFields.TYPES) : types,
                fieldMapping(context, FieldMapping.Tracker.SHOTGRID));
        // ShotGrid beans are named after their classes (routes/shotgrid-*.camel.yaml refer to them so)
        ShotGridProjects wanted = new ShotGridProjects(prop(context, "shotgrid.sync-field", ""), fields);
        context.getRegistry().bind("ShotGridProjects", wanted);
        context.getRegistry().bind("ShotGridSearches", new ShotGridSearches(fields));
        context.getRegistry().bind("ShotGridProjectMapping", new ShotGridProjectMapping(fields));
        context.getRegistry().bind("shotgridAvalonWriter", new AvalonWriter(projects, planner, ShotGridIdentity.INSTANCE));
        context.getRegistry().bind("shotgridProjectChoice", new io.avalonsync.sync.ProjectChoice(projects,
                ShotGridIdentity.INSTANCE, project -> "Project:" + project.get("id")));
        ShotGridEventCursor cursor = new ShotGridEventCursor(sgJournal, prop(context, "shotgrid.script-name", ""),
                prop(context, "shotgrid.sync-field", ""),
                Duration.ofMillis(Long.parseLong(prop(context, "shotgrid.gap-timeout", "300000"))), java.time.Clock.systemUTC());
        ShotGridSession session = context.getRegistry().lookupByNameAndType("ShotGridSession", ShotGridSession.class);
        context.getRegistry().bind("ShotGridLeecher", new ShotGridLeecher(cursor, wanted, session));
        context.getRegistry().bind("ShotGridEvents", new ShotGridEvents(wanted, projects));
    }

    private static String prop(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank()).map(String::trim)
                .orElse(defaultValue);
    }

    /**
     * The field mapping of a tracker ({@code <tracker>.fields.*}, listed in {@code <tracker>.field-keys} by Settings).
     * Every start runs validate's checks first, which refuse a bad mapping; one that still gets here (a host without
     * those checks) is logged and left out.
     */
    static FieldMapping fieldMapping(CamelContext context, FieldMapping.Tracker tracker) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String suffix : prop(context, tracker.key() + ".field-keys", "").split(",")) {
            if (!suffix.isBlank()) {
                entries.put(tracker.prefix() + suffix.trim(), prop(context, tracker.prefix() + suffix.trim(), ""));
            }
        }
        List<FieldMapping.Problem> problems = new ArrayList<>();
        FieldMapping mapping = FieldMapping.parse(tracker, entries, problems);
        problems.forEach(p -> org.slf4j.LoggerFactory.getLogger(AppConfiguration.class)
                .error("{}: {}; this mapping is not used", p.key(), p.message()));
        return mapping;
    }
}
