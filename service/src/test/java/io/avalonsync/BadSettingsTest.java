package io.avalonsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad setting never starts a service that writes (README "When things go wrong"): the daemon and {@code sync-once}
 * run the checks of {@code validate} first (the demo too: the demo module's DemoTest), exit 1 with {@code <where>: <key>: <problem>} lines,
 * and nothing reaches MongoDB. Each setting below once started a daemon that synced, or a stack trace naming no key.
 */
class BadSettingsTest {

    private static EmbeddedMongo mongo;
    private static KitsuSimulator kitsu;
    private static MongoClient client;

    @BeforeAll
    static void start() throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        mongo = EmbeddedMongo.inMemory();
        kitsu = KitsuSimulator.start(0, data);
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        kitsu.close();
        mongo.close();
    }

    private static Map<String, String> good() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("avalon.mongo-uri", mongo.uri());
        settings.put("kitsu.url", kitsu.baseUrl());
        settings.put("kitsu.user", KitsuSimulator.EMAIL);
        settings.put("kitsu.password", KitsuSimulator.PASSWORD);
        return settings;
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("status.port", "80a", "-Dstatus.port: status.port: '80a' is not a whole number from 0 to 65535"),
                Arguments.of("avalon.mongo-timeout", "5s", "-Davalon.mongo-timeout: avalon.mongo-timeout: '5s' is not a whole number"),
                Arguments.of("kitsu.retries", "three", "-Dkitsu.retries: kitsu.retries: 'three' is not a whole number"),
                Arguments.of("kitsu.events.poll-interval", "t", "-Dkitsu.events.poll-interval: kitsu.events.poll-interval: 't' is not"),
                Arguments.of("kitsu.full-sync.cron", "every hour", "-Dkitsu.full-sync.cron: kitsu.full-sync.cron: 'every hour' is not a valid quartz cron"),
                Arguments.of("kitsu.url", "not a url", "-Dkitsu.url: kitsu.url: 'not a url' is not a URL"),
                Arguments.of("avalon.mongo-uri", "mongodb://avsync:Pw-123@db1:27017:27018/", "-Davalon.mongo-uri: avalon.mongo-uri: is not a valid MongoDB URI"));
    }

    @ParameterizedTest(name = "daemon with -D{0}={1}")
    @MethodSource("badSettings")
    void theDaemonDoesNotStartAndSaysWhichKey(String key, String value, String expected, @TempDir Path dir) throws Exception {
        Map<String, String> settings = good();
        settings.put(key, value);
        String log = exitsWithOne(ServiceProcess.start(settings, dir.resolve("daemon.log")));
        assertTrue(log.contains(expected), "expected '" + expected + "' in:\n" + log);
        assertTrue(log.contains("avalon-sync: not started: 1 problem(s)"), log);
        assertTrue(!log.contains("Pw-123") && !log.contains("\tat "), "no secret, no stack trace:\n" + log);
        assertNothingWritten();
    }

    @Test
    void aBadLineInTheFileIsNamedByFileAndLine(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("service"));
        ServiceProcess.copyRoutes(folder);
        List<String> lines = Files.readAllLines(Path.of("application.properties"));
        int line = lines.indexOf(lines.stream().filter(l -> l.startsWith("kitsu.retries")).findFirst().orElseThrow()) + 1;
        lines.set(line - 1, "kitsu.retries = three");
        Files.write(folder.resolve("application.properties"), lines);
        String log = exitsWithOne(ServiceProcess.startIn(folder, good(), dir.resolve("sync-once.log"), "sync-once", "kitsu"));
        assertTrue(log.contains("application.properties:" + line + ": kitsu.retries: 'three' is not a whole number"), log);
        assertTrue(log.contains("sync-once: not started"), log);
        assertNothingWritten();
    }

    /**
     * The route files are checked on a thread of their own while Camel Main starts (README "Faster start"): a broken
     * endpoint option still refuses the start with file:line before any route loads, for sync-once and the daemon,
     * with no stack trace and nothing written (the daemon claims its node id only after the checks passed).
     */
    @ParameterizedTest(name = "{0} with a broken route file")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sync-once", "daemon"})
    void aBrokenRouteFileRefusesTheStartByFileAndLine(String command, @TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("service"));
        ServiceProcess.copyRoutes(folder);
        Files.copy(Path.of("application.properties"), folder.resolve("application.properties"));
        Path routes = folder.resolve("routes/kitsu-full-sync.camel.yaml");
        List<String> lines = Files.readAllLines(routes);
        int line = lines.indexOf(lines.stream().filter(l -> l.contains("skipResponseHeaders: true")).findFirst().orElseThrow()) + 1;
        lines.set(line - 1, lines.get(line - 1).replace("skipResponseHeaders", "skipResponseHeaderz"));
        Files.write(routes, lines);
        String[] args = command.equals("daemon") ? new String[0] : new String[] {"sync-once", "kitsu"};
        String log = exitsWithOne(ServiceProcess.startIn(folder, good(), dir.resolve(command + ".log"), args));
        assertTrue(log.contains("routes/kitsu-full-sync.camel.yaml:"), log);
        assertTrue(log.contains("skipResponseHeaderz"), log);
        assertTrue(log.contains((command.equals("daemon") ? "avalon-sync" : "sync-once") + ": not started"), log);
        assertTrue(!log.contains("\tat ") && !log.contains("Routes startup"), "no stack trace, no route started:\n" + log);
        assertNothingWritten();
    }

    private static String exitsWithOne(ServiceProcess service) throws Exception {
        try (service) {
            assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "exited by itself:\n" + service.log());
            assertEquals(1, service.process().exitValue(), service.log());
            return service.log();
        }
    }

    private static void assertNothingWritten() {
        for (String db : List.of("avalon", "avalon_sync")) {
            List<String> collections = client.getDatabase(db).listCollectionNames().into(new java.util.ArrayList<>());
            assertEquals(List.of(), collections, "written to " + db);
        }
    }
}
