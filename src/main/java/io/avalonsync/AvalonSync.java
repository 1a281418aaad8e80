package io.avalonsync;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.avalonsync.cluster.ClusterServices;
import io.avalonsync.cluster.NodeRegistry;
import io.avalonsync.config.ConfigValidator;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.Demo;
import io.avalonsync.sync.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line entry point: daemon (no argument), {@code sync-once [kitsu|shotgrid] [--dry-run] [--project NAME]}, {@code validate}
 * and {@code demo}. Exit codes: 0 success, 1 failure, 2 completed but some entities were rejected.
 */
public final class AvalonSync {

    private static final Logger LOG = LoggerFactory.getLogger(AvalonSync.class);

    private AvalonSync() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, Path.of("").toAbsolutePath()));
    }

    static int run(String[] args, Path folder) throws Exception {
        String command = args.length == 0 ? "daemon" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        Settings settings = Settings.load(folder);
        switch (command) {
            case "daemon":
                return ConfigValidator.passesAtStart(folder, settings, "avalon-sync", System.err) ? daemon(settings) : 1;
            case "sync-once":
                return ConfigValidator.passesAtStart(folder, settings, "sync-once", System.err) ? syncOnce(settings, rest) : 1;
            case "validate":
                return ConfigValidator.run(folder, settings, System.out);
            case "demo":
                return Demo.run(settings);
            case "-h":
            case "--help":
            case "help":
                usage();
                return 0;
            default:
                System.err.println("unknown command '" + command + "'");
                usage();
                return 1;
        }
    }

    private static void usage() {
        System.out.println("usage: java -jar avalon-sync.jar [sync-once [kitsu|shotgrid] [--dry-run] [--project NAME] | validate | demo]");
        System.out.println("  (no command)  run every enabled route until stopped");
        System.out.println("  sync-once     one full sync of the enabled sources, then exit (0 ok, 1 failed, 2 rejected entities);");
        System.out.println("                --dry-run prints what it would write and writes nothing, --project NAME syncs one project");
        System.out.println("  validate      check routes/*.yaml and application.properties");
        System.out.println("  demo          everything on this machine: embedded store and tracker simulators");
    }

    static int daemon(Settings settings) throws Exception {
        String problem = startupProblem(settings);
        if (problem == null && Boolean.parseBoolean(settings.get("sitesync.enabled", "false"))) {
            problem = io.avalonsync.sitesync.FileNameEncoding.problem();
        }
        if (problem != null) {
            LOG.error(problem);
            return 1;
        }
        NodeRegistry nodes = NodeRegistry.open(settings);
        String refused;
        try {
            refused = nodes.claim();
        } catch (com.mongodb.MongoException e) {
            // MongoDB away at start: the daemon still starts (and /health says MongoDB is DOWN); the node record
            // retries the claim with its heartbeat
            LOG.warn("node id '{}' not recorded yet, MongoDB does not answer: {}", nodes.nodeId(),
                    io.avalonsync.sync.Failures.describe(e));
            refused = null;
        }
        if (refused != null) {
            LOG.error(refused);
            nodes.close();
            return 1;
        }
        AvalonSyncApp.create(settings, true, nodes).runUntilStopped();
        return 0;
    }

    static int syncOnce(Settings settings, List<String> args) throws Exception {
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
        boolean kitsu = sources.isEmpty() ? settings.has("kitsu.url") : sources.contains("kitsu");
        boolean shotgrid = sources.isEmpty() ? settings.has("shotgrid.url") : sources.contains("shotgrid");
        if (kitsu && !settings.has("kitsu.url")) {
            LOG.error("sync-once kitsu: kitsu.url (or GAZU_URL) is not set");
            return 1;
        }
        if (shotgrid && !settings.has("shotgrid.url")) {
            LOG.error("sync-once shotgrid: shotgrid.url is not set");
            return 1;
        }
        if (!kitsu && !shotgrid) {
            LOG.error("sync-once: no source is configured: set kitsu.url (or GAZU_URL) or shotgrid.url");
            return 1;
        }
        try (AvalonSyncApp app = AvalonSyncApp.create(settings, false).start()) {
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
        return problem != null ? problem : ClusterServices.problem(settings);
    }
}
