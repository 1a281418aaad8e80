package io.avalonsync;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.config.ConfigValidator;
import io.avalonsync.config.Settings;
import io.avalonsync.sync.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line entry point: daemon (no argument), {@code sync-once [kitsu|shotgrid] [--dry-run] [--project NAME]}, {@code validate}
 * and {@code demo} (which only says where the demo is: this jar holds no simulator, README "Layout"). Exit codes:
 * 0 success, 1 failure, 2 completed but some entities were rejected.
 */
public final class AvalonSync {

    private static final Logger LOG = LoggerFactory.getLogger(AvalonSync.class);

    /** What {@code demo} prints: the product jar ships no simulator or embedded store (README, "Layout"). */
    static final String DEMO_ELSEWHERE = "avalon-sync: the demo is not in this jar; it is target/avalon-sync-demo.jar,"
            + " built beside it: mvn -B -q package -DskipTests && java -jar target/avalon-sync-demo.jar";

    private AvalonSync() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, Path.of("").toAbsolutePath()));
    }

    static int run(String[] args, Path folder) throws Exception {
        String command = args.length == 0 ? "daemon" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (command) {
            case "--version":
            case "version":
                System.out.println(version());
                return 0;
            case "-h":
            case "--help":
            case "help":
                return Usage.help(rest.isEmpty() ? null : rest.get(0), System.out, System.err);
            default:
                break;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            return Usage.help(command, System.out, System.err);
        }
        Settings settings = Settings.load(folder);
        useLogFormat(settings);
        switch (command) {
            case "daemon":
                return daemon(folder, settings);
            case "sync-once":
                return syncOnce(settings, rest, () -> ConfigValidator.checksAtStart(folder, settings, "sync-once", System.err));
            case "validate":
                return ConfigValidator.run(folder, settings, System.out);
            case "demo":
                System.err.println(DEMO_ELSEWHERE);
                return 1;
            default:
                System.err.println("avalon-sync: unknown command '" + command + "'");
                Usage.summary(System.err);
                return 1;
        }
    }

    /** {@code avalon-sync <version> (Apache Camel <version>, Java <version>)}, from the build. */
    static String version() {
        java.util.Properties build = new java.util.Properties();
        try (java.io.InputStream in = AvalonSync.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (java.io.IOException e) {
            // the build's figures are unknown: say so below
        }
        return "avalon-sync " + build.getProperty("version", "unknown") + " (Apache Camel "
                + build.getProperty("camel.version", "unknown") + ", Java " + System.getProperty("java.version") + ")";
    }

    /**
     * sync.log-format from application.properties (a -D value is read by log4j2.properties itself): the JSON
     * appender instead of the text one, switched before the service logs anything of its own.
     */
    public static void useLogFormat(Settings settings) {
        String format = settings.sync().logFormat();
        if (!format.equals("text") && System.getProperty("sync.log-format") == null) {
            System.setProperty("sync.log-format", format);
            ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false)).reconfigure();
        }
    }

    static int daemon(Path folder, Settings settings) throws Exception {
        String problem = startupProblem(settings);
        if (problem == null && settings.siteSync().enabled()) {
            problem = io.avalonsync.sitesync.FileNameEncoding.problem();
        }
        if (problem != null) {
            LOG.error(problem);
            return 1;
        }
        // validate's checks beside Camel Main's start; they pass before the node record is claimed (the first write)
        // and before any route loads
        CompletableFuture<ConfigValidator.StartChecks> checked = ConfigValidator.checksAtStart(folder, settings,
                "avalon-sync", System.err);
        if (checked.isDone() && !checked.join().passed()) {
            return 1;
        }
        NodeRegistry nodes = NodeRegistry.open(settings);
        try {
            AvalonSyncApp.create(settings, true, nodes).gatedBy(() -> checked.join().passed() ? claim(nodes) : "")
                    .loadingCheckedRoutes(() -> checked.join().routeTexts()).runUntilStopped();
            return 0;
        } catch (Exception e) {
            if (!refused(e)) {
                throw e;
            }
            nodes.close();
            return 1;
        }
    }

    /** Whether a failed start was refused by its gate ({@link AvalonSyncApp#gatedBy}); logs the reason if not printed yet. */
    private static boolean refused(Exception failure) {
        AvalonSyncApp.StartRefused refused = AvalonSyncApp.StartRefused.in(failure);
        if (refused != null && !refused.getMessage().isEmpty()) {
            LOG.error(refused.getMessage());
        }
        return refused != null;
    }

    /** Claims the daemon's node id; the reason it is refused, or null. */
    private static String claim(NodeRegistry nodes) {
        try {
            return nodes.claim();
        } catch (com.mongodb.MongoException e) {
            // MongoDB away at start: the daemon still starts (and /health says MongoDB is DOWN); the node record
            // retries the claim with its heartbeat
            LOG.warn("node id '{}' not recorded yet, MongoDB does not answer: {}", nodes.nodeId(),
                    io.avalonsync.sync.Failures.describe(e));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stopped while claiming node id '" + nodes.nodeId() + "'";
        }
    }

    /** {@code sync-once} for a caller that checked the configuration itself (tests, the class-data training run). */
    static int syncOnce(Settings settings, List<String> args) throws Exception {
        // no texts: the routes load from the files as they are
        return syncOnce(settings, args, () -> CompletableFuture.completedFuture(new ConfigValidator.StartChecks(true, Map.of())));
    }

    /**
     * @param checks starts validate's checks, which must pass before any route loads (not passed: problems printed);
     *               the routes load from the texts they passed
     */
    static int syncOnce(Settings settings, List<String> args,
            java.util.function.Supplier<CompletableFuture<ConfigValidator.StartChecks>> checks)
            throws Exception {
        String problem = startupProblem(settings);
        if (problem != null) {
            LOG.error(problem);
            return 1;
        }
        List<String> sources = new java.util.ArrayList<>();
        boolean dryRun = false;
        String onlyProject = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if (arg.equals("--project") || arg.startsWith("--project=")) {
                onlyProject = arg.startsWith("--project=") ? arg.substring("--project=".length())
                        : i + 1 < args.size() ? args.get(++i) : null;
                if (onlyProject == null || onlyProject.isBlank()) {
                    LOG.error("sync-once: --project needs a project name (its tracker name or its Avalon name)");
                    return 1;
                }
            } else if (arg.equals("kitsu") || arg.equals("shotgrid")) {
                sources.add(arg);
            } else {
                LOG.error("sync-once: unknown source or option '{}' (use kitsu, shotgrid, --dry-run, --project NAME)", arg);
                return 1;
            }
        }
        // no source named: every configured one; a named source must be configured
        boolean kitsu = sources.isEmpty() ? settings.kitsu().enabled() : sources.contains("kitsu");
        boolean shotgrid = sources.isEmpty() ? settings.shotgrid().enabled() : sources.contains("shotgrid");
        if (kitsu && !settings.kitsu().enabled()) {
            LOG.error("sync-once kitsu: kitsu.url (or GAZU_URL) is not set");
            return 1;
        }
        if (shotgrid && !settings.shotgrid().enabled()) {
            LOG.error("sync-once shotgrid: shotgrid.url is not set");
            return 1;
        }
        if (!kitsu && !shotgrid) {
            LOG.error("sync-once: no source is configured: set kitsu.url (or GAZU_URL) or shotgrid.url");
            return 1;
        }
        // validate's checks beside Camel Main's start; they pass before any route loads or anything is synced
        CompletableFuture<ConfigValidator.StartChecks> checked = checks.get();
        if (checked.isDone() && !checked.join().passed()) {
            return 1;
        }
        AvalonSyncApp started;
        try {
            started = AvalonSyncApp.oneShot(settings).gatedBy(() -> checked.join().passed() ? null : "")
                    .loadingCheckedRoutes(() -> checked.join().routeTexts()).start();
        } catch (Exception e) {
            if (!refused(e)) {
                throw e;
            }
            return 1;
        }
        try (AvalonSyncApp app = started) {
            int exit = 0;
            for (String source : List.of("kitsu", "shotgrid")) {
                if (source.equals("kitsu") ? kitsu : shotgrid) {
                    boolean dry = dryRun;
                    String only = onlyProject;
                    // the routes read both as exchange properties (see the write routes and the project split)
                    org.apache.camel.Exchange done = app.context().createProducerTemplate()
                            .send("direct:" + source + "-full-sync", exchange -> {
                                exchange.setPattern(org.apache.camel.ExchangePattern.InOut);
                                exchange.setProperty(io.avalonsync.sync.SyncRuns.DRY_RUN, dry);
                                if (only != null) {
                                    exchange.setProperty(io.avalonsync.sync.SyncRuns.ONLY_PROJECT, only);
                                }
                            });
                    if (done.getException() != null) {
                        throw done.getException();
                    }
                    SyncRun run = done.getMessage().getBody(SyncRun.class);
                    System.out.println(run.summary());
                    exit = Math.max(exit, run.exitCode());
                }
            }
            return exit;
        }
    }

    /** Settings without which nothing can start, as one readable line, or null. */
    static String startupProblem(Settings settings) {
        String problem = settings.startupProblem();
        return problem != null ? problem : settings.cluster().problem();
    }
}
