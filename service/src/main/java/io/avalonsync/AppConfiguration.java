package io.avalonsync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.avalon.AvalonProjects;
import io.avalonsync.avalon.AvalonWriter;
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
import io.avalonsync.sitesync.SitePasses;
import io.avalonsync.sitesync.SiteQueue;
import io.avalonsync.sitesync.SiteSyncBeans;
import io.avalonsync.sitesync.SiteSyncOps;
import io.avalonsync.sitesync.SiteSyncShutdown;
import io.avalonsync.sitesync.SiteTransfers;
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
import io.avalonsync.config.Settings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.avalonsync.sync.Progress;
import io.avalonsync.sync.SyncRuns;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The named beans the routes use. Routes say what flows where; these beans do the transforming. Every bean a route
 * can name is a {@link BindToRegistry} method here, so {@code validate} knows the names from this class
 * ({@link #beanNames()}); each is made once, from the typed settings ({@link Settings}), on first use.
 */
public class AppConfiguration implements CamelConfiguration, CamelContextAware {

    private final Settings settings;
    /** This daemon's node record, or null (one-shot runs, tests): the status page and /metrics show it. */
    private final NodeRegistry nodes;
    private final SourceStatus kitsuStatus = new SourceStatus("kitsu");
    private final SourceStatus shotgridStatus = new SourceStatus("shotgrid");
    /** /metrics: camel-micrometer's route policy and event notifiers write here, and so do the service's gauges. */
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The beans made so far, by name: Camel may ask a @BindToRegistry method more than once. */
    private final Map<String, Object> made = new HashMap<>();
    /** Set by Camel before it calls the @BindToRegistry methods: the status beans read the routes and health checks. */
    private CamelContext camelContext;

    public AppConfiguration(Settings settings, NodeRegistry nodes) {
        this.settings = settings;
        this.nodes = nodes;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** The names of the beans this class binds: the {@code @BindToRegistry} methods. */
    public static Set<String> beanNames() {
        Set<String> names = new TreeSet<>();
        for (java.lang.reflect.Method method : AppConfiguration.class.getMethods()) {
            BindToRegistry bind = method.getAnnotation(BindToRegistry.class);
            if (bind != null) {
                names.add(bind.value().isEmpty() ? method.getName() : bind.value());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> T once(String name, Supplier<T> make) {
        Object bean = made.get(name);
        if (bean == null) {
            bean = make.get();
            made.put(name, bean);
        }
        return (T) bean;
    }

    // ---- Avalon --------------------------------------------------------------------------------------

    @BindToRegistry("avalonMongo")
    public MongoClient avalonMongo() {
        return once("avalonMongo", () -> {
            int timeout = settings.avalon().mongoTimeoutMillis();
            return MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(settings.avalon().mongoUri()))
                    .applyToClusterSettings(b -> b.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                    .applyToSocketSettings(b -> b.connectTimeout(timeout, TimeUnit.MILLISECONDS))
                    .applicationName("avalon-sync")
                    // every command counted and timed in /metrics (mongodb_driver_commands_seconds), per command and
                    // collection: what the service, and a status page load, cost the database (README, "Status server")
                    .addCommandListener(new io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener(
                            metricsRegistry(), new MongoCommandTags()))
                    .build());
        });
    }

    @BindToRegistry("avalonProjects")
    public AvalonProjects avalonProjects() {
        return once("avalonProjects", () -> new AvalonProjects(avalonMongo(), settings.avalon().db(), settings.sync().stateDb()));
    }

    @BindToRegistry("avalonPlanner")
    public ProjectPlanner avalonPlanner() {
        return once("avalonPlanner", () -> new ProjectPlanner(settings.avalon().flavour(), settings.sync().archiveDeletes()));
    }

    /** The unique tracker-identity index: the duplicate-key predicate of routes/errors.camel.yaml. */
    @BindToRegistry("identityGuard")
    public IdentityGuard identityGuard() {
        return once("identityGuard", () -> avalonProjects().guard());
    }

    /** Before a write refused as a duplicate is tried again: its re-plan log (onRedeliveryRef of routes/errors.camel.yaml). */
    @BindToRegistry("avalonConverge")
    public Processor avalonConverge() {
        return once("avalonConverge", () -> identityGuard().converging());
    }

    @BindToRegistry("syncRuns")
    public SyncRuns syncRuns() {
        return once("syncRuns", () -> new SyncRuns(Map.of("kitsu", kitsuStatus, "shotgrid", shotgridStatus), projectHolds()));
    }

    @BindToRegistry("httpFaults")
    public io.avalonsync.sync.HttpFaults httpFaults() {
        return once("httpFaults", io.avalonsync.sync.HttpFaults::new);
    }

    @BindToRegistry("eventJournal")
    public EventJournal eventJournal() {
        return once("eventJournal", () -> new EventJournal(avalonMongo(), settings.sync().stateDb(),
                settings.kitsu().maxAttempts(), Duration.ofMillis(settings.kitsu().retryDelayMillis()), Duration.ofMinutes(10)));
    }

    @BindToRegistry("healthReport")
    public HealthReport healthReport() {
        return once("healthReport", () -> new HealthReport(camelContext));
    }

    // ---- Kitsu ---------------------------------------------------------------------------------------

    @BindToRegistry("kitsuSession")
    public KitsuSession kitsuSession() {
        return once("kitsuSession", () -> new KitsuSession(settings.kitsu().api(), settings.kitsu().user(),
                settings.kitsu().password(), settings.kitsu().timeoutMillis(), kitsuStatus));
    }

    /** Before a 401 is redelivered: log in again (onRedeliveryRef of routes/errors.camel.yaml). */
    @BindToRegistry("kitsuRelogin")
    public Processor kitsuRelogin() {
        return once("kitsuRelogin", () -> (Processor) kitsuSession()::relogin);
    }

    @BindToRegistry("kitsuProjects")
    public KitsuProjects kitsuProjects() {
        return once("kitsuProjects", () -> new KitsuProjects(settings.kitsu().projects()));
    }

    /** One field mapping (kitsu.fields.*) for the snapshot's reads and the mappers of the full sync and of events. */
    private FieldMapping kitsuFields() {
        return once("kitsuFields", () -> settings.kitsu().fields());
    }

    @BindToRegistry("kitsuSnapshots")
    public KitsuSnapshots kitsuSnapshots() {
        return once("kitsuSnapshots", () -> new KitsuSnapshots(kitsuFields()));
    }

    @BindToRegistry("kitsuProjectMapping")
    public KitsuProjectMapping kitsuProjectMapping() {
        return once("kitsuProjectMapping", () -> new KitsuProjectMapping(kitsuFields()));
    }

    // a class with one instance per tracker is named after it with the tracker's prefix
    @BindToRegistry("kitsuAvalonWriter")
    public AvalonWriter kitsuAvalonWriter() {
        return once("kitsuAvalonWriter", () -> new AvalonWriter(avalonProjects(), avalonPlanner(), KitsuIdentity.INSTANCE,
                settings.kitsu().layout()));
    }

    @BindToRegistry("kitsuProjectChoice")
    public io.avalonsync.sync.ProjectChoice kitsuProjectChoice() {
        return once("kitsuProjectChoice", () -> new io.avalonsync.sync.ProjectChoice(avalonProjects(),
                KitsuIdentity.INSTANCE, project -> String.valueOf(project.get("id"))));
    }

    /** One journal collection; each tracker's entries have its own attempt limit and retry delay. */
    @BindToRegistry("journalSteps")
    public JournalSteps journalSteps() {
        return once("journalSteps", () -> new JournalSteps(Map.of("kitsu", eventJournal(), "shotgrid", shotgridEventJournal()), 100,
                projectHolds()));
    }

    /** One writer per project between its tracker reads and its Avalon write: full sync passes and event batches. */
    @BindToRegistry("projectHolds")
    public io.avalonsync.sync.ProjectHolds projectHolds() {
        return once("projectHolds", io.avalonsync.sync.ProjectHolds::new);
    }

    @BindToRegistry("kitsuEventCursor")
    public KitsuEventCursor kitsuEventCursor() {
        return once("kitsuEventCursor", () -> new KitsuEventCursor(eventJournal()));
    }

    @BindToRegistry("kitsuEvents")
    public KitsuEvents kitsuEvents() {
        return once("kitsuEvents", () -> new KitsuEvents(avalonProjects(), kitsuProjects(), kitsuFields()));
    }

    @BindToRegistry("kitsuEventHints")
    public KitsuEventHints kitsuEventHints() {
        return once("kitsuEventHints", KitsuEventHints::new);
    }

    // ---- ShotGrid ------------------------------------------------------------------------------------
    // ShotGrid beans with typed steps are named after their classes (routes/shotgrid-*.camel.yaml refer to them so)

    /** The script session; its token goes on every ShotGrid request of the routes (httpClientConfigurer). */
    @BindToRegistry("ShotGridSession")
    public ShotGridSession shotgridSession() {
        return once("ShotGridSession", () -> new ShotGridSession(settings.shotgrid().site(), settings.shotgrid().scriptName(),
                settings.shotgrid().apiKey(), settings.shotgrid().timeoutMillis()));
    }

    /** Before a 401 is redelivered: forget the refused token (onRedeliveryRef of routes/errors.camel.yaml). */
    @BindToRegistry("shotgridRelogin")
    public Processor shotgridRelogin() {
        return once("shotgridRelogin", () -> (Processor) exchange -> shotgridSession().unauthorized(
                exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class)));
    }

    /** The entity types and field mapping synced: one for the searches, the full sync's mappers and the events'. */
    private io.avalonsync.shotgrid.ShotGridFields shotgridFields() {
        return once("shotgridFields", () -> settings.shotgrid().fields());
    }

    @BindToRegistry("ShotGridProjects")
    public ShotGridProjects shotgridProjects() {
        return once("ShotGridProjects", () -> new ShotGridProjects(settings.shotgrid().syncField(), shotgridFields()));
    }

    @BindToRegistry("ShotGridSearches")
    public ShotGridSearches shotgridSearches() {
        return once("ShotGridSearches", () -> new ShotGridSearches(shotgridFields()));
    }

    @BindToRegistry("ShotGridProjectMapping")
    public ShotGridProjectMapping shotgridProjectMapping() {
        return once("ShotGridProjectMapping", () -> new ShotGridProjectMapping(shotgridFields()));
    }

    @BindToRegistry("shotgridAvalonWriter")
    public AvalonWriter shotgridAvalonWriter() {
        return once("shotgridAvalonWriter", () -> new AvalonWriter(avalonProjects(), avalonPlanner(), ShotGridIdentity.INSTANCE));
    }

    @BindToRegistry("shotgridProjectChoice")
    public io.avalonsync.sync.ProjectChoice shotgridProjectChoice() {
        return once("shotgridProjectChoice", () -> new io.avalonsync.sync.ProjectChoice(avalonProjects(),
                ShotGridIdentity.INSTANCE, project -> "Project:" + project.get("id")));
    }

    /** The same journal collection as Kitsu's (entries of source "shotgrid"), with ShotGrid's own attempt limit. */
    private EventJournal shotgridEventJournal() {
        return once("shotgridEventJournal", () -> new EventJournal(avalonMongo(), settings.sync().stateDb(),
                settings.shotgrid().maxAttempts(), Duration.ofMillis(settings.shotgrid().retryDelayMillis()),
                Duration.ofMinutes(10)));
    }

    /** The leecher's cursor: where the event log was read to, kept in the journal. */
    private ShotGridEventCursor shotgridEventCursor() {
        return once("shotgridEventCursor", () -> new ShotGridEventCursor(shotgridEventJournal(),
                settings.shotgrid().scriptName(), settings.shotgrid().syncField(), settings.shotgrid().gapTimeout(),
                java.time.Clock.systemUTC()));
    }

    @BindToRegistry("ShotGridLeecher")
    public ShotGridLeecher shotgridLeecher() {
        return once("ShotGridLeecher", () -> new ShotGridLeecher(shotgridEventCursor(), shotgridProjects(), shotgridSession()));
    }

    @BindToRegistry("ShotGridEvents")
    public ShotGridEvents shotgridEvents() {
        return once("ShotGridEvents", () -> new ShotGridEvents(shotgridProjects(), avalonProjects()));
    }

    // ---- Site sync -----------------------------------------------------------------------------------
    // Named after their classes (routes/sitesync.camel.yaml). Bound whether or not site sync is enabled (the status
    // page and the operations API read the queue either way), but nothing touches Drive before the first transfer:
    // the service starts without Drive credentials.

    private SiteSyncBeans siteSyncBeans() {
        return once("siteSyncBeans", () -> new SiteSyncBeans(settings.siteSync(), avalonMongo(), settings.avalon().db()));
    }

    @BindToRegistry("SitePasses")
    public SitePasses sitePasses() {
        return siteSyncBeans().passes();
    }

    @BindToRegistry("SiteTransfers")
    public SiteTransfers siteTransfers() {
        return siteSyncBeans().transfers();
    }

    /** The status page and /metrics read the queue. */
    @BindToRegistry("SiteQueue")
    public SiteQueue siteQueue() {
        return siteSyncBeans().queue();
    }

    @BindToRegistry("SiteSyncOps")
    public SiteSyncOps siteSyncOps() {
        return siteSyncBeans().ops();
    }

    /** A graceful stop: transfers not begun are not started, running ones are cut before the timeout, claims go back. */
    @BindToRegistry("SiteSyncShutdown")
    public SiteSyncShutdown siteSyncShutdown() {
        return siteSyncBeans().shutdown();
    }

    // ---- Status server -------------------------------------------------------------------------------

    /** The status page and /metrics read the same figures. */
    @BindToRegistry("statusFigures")
    public StatusFigures statusFigures() {
        return once("statusFigures", () -> {
            List<String> sources = new ArrayList<>();
            if (settings.kitsu().enabled()) {
                sources.add("kitsu");
            }
            if (settings.shotgrid().enabled()) {
                sources.add("shotgrid");
            }
            AvalonProjects projects = avalonProjects();
            return new StatusFigures(eventJournal(), syncRuns(), sources, identityGuard(), siteQueue(),
                    projects.client().getDatabase(projects.database()));
        });
    }

    /** The one-hour charts: sampled by the route status-samples, site sync passes counted by serviceMetrics. */
    @BindToRegistry("statusHistory")
    public StatusHistory statusHistory() {
        return once("statusHistory", () -> new StatusHistory(statusFigures()));
    }

    @BindToRegistry("statusPage")
    public StatusPage statusPage() {
        return once("statusPage", () -> new StatusPage(camelContext, statusFigures(), statusHistory(),
                siteSyncBeans().records(), settings.siteSync().enabled(), siteSyncBeans().node(), nodes));
    }

    @BindToRegistry("serviceMetrics")
    public ServiceMetrics serviceMetrics() {
        return once("serviceMetrics", () -> new ServiceMetrics(metricsRegistry(), camelContext, statusFigures(),
                statusHistory(), nodes));
    }

    /** Basic auth of every status endpoint; no keys = no auth. */
    @BindToRegistry("statusAuth")
    public StatusAuth statusAuth() {
        return once("statusAuth", () -> new StatusAuth(settings.status().user(), settings.status().password()));
    }

    // Camel's metrics: camel-micrometer's route policy factory and event notifiers, bound by name (so routes and
    // the micrometer: component find them too) and added to the context in configure(), before routes are created.
    // camel.metrics.* of Camel Main would need camel-micrometer-prometheus, which serves through platform-http.

    @BindToRegistry(MicrometerConstants.METRICS_REGISTRY_NAME)
    public PrometheusMeterRegistry metricsRegistry() {
        return once(MicrometerConstants.METRICS_REGISTRY_NAME, () -> {
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
        });
    }

    /** Per route: exchanges, failures and processing time (camel_exchanges_*, camel_route_policy_*). */
    @BindToRegistry("metricsRoutePolicy")
    public MicrometerRoutePolicyFactory metricsRoutePolicy() {
        return once("metricsRoutePolicy", () -> {
            MicrometerRoutePolicyFactory factory = new MicrometerRoutePolicyFactory();
            factory.setMeterRegistry(metricsRegistry());
            return factory;
        });
    }

    /** The site sync routes whose exchanges are one per file (routes/sitesync.camel.yaml). */
    private static final java.util.Set<String> PER_FILE_ROUTES = java.util.Set.of("sitesync-run", "sitesync-transfers");

    /** Per endpoint: sent and received exchanges and their time (HTTP calls to the trackers and Drive). */
    @BindToRegistry("metricsExchangeNotifier")
    public MicrometerExchangeEventNotifier metricsExchangeNotifier() {
        return once("metricsExchangeNotifier", () -> {
            MicrometerExchangeEventNotifier notifier = new MicrometerExchangeEventNotifier();
            notifier.setMeterRegistry(metricsRegistry());
            // not the site sync's per-file exchanges (the pass's split, the workers): each done exchange costs a
            // search through every meter of the registry (the last-exchange gauge), about a tenth of the site
            // sync's CPU on small files (bench/README.md "Site sync CPU per byte"); their routes keep their
            // camel_exchanges_* and camel_route_policy_* series from the route policy
            // (an exchange a template starts outside any route has no route id, and Set.of refuses to look up null)
            notifier.setIgnoreExchanges(exchange -> exchange.getFromRouteId() != null
                    && PER_FILE_ROUTES.contains(exchange.getFromRouteId()));
            return notifier;
        });
    }

    /** Routes added and running. */
    @BindToRegistry("metricsRouteNotifier")
    public MicrometerRouteEventNotifier metricsRouteNotifier() {
        return once("metricsRouteNotifier", () -> {
            MicrometerRouteEventNotifier notifier = new MicrometerRouteEventNotifier();
            notifier.setMeterRegistry(metricsRegistry());
            return notifier;
        });
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Progress.interval(settings.sync().progressInterval());
        kitsuSession().setCamelContext(context);
        // the failure lines of ShotGrid requests carry ShotGrid's own error envelope
        io.avalonsync.sync.Failures.wordHttpErrors("shotgrid", io.avalonsync.shotgrid.ShotGridResponseException::envelopeOf);
        addMetrics(context);
        context.getManagementStrategy().addEventNotifier(new ShutdownLog(siteSyncShutdown()));
        statusAuth().warnIfOpen(settings.status().bind(), settings.status().port());
        boolean siteSyncOn = settings.siteSync().enabled();
        String encoding = siteSyncOn ? io.avalonsync.sitesync.FileNameEncoding.problem() : null;
        if (encoding != null) {
            // the daemon refuses to start this way; elsewhere (demo, Karaf) at least say why such files fail
            org.slf4j.LoggerFactory.getLogger(AppConfiguration.class).error(encoding);
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new MongoHealthCheck(avalonProjects().client(), settings.avalon().db()));
            if (nodes != null) {
                health.register(new ClusterHealthCheck(context, nodes));
            }
            health.register(new IdentityHealthCheck(identityGuard()));
            if (settings.kitsu().enabled()) {
                health.register(new TrackerHealthCheck(kitsuStatus, settings.kitsu().api() + "/"));
                health.register(new JournalHealthCheck(eventJournal(), "kitsu"));
            }
            if (settings.shotgrid().enabled()) {
                health.register(new TrackerHealthCheck(shotgridStatus, settings.shotgrid().site() + "/api/v1/"));
                health.register(new JournalHealthCheck(eventJournal(), "shotgrid"));
            }
        }
    }

    private void addMetrics(CamelContext context) {
        MicrometerRoutePolicyFactory policy = metricsRoutePolicy();
        if (!context.getRoutePolicyFactories().contains(policy)) {
            context.addRoutePolicyFactory(policy);
        }
        for (org.apache.camel.spi.EventNotifier notifier : List.of(metricsExchangeNotifier(), metricsRouteNotifier())) {
            if (!context.getManagementStrategy().getEventNotifiers().contains(notifier)) {
                context.getManagementStrategy().addEventNotifier(notifier);
            }
        }
    }
}
