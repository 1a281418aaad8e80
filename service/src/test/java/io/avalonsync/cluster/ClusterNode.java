package io.avalonsync.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.ServiceProcess;

/** One service JVM of a cluster test: the daemon as operators run it, with its own node id and status port. */
final class ClusterNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final String id;
    final int port;
    final ServiceProcess process;

    private ClusterNode(String id, int port, ServiceProcess process) {
        this.id = id;
        this.port = port;
        this.process = process;
    }

    static ClusterNode start(String id, Map<String, String> settings, Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, String> all = new HashMap<>(settings);
        all.put("sync.node-id", id);
        all.put("status.port", Integer.toString(port));
        // kept in target/ (not the test's temporary folder), so a failed run can be read afterwards
        Path logs = java.nio.file.Files.createDirectories(Path.of("target", "cluster-logs"));
        return new ClusterNode(id, port, ServiceProcess.start(all, logs.resolve(id + "-" + System.nanoTime() + ".log")));
    }

    /** The groups this node says it leads ({@code /health}, check {@code cluster}, detail {@code leads}); "" when it cannot answer. */
    @SuppressWarnings("unchecked")
    String leads() {
        try {
            Map<String, Object> health = JSON.readValue(get("/health"), Map.class);
            Map<String, Object> cluster = (Map<String, Object>) ((Map<String, Object>) health.get("checks")).get("cluster");
            return cluster == null ? "" : String.valueOf(cluster.get("leads"));
        } catch (Exception e) {
            return "";
        }
    }

    boolean leads(String group) {
        return java.util.Arrays.asList(leads().split(",")).contains(group);
    }

    /** Exchanges Camel counted for a route ({@code camel_exchanges_total}), 0 when the route never ran here. */
    double exchanges(String routeId) throws Exception {
        Matcher m = Pattern.compile("(?m)^camel_exchanges_total\\{[^}]*routeId=\"" + Pattern.quote(routeId)
                + "\"[^}]*}\\s+(\\S+)$").matcher(get("/metrics"));
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    boolean answers() {
        try {
            get("/health/live");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
