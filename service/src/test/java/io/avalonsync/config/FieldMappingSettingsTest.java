package io.avalonsync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.ServiceProcess;
import io.avalonsync.sandbox.EmbeddedMongo;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Field mappings (README "Field mapping") as an operator writes them: {@code validate} of the service, run in a
 * folder of its own, names each bad mapping as {@code file:line: key: problem}; the documented examples pass; and a
 * {@code sync-once} with a bad mapping does not start, so nothing is written.
 */
class FieldMappingSettingsTest {

    private static final String MONGO = "mongodb://localhost:1";

    @TempDir
    Path dir;

    /** The repository's routes and application.properties, with these lines appended; returns the service folder. */
    private Path service(List<String> appended, Map<String, String> replaced) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("service"));
        ServiceProcess.copyRoutes(folder);
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("application.properties")));
        replaced.forEach((from, to) -> {
            int at = lines.indexOf(from);
            assertTrue(at >= 0, "'" + from + "' not in application.properties");
            lines.set(at, to);
        });
        lines.addAll(appended);
        Files.write(folder.resolve("application.properties"), lines);
        return folder;
    }

    private static int lineOf(Path folder, String start) throws Exception {
        List<String> lines = Files.readAllLines(folder.resolve("application.properties"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError(start + " not in the file");
    }

    private static String exits(ServiceProcess service, int code) throws Exception {
        try (service) {
            assertTrue(service.process().waitFor(90, TimeUnit.SECONDS), "exited by itself:\n" + service.log());
            assertEquals(code, service.process().exitValue(), service.log());
            return service.log();
        }
    }

    @Test
    void validateNamesEveryBadMappingByFileLineAndKey() throws Exception {
        Path folder = service(List.of(
                "kitsu.fields.shot.frameStart = data.cut_in:text",
                "kitsu.fields.shto.difficulty = data.difficulty:int",
                "kitsu.fields.shot.note =",
                "shotgrid.fields.shot.cutDuration = sg_cut_duration:integer",
                "shotgrid.fields.parents = sg_sequence",
                "shotgrid.fields.shot.sequenceCode = sg_sequence.code",
                "kitsu.fields.studioNote = data.note:text"),
                Map.of("shotgrid.entity-types = Asset, Episode, Sequence, Shot, Task", "shotgrid.entity-types = Asset, Shots"));
        Map<String, String> settings = new LinkedHashMap<>(Map.of("avalon.mongo-uri", MONGO,
                "kitsu.fields.asset.budget", "data.budget:flot"));
        String out = exits(ServiceProcess.startIn(folder, settings, dir.resolve("validate.log"), "validate"), 1);

        String file = "application.properties:";
        List<String> expected = List.of(
                file + lineOf(folder, "shotgrid.entity-types") + ": shotgrid.entity-types: unknown entity type 'Shots'"
                        + " (did you mean Shot?)",
                file + lineOf(folder, "kitsu.fields.shot.frameStart") + ": kitsu.fields.shot.frameStart: data.frameStart"
                        + " is read as int by Avalon tools, not text",
                file + lineOf(folder, "kitsu.fields.shto") + ": kitsu.fields.shto.difficulty: unknown entity type 'shto'",
                file + lineOf(folder, "kitsu.fields.shot.note") + ": kitsu.fields.shot.note: is empty",
                file + lineOf(folder, "shotgrid.fields.shot.cutDuration") + ": shotgrid.fields.shot.cutDuration: unknown"
                        + " type 'integer'",
                file + lineOf(folder, "shotgrid.fields.parents") + ": shotgrid.fields.parents: data.parents is written by"
                        + " the sync itself",
                file + lineOf(folder, "shotgrid.fields.shot.sequenceCode") + ": shotgrid.fields.shot.sequenceCode:"
                        + " 'sg_sequence.code' is not ShotGrid field syntax",
                "-Dkitsu.fields.asset.budget: kitsu.fields.asset.budget: unknown type 'flot' (known: raw, text, int,"
                        + " float, bool, list) (did you mean float?)");
        for (String line : expected) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(line)), "expected a line starting '" + line + "' in:\n" + out);
        }
        assertTrue(out.contains("validate: 8 problem(s)"), "the good mapping is no problem:\n" + out);
    }

    @Test
    void theDocumentedExamplesAreValid() throws Exception {
        List<String> examples = Files.readAllLines(Path.of("application.properties")).stream()
                .filter(l -> l.startsWith("#kitsu.fields.") || l.startsWith("#shotgrid.fields."))
                .map(l -> l.substring(1)).toList();
        assertTrue(examples.size() >= 3, "examples in application.properties: " + examples);
        Path folder = service(examples, Map.of("shotgrid.entity-types = Asset, Episode, Sequence, Shot, Task",
                "shotgrid.entity-types = Asset, Shot"));
        String out = exits(ServiceProcess.startIn(folder, Map.of("avalon.mongo-uri", MONGO), dir.resolve("validate.log"),
                "validate"), 0);
        assertTrue(out.contains("validate: OK"), out);
    }

    @Test
    void syncOnceWithABadMappingDoesNotStartAndWritesNothing() throws Exception {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory(); KitsuSimulator kitsu = KitsuSimulator.start(0, data);
             MongoClient client = MongoClients.create(mongo.uri())) {
            Path folder = service(List.of("kitsu.fields.shot.handleStart = data.handles:float"), Map.of());
            Map<String, String> settings = Map.of("avalon.mongo-uri", mongo.uri(), "kitsu.url", kitsu.baseUrl(),
                    "kitsu.user", KitsuSimulator.EMAIL, "kitsu.password", KitsuSimulator.PASSWORD);
            String log = exits(ServiceProcess.startIn(folder, settings, dir.resolve("sync-once.log"), "sync-once", "kitsu"), 1);
            assertTrue(log.contains("application.properties:" + lineOf(folder, "kitsu.fields.shot.handleStart")
                    + ": kitsu.fields.shot.handleStart: data.handleStart is read as int by Avalon tools, not float"), log);
            assertTrue(log.contains("sync-once: not started"), log);
            for (String db : List.of("avalon", "avalon_sync")) {
                assertEquals(List.of(), client.getDatabase(db).listCollectionNames().into(new ArrayList<>()), "written to " + db);
            }
        }
    }
}
