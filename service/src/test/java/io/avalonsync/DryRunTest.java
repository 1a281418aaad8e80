package io.avalonsync;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoDatabase;
import io.avalonsync.sandbox.KitsuData;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync-once kitsu --dry-run [--project NAME]} as operators run it, a process of its own: it prints what a sync
 * would do and leaves every database exactly as it was (collections, documents byte for byte, indexes).
 */
class DryRunTest {

    @TempDir
    Path tmp;

    /** Every database, collection, index and document (as its BSON bytes) of the store. */
    private static Map<String, List<String>> snapshot(ServiceHarness h) {
        Map<String, List<String>> all = new TreeMap<>();
        for (String dbName : h.client.listDatabaseNames()) {
            MongoDatabase db = h.client.getDatabase(dbName);
            for (String name : db.listCollectionNames()) {
                List<String> content = new ArrayList<>();
                db.getCollection(name).listIndexes().forEach(i -> content.add("index " + i.toJson()));
                db.getCollection(name, RawBsonDocument.class).find().sort(new Document("_id", 1))
                        .forEach(d -> content.add(HexFormat.of().formatHex(d.getByteBuffer().array(), 0, d.getByteBuffer().limit())));
                all.put(dbName + "." + name, content);
            }
        }
        return all;
    }

    private record Run(int exit, String output) {
    }

    private Run syncOnce(SyncHarness h, String... args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("avalon.mongo-uri", h.mongo.uri());
        settings.put("kitsu.url", h.kitsu.baseUrl());
        settings.put("kitsu.user", io.avalonsync.sandbox.KitsuSimulator.EMAIL);
        settings.put("kitsu.password", io.avalonsync.sandbox.KitsuSimulator.PASSWORD);
        List<String> command = new ArrayList<>(List.of("sync-once"));
        command.addAll(List.of(args));
        Path log = tmp.resolve("run" + System.nanoTime() + ".log");
        try (ServiceProcess process = ServiceProcess.start(settings, log, command.toArray(String[]::new))) {
            assertTrue(process.process().waitFor(180, TimeUnit.SECONDS), "sync-once did not finish");
            return new Run(process.process().exitValue(), process.log());
        }
    }

    @Test
    void aDryRunOfAFreshStorePrintsThePlanAndWritesNothing() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            Map<String, List<String>> before = snapshot(h);
            Run run = syncOnce(h, "kitsu", "--dry-run");
            assertEquals(0, run.exit(), run.output());
            assertEquals(before, snapshot(h), "a dry run writes nothing, not even state");
            String out = run.output();
            assertTrue(out.contains("kitsu dry run"), out);
            assertTrue(out.contains("create project Agent_327"), out);
            assertTrue(out.contains("create project Sprite_Fright"), out);
            assertTrue(out.contains("create Shot E01_SQ010_SH010"), out);
            assertTrue(out.contains("create Asset Foret_Noire"), out);
            assertTrue(out.contains("nothing was written"), out);
        }
    }

    @Test
    void aDryRunAfterOneChangePrintsTheChangeAndItsExitCode() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            assertEquals(0, syncOnce(h, "kitsu").exit());
            KitsuData kitsu = h.kitsu.data();
            String project = (String) kitsu.projects().stream().filter(p -> "Agent 327".equals(p.get("name")))
                    .findFirst().orElseThrow().get("id");
            Map<String, Object> shot = kitsu.entities(project, "Shot").stream()
                    .filter(s -> "SH010".equals(s.get("name"))).findFirst().orElseThrow();
            Document shotDoc = h.byZouId("Agent_327", (String) shot.get("id"));
            Object frameEnd = ((Document) shotDoc.get("data")).get("frameEnd");
            @SuppressWarnings("unchecked")
            Map<String, Object> shotData = new HashMap<>((Map<String, Object>) shot.get("data"));
            shotData.put("frame_out", 1150);
            kitsu.update((String) shot.get("id"), Map.of("data", shotData, "name", "SH011"));
            Map<String, List<String>> before = snapshot(h);

            Run run = syncOnce(h, "kitsu", "--dry-run");
            assertEquals(0, run.exit(), run.output());
            assertEquals(before, snapshot(h), "a dry run writes nothing");
            String out = run.output();
            String shotName = shotDoc.getString("name");
            String renamed = shotName.replace("SH010", "SH011");
            assertTrue(out.contains("rename " + shotName + " → " + renamed), out);
            assertTrue(out.contains("data.frameEnd: " + frameEnd + " → 1150"), out);
            assertTrue(out.contains("project 'Sprite Fright' -> Sprite_Fright: nothing to do"), out);

            // the same exit code as a real run: 2 when an entity would be rejected
            Map<String, Object> bad = new HashMap<>();
            bad.put("name", "???");
            kitsu.update((String) kitsu.entities(project, "Shot").get(1).get("id"), bad);
            Run rejected = syncOnce(h, "kitsu", "--dry-run");
            assertEquals(2, rejected.exit(), rejected.output());
            assertTrue(rejected.output().contains("reject"), rejected.output());
            assertEquals(before, snapshot(h));
        }
    }

    @Test
    void aShotGridDryRunPlansThroughTheSameRoutesAndWritesNothing() throws Exception {
        try (ShotGridHarness h = ShotGridHarness.demo(Map.of())) {
            h.app();
            Map<String, List<String>> before = snapshot(h);
            org.apache.camel.Exchange done = h.app().context().createProducerTemplate().send("direct:shotgrid-full-sync",
                    exchange -> {
                        exchange.setPattern(org.apache.camel.ExchangePattern.InOut);
                        exchange.setProperty(io.avalonsync.sync.SyncRuns.DRY_RUN, true);
                        exchange.setProperty(io.avalonsync.sync.SyncRuns.ONLY_PROJECT, "demo_show");
                    });
            io.avalonsync.sync.SyncRun run = done.getMessage().getBody(io.avalonsync.sync.SyncRun.class);
            assertEquals(0, run.exitCode(), run.summary());
            assertTrue(run.summary().contains("create project demo_show"), run.summary());
            assertEquals(before, snapshot(h), "a dry run writes nothing");
        }
    }

    @Test
    void projectLimitsTheSyncToOneProjectByTrackerOrAvalonName() throws Exception {
        try (SyncHarness h = SyncHarness.demo()) {
            assertEquals(0, syncOnce(h, "kitsu", "--project", "Sprite Fright").exit());
            assertNotNull(h.project("Sprite_Fright"));
            assertNull(h.project("Agent_327"), "only the project asked for");

            assertEquals(0, syncOnce(h, "kitsu", "--project", "Agent_327").exit(), "by its Avalon name");
            assertNotNull(h.project("Agent_327"));

            Map<String, List<String>> before = snapshot(h);
            Run dry = syncOnce(h, "kitsu", "--dry-run", "--project", "Sprite_Fright");
            assertEquals(0, dry.exit(), dry.output());
            assertTrue(dry.output().contains("project 'Sprite Fright'"), dry.output());
            assertFalse(dry.output().contains("project 'Agent 327'"), dry.output());
            assertEquals(before, snapshot(h));

            Run unknown = syncOnce(h, "kitsu", "--project", "No Such Show");
            assertEquals(1, unknown.exit(), unknown.output());
            assertTrue(unknown.output().contains("No Such Show"), unknown.output());
        }
    }
}
