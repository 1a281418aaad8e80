package io.avalonsync.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.avalonsync.SyncHarness.await;

/**
 * A real ZooKeeper server (Debian's package {@code zookeeper}, installed by {@code .ci/run}) in its own process on a
 * free loopback port with its own data folder; a short tickTime so that sessions may be as short as 1 s.
 */
final class ZooKeeperProcess implements AutoCloseable {

    static final Path JAR = Path.of("/usr/share/java/zookeeper.jar");

    private final Process process;
    private final int port;

    private ZooKeeperProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ZooKeeperProcess start(Path dir) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: install the Debian package zookeeper (.ci/run does)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path data = Files.createDirectories(dir.resolve("zookeeper-data"));
        Path config = dir.resolve("zoo.cfg");
        Files.writeString(config, String.join("\n",
                "tickTime=500", "dataDir=" + data, "clientPort=" + port, "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0", "admin.enableServer=false", "minSessionTimeout=1000", "maxSessionTimeout=20000", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new java.util.ArrayList<>(List.of(java, "-Xmx128m"));
        argv.addAll(io.avalonsync.ServiceProcess.CHILD_JVM_OPTIONS);
        argv.addAll(List.of("-cp", JAR.toString(), "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()));
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true).redirectOutput(dir.resolve("zookeeper.log").toFile()).start();
        ZooKeeperProcess zk = new ZooKeeperProcess(process, port);
        await("ZooKeeper to listen on " + port, 60_000, zk::listening);
        return zk;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
