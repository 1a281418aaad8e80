package io.avalonsync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as an operator meets it, each run as its own process: {@code --version}, help per command,
 * usage on stderr for a bad command, and log lines with an ISO-8601 date and zone, or JSON lines with
 * {@code sync.log-format=json} (passwords in URIs masked there too).
 */
class CommandLineTest {

    /** What a finished process printed on each stream. */
    record Run(int exit, String out, String err) {
    }

    private static Run run(Path folder, List<String> settings, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        argv.addAll(settings);
        argv.add(AvalonSync.class.getName());
        argv.addAll(List.of(command));
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Process process = new ProcessBuilder(argv).directory(folder.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ended: " + String.join(" ", command));
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path repository() {
        return Path.of(System.getProperty("user.dir"));
    }

    @Test
    void demoSaysWhereTheDemoIs() throws Exception {
        Run demo = run(repository(), List.of(), "demo");
        assertEquals(1, demo.exit(), demo.out() + demo.err());
        assertEquals("", demo.out());
        assertTrue(demo.err().contains("target/avalon-sync-demo.jar")
                && demo.err().contains("mvn -B -q package -DskipTests && java -jar target/avalon-sync-demo.jar"), demo.err());
    }

    @Test
    void versionNamesTheProductCamelAndJava() throws Exception {
        Run version = run(repository(), List.of(), "--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().strip().matches("avalon-sync \\S+ \\(Apache Camel 4\\.\\d+\\.\\d+, Java 17[^)]*\\)"),
                version.out());
    }

    @Test
    void helpPerCommandAndUsageOnStderrForABadCommand() throws Exception {
        Run help = run(repository(), List.of(), "help", "sync-once");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("usage: java -jar avalon-sync.jar sync-once") && help.out().contains("exit: 0 synced"),
                help.out());
        Run flag = run(repository(), List.of(), "validate", "--help");
        assertEquals(0, flag.exit());
        assertTrue(flag.out().startsWith("usage: java -jar avalon-sync.jar validate"), flag.out());

        Run bad = run(repository(), List.of(), "sync-now");
        assertEquals(1, bad.exit());
        assertEquals("", bad.out(), "nothing on stdout");
        assertTrue(bad.err().contains("unknown command 'sync-now'") && bad.err().contains("usage: java -jar avalon-sync.jar"),
                bad.err());
    }

    @Test
    void logLinesCarryAnIsoDateWithZoneOrAreJsonLinesWithSecretsMasked(@TempDir Path dir) throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data)) {
            List<String> settings = List.of("-Davalon.mongo-uri=" + mongo.uri(), "-Dkitsu.user=" + KitsuSimulator.EMAIL,
                    "-Dkitsu.password=" + KitsuSimulator.PASSWORD, "-Dstatus.port=0", "-Dkitsu.url=" + kitsu.baseUrl(),
                    // a password inside a URI (sync-once does not listen to events): the start-up summary prints the key
                    "-Dkitsu.events-url=" + kitsu.baseUrl().replace("http://", "http://proxyuser:Pw-9191@"));
            Run text = run(repository(), settings, "sync-once", "kitsu");
            assertEquals(0, text.exit(), text.err() + text.out());
            String first = text.out().lines().findFirst().orElseThrow();
            assertTrue(first.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO .*"), first);
            assertFalse(text.out().contains("Pw-9191"), "password masked");

            // the key in application.properties, as an operator sets it
            Path folder = Files.createDirectories(dir.resolve("service"));
            ServiceProcess.copyRoutes(folder);
            Files.writeString(folder.resolve("application.properties"), Files.readString(Path.of("application.properties"))
                    .replace("sync.log-format = text", "sync.log-format = json"), StandardCharsets.UTF_8);
            Run json = run(folder, settings, "sync-once", "kitsu");
            assertEquals(0, json.exit(), json.err() + json.out());
            assertFalse(json.out().contains("Pw-9191"), "password masked in JSON too");
            ObjectMapper mapper = new ObjectMapper();
            List<String> lines = json.out().lines().filter(l -> l.startsWith("{")).toList();
            assertTrue(lines.size() > 10, json.out());
            boolean summarySeen = false;
            for (String line : lines) {
                JsonNode event = mapper.readTree(line);
                assertTrue(event.get("time").asText().matches("\\d{4}-\\d{2}-\\d{2}T.*(Z|[+-]\\d{2}:\\d{2})"), line);
                assertTrue(event.hasNonNull("level") && event.hasNonNull("logger") && event.hasNonNull("message"), line);
                summarySeen |= event.get("message").asText().contains("kitsu.events-url = http://proxyuser:xxxxxx@");
            }
            assertTrue(summarySeen, "the start-up summary line, masked: " + json.out());
        }
    }

}
