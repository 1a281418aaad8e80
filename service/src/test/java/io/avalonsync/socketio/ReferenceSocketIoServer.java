package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The reference Socket.IO 4 server (npm {@code socket.io@4}) running {@code socketio/server.js} in a node process on
 * a loopback port. Installed once into {@code target/socketio-server}; node and npm must be on the PATH.
 */
final class ReferenceSocketIoServer implements AutoCloseable {

    static final Path HOME = Path.of("target", "socketio-server").toAbsolutePath();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final String tokens;
    private final List<String> lines = new ArrayList<>();
    private Process process;
    private Writer commands;

    private ReferenceSocketIoServer(int port, String tokens) {
        this.port = port;
        this.tokens = tokens;
    }

    /** Starts a server on a free port accepting the given comma separated tokens. */
    static ReferenceSocketIoServer start(String tokens) throws Exception {
        install();
        ReferenceSocketIoServer server = new ReferenceSocketIoServer(freePort(), tokens);
        server.launch();
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sends one control line (see server.js). */
    synchronized void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** Broadcasts one JSON argument and waits until the server has emitted it. */
    void emit(String event, String json) throws Exception {
        int before = count(line -> line.equals("emitted " + event));
        send("emit " + event + " " + json);
        awaitCount(line -> line.equals("emitted " + event), before + 1);
    }

    /** Broadcasts the elements of a JSON array as separate arguments ({@code []}: an event without payload). */
    void emitArgs(String event, String jsonArray) throws Exception {
        int before = count(line -> line.equals("emitted " + event));
        send("emit-args " + event + " " + jsonArray);
        awaitCount(line -> line.equals("emitted " + event), before + 1);
    }

    /** Kills the process without any goodbye to the clients, like a crash. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port. */
    void restart() throws Exception {
        kill();
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** Waits for the first report line (since start) matching the condition and returns it. */
    String await(Predicate<String> condition) throws InterruptedException {
        awaitCount(condition, 1);
        synchronized (lines) {
            return lines.stream().filter(condition).findFirst().orElseThrow();
        }
    }

    /** Waits until at least {@code expected} report lines match. */
    void awaitCount(Predicate<String> condition, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + LINE_TIMEOUT.toNanos();
        synchronized (lines) {
            while (count(condition) < expected) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("server reported " + count(condition) + " matching lines, expected " + expected
                         + "; all lines: " + lines);
                }
                lines.wait(left);
            }
        }
    }

    int count(Predicate<String> condition) {
        synchronized (lines) {
            return (int) lines.stream().filter(condition).count();
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private void launch() throws Exception {
        int listening = count(line -> line.startsWith("listening"));
        ProcessBuilder builder = new ProcessBuilder("node", "server.js").directory(HOME.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("TOKENS", tokens);
        process = builder.start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> collect(process.getInputStream()), "socketio-server-output");
        reader.setDaemon(true);
        reader.start();
        awaitCount(line -> line.startsWith("listening"), listening + 1);
    }

    private void collect(InputStream output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    /** npm install socket.io@4 into target/socketio-server unless it is there, and copy server.js next to it. */
    private static synchronized void install() throws Exception {
        requireTool("node");
        requireTool("npm");
        Files.createDirectories(HOME);
        // the test JVMs run classes in parallel (surefire forkCount): one installs, the others wait for it
        try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(HOME.resolve(".install.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = lockFile.lock()) {
            if (!Files.exists(HOME.resolve("node_modules/socket.io/package.json"))) {
                Process npm = new ProcessBuilder("npm", "install", "--prefix", HOME.toString(), "socket.io@4",
                        "--no-audit", "--no-fund").redirectErrorStream(true).start();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || npm.exitValue() != 0) {
                    fail("npm install socket.io@4 into " + HOME + " failed:\n" + output);
                }
            }
            try (InputStream script = ReferenceSocketIoServer.class.getResourceAsStream("/socketio/server.js")) {
                if (script == null) {
                    fail("test resource socketio/server.js is missing");
                }
                // written beside and moved into place: a node process of the other JVM may be reading it
                Path written = Files.createTempFile(HOME, "server", ".js");
                Files.copy(script, written, StandardCopyOption.REPLACE_EXISTING);
                Files.move(written, HOME.resolve("server.js"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process probe = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // not on the PATH: fall through
        }
        fail("node and npm are required on the PATH to run the Socket.IO tests against the reference server"
             + " (CI installs them, e.g. apt-get install nodejs npm); '" + tool + " --version' did not run");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
