package io.avalonsync;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The command line's help: {@code help}, {@code help <command>}, {@code <command> --help}. */
final class Usage {

    /** Each command's usage line, then what it does and its exit codes. */
    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("daemon", """
                usage: java -jar avalon-sync.jar
                Runs every enabled route until stopped (SIGTERM or Ctrl-C stop it gracefully within
                sync.shutdown-timeout): full syncs at start and on their cron, the live Kitsu listener and the
                ShotGrid leecher, the event journal, site sync when sitesync.enabled, and the status server.
                The checks of `validate` run first; with a problem it prints them and exits 1.
                exit: 0 after a normal stop, 1 when it cannot start""");
        COMMANDS.put("sync-once", """
                usage: java -jar avalon-sync.jar sync-once [kitsu|shotgrid] [--dry-run] [--project NAME]
                One full sync of the named source (default: every source whose URL is set), a summary per
                project, then exit. The checks of `validate` run first.
                  --dry-run       print per project what the sync would create, update (key: old -> new), rename,
                                  archive or reject, and write nothing (not even state)
                  --project NAME  only this project (its tracker name or its Avalon name)
                exit: 0 synced, 1 failed (or not started), 2 synced but some entities were rejected""");
        COMMANDS.put("validate", """
                usage: java -jar avalon-sync.jar validate
                Checks routes/*.yaml and application.properties (with -D values and the environment) without
                connecting to anything: each problem on its own line as <file>:<line>: <key>: <problem>.
                exit: 0 no problem, 1 some""");
        COMMANDS.put("demo", """
                usage: java -jar avalon-sync-demo.jar   (a jar of its own, built beside this one)
                Everything on this machine: an embedded MongoDB-protocol store, Kitsu, ShotGrid and Drive simulators
                with a sample production, every route, and the status page on http://127.0.0.1:8080/.
                exit: 1 from this jar, which says where the demo is""");
        COMMANDS.put("help", """
                usage: java -jar avalon-sync.jar help [command]
                This text, or one command's.""");
        COMMANDS.put("--version", """
                usage: java -jar avalon-sync.jar --version
                The version of avalon-sync, of Apache Camel and of Java.""");
    }

    private Usage() {
    }

    /** The summary of every command. */
    static void summary(PrintStream out) {
        out.println("usage: java -jar avalon-sync.jar [command]   (run it from the folder holding routes/ and"
                + " application.properties)");
        out.println("  (none)        daemon: every enabled route until stopped");
        out.println("  sync-once     one full sync, a summary, then exit (0 ok, 1 failed, 2 rejected entities);");
        out.println("                --dry-run writes nothing and prints the plan, --project NAME syncs one project");
        out.println("  validate      check routes/*.yaml and application.properties");
        out.println("  demo          says where the demo is: java -jar avalon-sync-demo.jar (store and simulators)");
        out.println("  help [cmd]    this text, or one command's;  --version  the versions");
    }

    /** {@code help} alone: the summary on out; a known command: its text; an unknown one: the summary on err, 1. */
    static int help(String command, PrintStream out, PrintStream err) {
        if (command == null) {
            summary(out);
            return 0;
        }
        String text = COMMANDS.get(command.equals("version") ? "--version" : command);
        if (text == null) {
            err.println("avalon-sync: no command '" + command + "'");
            summary(err);
            return 1;
        }
        out.println(text);
        return 0;
    }
}
