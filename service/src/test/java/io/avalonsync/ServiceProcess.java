package io.avalonsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as its own process, as operators run it: a child JVM on the test class path running
 * {@link AvalonSync} (the daemon unless a command is given) from the repository root, so it reads the real
 * {@code routes/} and {@code application.properties}; settings as {@code -D}, output to a log file.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private boolean kept;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the daemon with these settings ({@code status.port=0} unless given). */
    public static ServiceProcess start(Map<String, String> settings, Path log, String... command) throws IOException {
        return start(settings, Map.of(), log, command);
    }

    /** Copies the repository's {@code routes/} into {@code folder}, for {@link #startIn} from a folder of a test's own. */
    public static void copyRoutes(Path folder) throws IOException {
        Path routes = Files.createDirectories(folder.resolve("routes"));
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    /** The same, run from another folder (its own {@code routes/} and {@code application.properties}). */
    public static ServiceProcess startIn(Path folder, Map<String, String> settings, Path log, String... command)
            throws IOException {
        return start(folder, settings, Map.of(), log, command);
    }

    /**
     * The same with changes to the environment: a null value removes the variable (e.g. {@code LC_ALL} to run
     * under {@code LANG=C}).
     */
    public static ServiceProcess start(Map<String, String> settings, Map<String, String> environment, Path log,
                                       String... command) throws IOException {
        return start(Path.of(System.getProperty("user.dir")), settings, environment, log, command);
    }

    /** Another main class on the same class path (the demo module's {@code Demo}), run from {@code folder}. */
    public static ServiceProcess startMain(Path folder, String mainClass, Map<String, String> settings, Path log,
            String... command) throws IOException {
        return start(folder, mainClass, settings, Map.of(), log, command);
    }

    private static ServiceProcess start(Path folder, Map<String, String> settings, Map<String, String> environment,
            Path log, String... command) throws IOException {
        return start(folder, AvalonSync.class.getName(), settings, environment, log, command);
    }

    /**
     * A service process in a test lives for seconds and does little work: the JIT's second tier and a parallel
     * collector would only compete with the other test JVMs for the runner's two cores (README "Tests": this halved
     * BadSettingsTest and DryRunTest). Behaviour is the same. These are the short-run flags README "Faster start" gives
     * the one-shot commands (and docker/entrypoint.sh adds to them); `bench/run startstop` measures the jar with and
     * without them.
     */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static ServiceProcess start(Path folder, String mainClass, Map<String, String> settings,
            Map<String, String> environment, Path log, String... command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of(java, "-Xmx256m"));
        argv.addAll(CHILD_JVM_OPTIONS);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path")));
        if (!settings.containsKey("status.port")) {
            argv.add("-Dstatus.port=0");
        }
        settings.forEach((key, value) -> argv.add("-D" + key + "=" + value));
        argv.add(mainClass);
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // as the systemd example and the image run it: site sync refuses to start without UTF-8 file names
        if (!environment.containsKey("LC_ALL")) {
            builder.environment().put("LC_ALL", "C.UTF-8");
        }
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        return new ServiceProcess(process, log);
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: the process dies at once, whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        keepLog();
    }

    /** SIGSTOP: the process stands still, as a paused VM or container or a long GC pause holds it, until {@link #resume()}. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}: the process goes on where it stood, its clocks and sockets now stale. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + kill.exitValue());
        }
    }

    /**
     * SIGTERM ({@link Process#destroy()} on Linux), as systemd and {@code docker stop} send it; waits for the exit.
     *
     * @return the exit code, or -1 when the process had not exited after {@code seconds} (it is then killed)
     */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            return -1;
        }
        keepLog();
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Jetty's line for the status server's connector: "Started oejs.ServerConnector@5f0{HTTP/1.1, (http/1.1)}{127.0.0.1:41233}". */
    private static final Pattern STATUS_CONNECTOR =
            Pattern.compile("Started \\S*ServerConnector@\\S*\\{[^}]*\\}\\{[^}]*:(\\d+)\\}");

    /**
     * The port the daemon's status server listens on. With {@code status.port=0} (the default here) the system picks
     * a free one and Jetty's start line names it. A port a test picks by opening and closing a socket can be taken
     * by another test's process before the daemon binds it.
     */
    public int statusPort(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Matcher connector = STATUS_CONNECTOR.matcher(log());
            if (connector.find()) {
                return Integer.parseInt(connector.group(1));
            }
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IOException("no status server in the daemon's log ("
                        + (process.isAlive() ? "after " + timeoutMillis + " ms" : "it exited " + process.exitValue()) + "): "
                        + logLines("ServerConnector", 20));
            }
            Thread.sleep(50);
        }
    }

    /** The log's warnings, errors and lines containing {@code also}, for a failure message. */
    public List<String> logLines(String also, int limit) throws IOException {
        return log().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains(also)).limit(limit)
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        keepLog();
    }

    /** A copy in target/service-logs (a test's temporary folder is deleted), so a failed run can be read afterwards. */
    private synchronized void keepLog() {
        if (kept) {
            return;
        }
        kept = true;
        try {
            Path folder = Files.createDirectories(Path.of("target", "service-logs"));
            Files.copy(log, folder.resolve(System.nanoTime() + "-" + log.getFileName()));
        } catch (IOException e) {
            // the log was not written: nothing to keep
        }
    }
}
