package io.avalonsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.avalonsync.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What can be checked of the container without a Docker engine: the entrypoint's exec line (run with a fake
 * {@code java} on the PATH), its health probe against a real HTTP server, and that compose.yaml and the Dockerfile
 * agree with it and with the service (paths, port, environment names, stop timeout).
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("docker");
    private static final Path ENTRYPOINT = DOCKER.resolve("entrypoint.sh");
    private static final String HOME = "/opt/avalon-sync";

    // ------------------------------------------------------------------------------------------ the entrypoint

    /** The command the entrypoint runs: its pid, working folder and argv, as the fake java records them. */
    private record Exec(long shellPid, long javaPid, String cwd, List<String> argv) {
    }

    private static Exec run(Path dir, String javaOpts, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path out = dir.resolve("java.out");
        Path fake = bin.resolve("java");
        Files.writeString(fake, "#!/bin/bash\n{ echo \"$$\"; pwd; for a in \"$@\"; do echo \"$a\"; done; } > \"$FAKE_JAVA_OUT\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> command = new ArrayList<>(List.of(ENTRYPOINT.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_JAVA_OUT", out.toString());
        pb.environment().put("AVALON_SYNC_HOME", home.toString());
        pb.environment().remove("STATUS_PORT");
        if (javaOpts == null) {
            pb.environment().remove("JAVA_OPTS");
        } else {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "entrypoint returned");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = Files.readAllLines(out);
        assertEquals(home.toRealPath().toString(), Path.of(lines.get(1)).toRealPath().toString(), "runs in AVALON_SYNC_HOME");
        return new Exec(p.pid(), Long.parseLong(lines.get(0)), lines.get(1), lines.subList(2, lines.size()));
    }

    @Test
    void entrypointExecsJavaWithTheContainerFlagsAndPassesTheCommandThrough(@TempDir Path dir) throws Exception {
        Exec daemon = run(dir, null);
        // exec: java is the same process as the entrypoint (PID 1 in the container), so SIGTERM reaches the JVM
        assertEquals(daemon.shellPid(), daemon.javaPid(), "java replaces the shell (exec)");
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-Dstatus.bind=0.0.0.0", "-Dstatus.port=8080", "-jar", "avalon-sync.jar"),
                daemon.argv());

        Exec once = run(dir, "-Xmx1g  -Dcamel.main.shutdown-timeout=20", "sync-once", "kitsu");
        assertEquals(once.shellPid(), once.javaPid());
        // the operator's flags come after the default heap share and the one-shot flags, so an -Xmx wins
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g",
                "-Dcamel.main.shutdown-timeout=20", "-Dstatus.bind=0.0.0.0", "-Dstatus.port=8080",
                "-jar", "avalon-sync.jar", "sync-once", "kitsu"), once.argv());

        assertEquals(List.of("-jar", "avalon-sync.jar", "validate"), tail(run(dir, "", "validate").argv(), 3));
        assertEquals(List.of("-jar", "avalon-sync.jar", "demo"), tail(run(dir, "", "demo").argv(), 3));
    }

    /**
     * One-shot commands (sync-once, validate) run with C1 only and the serial collector (README, Faster start); the
     * daemon and the demo keep the JVM's defaults; a collector chosen in JAVA_OPTS is the only one given to java.
     */
    @Test
    void oneShotCommandsStartWithTheShortRunFlagsAndTheOperatorsCollectorWins(@TempDir Path dir) throws Exception {
        List<String> shortRun = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertTrue(run(dir, "", "validate").argv().containsAll(shortRun));
        assertTrue(run(dir, null, "sync-once", "shotgrid", "--dry-run").argv().containsAll(shortRun));
        for (Exec longRun : List.of(run(dir, null), run(dir, "", "demo"))) {
            assertTrue(longRun.argv().stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel") || a.endsWith("GC")),
                    longRun.argv().toString());
        }
        List<String> g1 = run(dir, "-XX:+UseG1GC -XX:TieredStopAtLevel=4", "sync-once").argv();
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=4",
                "-Dstatus.bind=0.0.0.0", "-Dstatus.port=8080", "-jar", "avalon-sync.jar", "sync-once"), g1);
    }

    /** The image's class-data-sharing archive (made at build time) is used when it is there; JAVA_OPTS can still turn it off. */
    @Test
    void entrypointUsesTheImagesClassDataArchive(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("home/avalon-sync.jsa"), "archive");
        Exec once = run(dir, "-Xshare:off", "sync-once");
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=avalon-sync.jsa", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:off",
                "-Dstatus.bind=0.0.0.0", "-Dstatus.port=8080", "-jar", "avalon-sync.jar", "sync-once"), once.argv());
    }

    private static List<String> tail(List<String> list, int n) {
        return list.subList(list.size() - n, list.size());
    }

    /**
     * The image's health check is liveness: with a tracker down /health answers 503, yet the container stays healthy
     * (an orchestrator would otherwise restart a healthy service through every tracker outage); `ready` follows
     * readiness and says not ready; with the process gone both fail.
     */
    @Test
    void healthCheckIsLivenessAndStaysHealthyWhileATrackerIsDown(@TempDir Path dir) throws Exception {
        // the tracker's port: bound and never listening, so a connection is refused, and no other process can start
        // listening there while the test runs (a port merely found free and closed again could be taken)
        try (java.net.Socket downTracker = new java.net.Socket();
             io.avalonsync.sandbox.EmbeddedMongo mongo = io.avalonsync.sandbox.EmbeddedMongo.inMemory()) {
            downTracker.setReuseAddress(false);
            downTracker.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            // status.port=0: the daemon binds a free port and its log names it
            Map<String, String> settings = Map.of("avalon.mongo-uri", mongo.uri(),
                    "kitsu.url", "http://127.0.0.1:" + downTracker.getLocalPort(), "kitsu.user", "u", "kitsu.password", "p",
                    "kitsu.retries", "0", "kitsu.timeout", "2000");
            int statusPort;
            try (ServiceProcess service = ServiceProcess.start(settings, dir.resolve("daemon.log"))) {
                statusPort = service.statusPort(60_000);
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                SyncHarness.await("/health reports the tracker down", 60_000, () -> {
                    try {
                        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://127.0.0.1:" + statusPort + "/health")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 503;
                    } catch (IOException e) {
                        return false; // not listening yet
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> seen(service));
                assertEquals(0, probe(dir, statusPort, "healthcheck"), "healthy (live) while a tracker is down");
                assertEquals(1, probe(dir, statusPort, "ready"), "not ready while a tracker is down");
                assertEquals(0, service.terminate(30), "stopped");
            }
            assertNotEquals(0, probe(dir, statusPort, "healthcheck"), "unhealthy when nothing listens");
        }
    }

    /** For a timeout's message: whether the daemon still runs, and its log's warnings and errors. */
    private static String seen(ServiceProcess service) {
        try {
            Process process = service.process();
            return (process.isAlive() ? "daemon running" : "daemon exited " + process.exitValue()) + "; "
                    + service.logLines("health", 30);
        } catch (IOException e) {
            return "log unreadable: " + e.getMessage();
        }
    }

    private static int probe(Path dir, int port, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ENTRYPOINT.toAbsolutePath().toString(), command)
                .redirectErrorStream(true);
        pb.environment().put("AVALON_SYNC_HOME", dir.toString());
        pb.environment().put("STATUS_PORT", Integer.toString(port));
        Process p = pb.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return p.exitValue();
    }

    // ------------------------------------------------------------------------------------ compose and Dockerfile

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(DOCKER.resolve("compose.yaml")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheServiceBesideARealMongoWithWhatTheServiceReads() throws Exception {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        Map<String, Object> mongo = (Map<String, Object>) services.get("mongo");
        assertTrue(String.valueOf(mongo.get("image")).matches("mongo:\\d+.*"), "a real MongoDB image: " + mongo.get("image"));

        Map<String, Object> app = (Map<String, Object>) services.get("avalon-sync");
        Map<String, Object> build = (Map<String, Object>) app.get("build");
        assertEquals("docker/Dockerfile", build.get("dockerfile"));
        assertTrue(Files.isRegularFile(DOCKER.resolve(String.valueOf(build.get("context"))).resolve("docker/Dockerfile")));

        // mounts: the host's routes/ and application.properties over the image's copies
        List<String> volumes = (List<String>) app.get("volumes");
        Map<String, String> mounts = new java.util.HashMap<>();
        for (String v : volumes) {
            String[] parts = v.split(":");
            mounts.put(parts[1], parts[0]);
            assertTrue(Files.exists(DOCKER.resolve(parts[0])), "host side exists: " + v);
        }
        assertEquals("../routes", mounts.get(HOME + "/routes"));
        assertEquals("../application.properties", mounts.get(HOME + "/application.properties"));

        // the environment: the names Settings falls back to, plus the entrypoint's own
        Map<String, Object> env = (Map<String, Object>) app.get("environment");
        for (String name : env.keySet()) {
            // STATUS_USER and STATUS_PASSWORD: Camel reads status.user and status.password from them
            // (MonitoringFilesTest starts the service that way)
            assertTrue(Settings.ENV_FALLBACKS.containsValue(name) || name.equals("JAVA_OPTS") || name.equals("STATUS_PORT")
                    || name.equals("STATUS_USER") || name.equals("STATUS_PASSWORD"),
                    "environment " + name + " is read by the service or the entrypoint");
        }
        assertTrue(env.containsKey("AVALON_MONGO"));
        assertTrue(String.valueOf(env.get("AVALON_MONGO")).startsWith("mongodb://mongo:"), "the compose MongoDB");
        assertTrue(entrypoint().contains("${JAVA_OPTS:-}") && entrypoint().contains("${STATUS_PORT:-8080}"));

        // the health check runs the entrypoint's probe inside the image, on the port the entrypoint binds
        Map<String, Object> health = (Map<String, Object>) app.get("healthcheck");
        assertEquals(List.of("CMD", HOME + "/entrypoint.sh", "healthcheck"), health.get("test"));
        String port = String.valueOf(env.get("STATUS_PORT"));
        assertTrue(((List<String>) app.get("ports")).stream().anyMatch(p -> p.endsWith(":" + port)), "published " + port);
        assertTrue(dockerfile().contains("EXPOSE " + port));

        // docker stop sends SIGTERM, then SIGKILL after stop_grace_period: more than the service's stop takes
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        }
        long shutdown = Long.parseLong(props.getProperty("camel.main.shutdown-timeout").trim());
        Duration grace = Duration.parse("PT" + String.valueOf(app.get("stop_grace_period")).toUpperCase());
        assertTrue(grace.getSeconds() >= shutdown + 5, "stop_grace_period " + grace + " vs camel.main.shutdown-timeout " + shutdown);
    }

    @Test
    void dockerfileRunsTheEntrypointAsANonRootUserFromTheFolderComposeMountsInto() throws Exception {
        String dockerfile = dockerfile();
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("FROM "));
        assertTrue(runtime.contains("WORKDIR " + HOME + "\n"), "runs in " + HOME);
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(runtime);
        assertTrue(user.find(), "a USER line");
        assertNotEquals("root", user.group(1));
        assertNotEquals("0", user.group(1));
        assertTrue(runtime.contains("ENTRYPOINT [\"" + HOME + "/entrypoint.sh\"]"), "exec form, the script");
        assertTrue(runtime.contains("COPY --chmod=755 docker/entrypoint.sh entrypoint.sh"));
        // the jar, routes and settings are where the entrypoint and the mounts expect them
        assertTrue(runtime.contains("target/avalon-sync.jar avalon-sync.jar") && entrypoint().contains("-jar avalon-sync.jar"));
        // the build stage has the modules the jar and the demo jar are built from (README, Layout); the image ships
        // the service alone: the class-data training borrows the demo jar's simulators through a mount of that step
        String build = dockerfile.substring(0, dockerfile.lastIndexOf("FROM "));
        for (String module : List.of("simulators", "service", "demo")) {
            assertTrue(build.contains("COPY " + module + "/pom.xml " + module + "/") && build.contains("COPY " + module
                    + "/src " + module + "/src"), module + " in the build stage");
        }
        assertFalse(runtime.contains("avalon-sync-demo.jar avalon-sync-demo.jar"), "no demo jar in the image");
        assertTrue(runtime.contains("--mount=type=bind,from=build,source=/src/target,target=/tmp/build")
                && runtime.contains("io.avalonsync.ClassDataTraining \\\n        /tmp/build/avalon-sync-demo.jar"), runtime);
        assertTrue(runtime.contains("COPY routes routes") && runtime.contains("COPY application.properties application.properties"));
        assertTrue(entrypoint().contains("AVALON_SYNC_HOME:-" + HOME));
        assertTrue(runtime.contains("\"" + HOME + "/entrypoint.sh\", \"healthcheck\""), "image health check as in compose");
    }

    /** Java 17's file-name encoding follows the locale: the image and the systemd example set a UTF-8 one. */
    @Test
    void theImageAndTheSystemdExampleRunJavaUnderAUtf8Locale() throws Exception {
        String dockerfile = dockerfile();
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("FROM "));
        assertTrue(runtime.contains("ENV LANG=C.UTF-8 LC_ALL=C.UTF-8"), runtime);
        String readme = Files.readString(Path.of("README.md"));
        String unit = readme.substring(readme.indexOf("[Service]"), readme.indexOf("[Install]"));
        assertTrue(unit.contains("Environment=LANG=C.UTF-8\n"), unit);
    }

    private static String dockerfile() throws IOException {
        return Files.readString(DOCKER.resolve("Dockerfile"));
    }

    private static String entrypoint() throws IOException {
        return Files.readString(ENTRYPOINT);
    }
}
