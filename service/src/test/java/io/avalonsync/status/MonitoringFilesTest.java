package io.avalonsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.ServiceProcess;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sandbox.SamplePublishes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The monitoring profile of docker/compose.yaml (README, "Status server"): Prometheus scrapes the service's status port
 * and /metrics with the status server's credentials, Grafana is provisioned with that Prometheus and the dashboard,
 * and every metric the dashboard queries exists in /metrics of the service run as compose runs it: the daemon with
 * STATUS_USER and STATUS_PASSWORD in its environment, after a full sync and site sync passes. No Docker engine here:
 * the files are checked against each other and against the running service.
 */
class MonitoringFilesTest {

    private static final Path DOCKER = Path.of("docker");
    private static final Path MONITORING = DOCKER.resolve("monitoring");
    private static final Path DASHBOARD = MONITORING.resolve("grafana/dashboards/avalon-sync.json");
    /** PromQL words that are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheServicesMetricsWithItsCredentialsAndGrafanaShowsThem() throws Exception {
        Map<String, Object> compose = yaml(DOCKER.resolve("compose.yaml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> app = (Map<String, Object>) services.get("avalon-sync");
        Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
        Map<String, Object> grafana = (Map<String, Object>) services.get("grafana");
        assertTrue(String.valueOf(prometheus.get("image")).startsWith("prom/prometheus:"), "a real Prometheus image");
        assertTrue(String.valueOf(grafana.get("image")).startsWith("grafana/grafana:"), "a real Grafana image");
        assertEquals(List.of("monitoring"), prometheus.get("profiles"));
        assertEquals(List.of("monitoring"), grafana.get("profiles"));
        assertTrue(app.get("profiles") == null, "the service starts without the profile");

        // the config Prometheus runs with is this file
        String configPath = ((List<String>) prometheus.get("command")).stream().filter(a -> a.startsWith("--config.file="))
                .findFirst().orElseThrow().substring("--config.file=".length());
        assertEquals("./monitoring/prometheus.yml", hostSide(prometheus, configPath));
        Map<String, Object> config = yaml(MONITORING.resolve("prometheus.yml"));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);

        // ... pointing at the service's status port and its /metrics route
        Map<String, Object> env = (Map<String, Object>) app.get("environment");
        String port = String.valueOf(env.get("STATUS_PORT"));
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
        assertEquals(List.of("avalon-sync:" + port), targets);
        assertEquals("http", job.get("scheme"));
        assertTrue(Files.readString(Path.of("routes/status.camel.yaml")).contains(
                "uri: \"jetty:http://{{status.bind}}:{{status.port}}" + job.get("metrics_path") + "\""), "the status server serves "
                + job.get("metrics_path"));

        // ... with the service's own credentials: the secrets are the variables compose gives the service
        Map<String, Object> auth = (Map<String, Object>) job.get("basic_auth");
        Map<String, Object> secrets = (Map<String, Object>) compose.get("secrets");
        Map<String, String> credentialFiles = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Map.of("username_file", "STATUS_USER", "password_file", "STATUS_PASSWORD").entrySet()) {
            String file = String.valueOf(auth.get(e.getKey()));
            assertTrue(file.startsWith("/run/secrets/"), e.getKey() + ": " + file);
            String secret = file.substring("/run/secrets/".length());
            assertTrue(((List<String>) prometheus.get("secrets")).contains(secret), "prometheus gets the secret " + secret);
            assertEquals(Map.of("environment", e.getValue()), secrets.get(secret));
            assertEquals("${" + e.getValue() + ":-}", env.get(e.getValue()), "the service reads the same " + e.getValue());
            credentialFiles.put(e.getValue(), e.getKey());
        }
        assertEquals(2, credentialFiles.size());

        // Grafana: the data source is that Prometheus, the dashboards folder is the one mounted, the panels use it
        Map<String, Object> source = ((List<Map<String, Object>>) yaml(MONITORING.resolve(
                "grafana/provisioning/datasources/prometheus.yaml")).get("datasources")).get(0);
        assertEquals("http://prometheus:9090", source.get("url"));
        assertTrue(((List<String>) prometheus.get("ports")).stream().anyMatch(p -> p.endsWith(":9090")));
        Map<String, Object> provider = ((List<Map<String, Object>>) yaml(MONITORING.resolve(
                "grafana/provisioning/dashboards/avalon-sync.yaml")).get("providers")).get(0);
        String dashboards = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
        assertEquals("./monitoring/grafana/dashboards", hostSide(grafana, dashboards));
        assertEquals("./monitoring/grafana/provisioning", hostSide(grafana, "/etc/grafana/provisioning"));
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> queried = new TreeSet<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals(source.get("uid"), panel.get("datasource").get("uid").asText(), panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asText());
                queried.addAll(metricNames(target.get("expr").asText()));
            }
        }
        assertTrue(queried.size() > 20, "the dashboard's metrics: " + queried);

        // the service as compose runs it: the daemon, credentials from STATUS_USER and STATUS_PASSWORD
        try (Running service = Running.start(dirFor("monitoring"))) {
            HttpResponse<String> anonymous = service.metrics(null, null);
            assertEquals(401, anonymous.statusCode(), "without the scrape config's credentials, nothing");
            Set<String> missing = new TreeSet<>(queried);
            String body = "";
            long deadline = System.currentTimeMillis() + 180_000;
            int round = 0;
            while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
                if (missing.contains("avalon_sync_event_last_applied_timestamp_seconds") && round++ % 4 == 0) {
                    service.changeAShot(round); // an event for the listener, so one gets applied
                }
                HttpResponse<String> scrape = service.metrics(Running.USER, Running.PASSWORD);
                assertEquals(200, scrape.statusCode(), scrape.body());
                body = scrape.body();
                Set<String> present = new TreeSet<>();
                StatusHttp.samples(body).forEach(s -> present.add(s.name()));
                missing.removeAll(present);
                if (!missing.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            assertEquals(Set.of(), missing, "metrics the dashboard queries but /metrics lacks (expressions " + expressions
                    + "); the service log: " + service.process.logLines("ERROR", 20));
            // every series says what it is, and no service series carries an empty label
            assertEquals(List.of(), body.lines().filter(l -> l.matches("# HELP \\S+\\s*")).toList(), "HELP lines without text");
            assertEquals(List.of(), body.lines().filter(l -> l.startsWith("avalon_sync_") && l.contains("=\"\"")).toList(),
                    "series with an empty label");
        }
    }

    /** The metric names a PromQL expression reads: no functions, labels, strings, durations or keywords. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\w+", " ")
                .replaceAll("\\b\\d+(ms|[smhdwy])\\b", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(s);
        while (m.find()) {
            String token = m.group().replaceAll("[\\s(]", "");
            if (m.group(1) == null && !KEYWORDS.contains(token.toLowerCase())) {
                names.add(token);
            }
        }
        return names;
    }

    @Test
    void metricNamesAreReadFromPromQl() {
        assertEquals(Set.of("a_total"), metricNames("sum by (routeId) (rate(a_total{x=\"y\",z=~\"b|c\"}[5m]))"));
        assertEquals(Set.of("b_seconds", "c"), metricNames("time() - b_seconds offset 5m and on (x) c"));
        assertEquals(Set.of("d"), metricNames("60 * rate(d[5m])"));
    }

    /** The host side of a service's volume mounted at {@code target}. */
    @SuppressWarnings("unchecked")
    private static String hostSide(Map<String, Object> service, String target) {
        for (String volume : (List<String>) service.get("volumes")) {
            String[] parts = volume.split(":");
            if (parts[1].equals(target)) {
                assertTrue(Files.exists(DOCKER.resolve(parts[0])), "mounted from " + parts[0]);
                return parts[0];
            }
        }
        throw new AssertionError("nothing mounted at " + target + " in " + service.get("volumes"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @TempDir
    Path dir;

    private Path dirFor(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    /** The daemon in its own JVM with Kitsu, a store and Drive on loopback, site sync on, credentials from the environment. */
    private static final class Running implements AutoCloseable {
        static final String USER = "prometheus";
        static final String PASSWORD = "scr4pe: me";

        final KitsuSimulator kitsu;
        final EmbeddedMongo mongo;
        final DriveSimulator drive;
        final ServiceProcess process;
        final int port;

        private Running(KitsuSimulator kitsu, EmbeddedMongo mongo, DriveSimulator drive, ServiceProcess process, int port) {
            this.kitsu = kitsu;
            this.mongo = mongo;
            this.drive = drive;
            this.process = process;
            this.port = port;
        }

        static Running start(Path dir) throws Exception {
            KitsuData data = new KitsuData();
            SampleProduction.generate(data, SampleProduction.Spec.demo());
            KitsuSimulator kitsu = KitsuSimulator.start(0, data);
            EmbeddedMongo mongo = EmbeddedMongo.inMemory();
            DriveSimulator drive = DriveSimulator.start(0, dir.resolve("drive"));
            Path credentials = dir.resolve("gdrive-key.json");
            drive.writeCredentials(credentials);
            Path root = Files.createDirectories(dir.resolve("projects"));
            try (MongoClient client = MongoClients.create(mongo.uri())) {
                SamplePublishes.publish(client.getDatabase("avalon").getCollection("Test"), root, "work", "studio", "gdrive",
                        List.of(1000L, 2000L));
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("avalon.mongo-uri", mongo.uri());
            settings.put("kitsu.url", kitsu.baseUrl());
            settings.put("kitsu.user", KitsuSimulator.EMAIL);
            settings.put("kitsu.password", KitsuSimulator.PASSWORD);
            settings.put("kitsu.events-url", kitsu.eventsUrl());
            settings.put("sitesync.enabled", "true");
            settings.put("sitesync.loop-delay", "1");
            settings.put("sitesync.roots.work", root.toString());
            settings.put("gdrive.roots.work", "/My Drive/work");
            settings.put("gdrive.credentials", credentials.toString());
            settings.put("gdrive.api-url", drive.rootUrl());
            settings.put("status.port", Integer.toString(port));
            ServiceProcess process = ServiceProcess.start(settings,
                    Map.of("STATUS_USER", USER, "STATUS_PASSWORD", PASSWORD), dir.resolve("service.log"));
            return new Running(kitsu, mongo, drive, process, port);
        }

        /** A change in Kitsu: the simulator broadcasts it, the listener journals it, the processor applies it. */
        void changeAShot(int frameOut) {
            Map<String, Object> project = kitsu.data().projects().get(0);
            Map<String, Object> shot = kitsu.data().entities((String) project.get("id"), KitsuData.SHOT).get(0);
            kitsu.data().update((String) shot.get("id"), Map.of("data", Map.of("frame_in", 1001, "frame_out", 1100 + frameOut)));
        }

        HttpResponse<String> metrics(String user, String password) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
            if (user != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            long deadline = System.currentTimeMillis() + 180_000;
            while (true) {
                try {
                    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException e) {
                    if (System.currentTimeMillis() > deadline || !process.process().isAlive()) {
                        throw new AssertionError("the service did not answer on " + port + ": " + process.logLines("ERROR", 20), e);
                    }
                    Thread.sleep(200);
                }
            }
        }

        @Override
        public void close() throws Exception {
            process.terminate(40);
            drive.close();
            kitsu.close();
            mongo.close();
        }
    }
}
