package io.avalonsync.sitesync;

import static io.avalonsync.SyncHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.model.Filters;
import io.avalonsync.sandbox.DriveError;
import io.avalonsync.sandbox.DriveSimulator;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Site sync end to end: the real routes and beans against the embedded store and the Drive simulator. */
class SiteSyncTest {

    @TempDir
    Path dir;
    SiteSyncHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SiteSyncHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void uploadsPublishedFilesAndRecordsThem() throws Exception {
        List<ObjectId> ids = h.publish(4822L, 700_000L, 0L);
        Instant before = Instant.now().minusSeconds(1);

        SiteSyncPass pass = h.run();

        assertEquals(3, pass.getSelected(), pass.toString());
        assertEquals(3, pass.getClaimed());
        assertEquals(3, pass.getUploaded());
        assertEquals(4822 + 700_000, pass.getBytes());
        assertTrue(pass.getFailed().isEmpty(), pass.toString());
        for (ObjectId id : ids) {
            Document remote = h.record(id, "gdrive");
            Date created = remote.getDate("created_dt");
            assertNotNull(created, "created_dt written");
            assertFalse(created.toInstant().isBefore(before), "created_dt is now (UTC instant)");
            DriveSimulator.Entry entry = h.drive.find(h.remotePath(id));
            assertNotNull(entry, "on Drive at " + h.remotePath(id));
            assertEquals(entry.id(), remote.getString("id"));
            assertEquals(Files.size(h.localFile(id)), entry.size());
            assertEquals(entry.md5(), remote.getString("md5"));
            assertEquals(Files.size(h.localFile(id)), remote.get("size", Number.class).longValue());
            for (String gone : List.of("error", "tries", "claimed_by", "claimed_until", "progress", "next_attempt_dt")) {
                assertFalse(remote.containsKey(gone), gone + " unset");
            }
        }
        // done files are not selected again
        SiteSyncPass again = h.run();
        assertEquals(0, again.getSelected(), again.toString());
        assertEquals(3, h.liveFiles().size());
    }

    @Test
    void perFileExchangesAreCountedByRouteOnlyInMetrics() throws Exception {
        h.publish(1000L, 2000L, 3000L);

        SiteSyncPass pass = h.run();

        assertEquals(3, pass.getUploaded(), pass.toString());
        HttpResponse<String> metrics = h.get("/metrics");
        assertEquals(200, metrics.statusCode());
        List<String> lines = metrics.body().lines().filter(l -> !l.startsWith("#")).toList();
        // the route policy counts every file's exchange on its route
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("camel_exchanges_total{")
                && l.contains("routeId=\"sitesync-transfer\"") && l.endsWith(" 3.0")), String.join("\n", lines));
        // but the exchange event notifier, which searched every meter per done exchange, leaves the per-file
        // exchanges out (bench/README.md "Site sync CPU per byte")
        List<String> perFile = lines.stream()
                .filter(l -> l.contains("endpointName=") && l.contains("sitesync-transfer")).toList();
        assertTrue(perFile.isEmpty(), "per-file exchange notifier series: " + perFile);
    }

    private static final String CREATE = "POST /upload/drive/v3/files";

    @Test
    void rateLimitAndServerErrorAreRedeliveredInsideOneAttempt() throws Exception {
        ObjectId id = h.publish(300_000L).get(0);
        h.drive.failNext(CREATE, DriveError.TOO_MANY_REQUESTS, 1);
        h.drive.failNext(CREATE, DriveError.BACKEND_ERROR, 1);
        h.drive.failNext(CREATE, DriveError.USER_RATE_LIMIT, 1);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertTrue(pass.getFailed().isEmpty(), pass.toString());
        assertEquals(4, h.drive.requestCount(CREATE), "three redeliveries, then the session started");
        Document remote = h.record(id, "gdrive");
        assertNotNull(remote.getDate("created_dt"));
        assertFalse(remote.containsKey("tries"), "no attempt counted");
        assertEquals(1, h.liveFiles().size());
    }

    @Test
    void transientFaultStillFailingAfterRedeliveriesCountsOneAttempt() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        h.drive.failNext(CREATE, DriveError.SERVICE_UNAVAILABLE, 10);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("TRANSIENT", 1L), pass.getFailed());
        assertEquals(4, h.drive.requestCount(CREATE), "first try + sitesync.redeliveries");
        Document remote = h.record(id, "gdrive");
        assertEquals(1, remote.getInteger("tries"));
        assertEquals("TRANSIENT", remote.getString("error_kind"));
        assertTrue(remote.getString("error").contains("503"), remote.getString("error"));
        assertNotNull(remote.getDate("last_failed_dt"));
        assertNotNull(remote.getDate("next_attempt_dt"));
        assertNull(remote.get("created_dt"));
    }

    @Test
    void permissionDeniedGoesStraightToTheRecord() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        h.drive.failNext(CREATE, DriveError.INSUFFICIENT_PERMISSIONS, 1);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("PERMANENT", 1L), pass.getFailed());
        assertEquals(1, h.drive.requestCount(CREATE), "no redelivery of a permission error");
        Document remote = h.record(id, "gdrive");
        assertEquals(1, remote.getInteger("tries"));
        assertEquals("PERMANENT", remote.getString("error_kind"));
        assertTrue(remote.getString("error").contains("403 insufficientFilePermissions"), remote.getString("error"));
        assertFalse(remote.containsKey("claimed_by"), "claim given back");
        assertTrue(h.liveFiles().isEmpty());
    }

    @Test
    void parentFolderGoneIsPermanentAndTheFolderIsLookedUpAgainNextTime() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        // a 404 as the session starts: the parent folder is gone
        h.drive.failNext(CREATE, DriveError.NOT_FOUND, 1);

        SiteSyncPass first = h.run();
        assertEquals(Map.of("PERMANENT", 1L), first.getFailed());
        assertEquals(1, h.drive.requestCount(CREATE), "no redelivery of a 404");
        assertEquals("PERMANENT", h.record(id, "gdrive").getString("error_kind"));
        assertTrue(h.record(id, "gdrive").getString("error").contains("404"));

        h.drive.resetCounts();
        h.awaitBackoff(id, "gdrive"); // a first failure waits one loop-delay, at least a second
        SiteSyncPass second = h.run();
        assertEquals(1, second.getUploaded(), second.toString());
        assertTrue(h.drive.requestCount("GET /drive/v3/files") > 0, "folder cache dropped: looked up again");
        assertNotNull(h.record(id, "gdrive").getDate("created_dt"));
        assertFalse(h.record(id, "gdrive").containsKey("tries"));
    }

    @Test
    void givesUpAfterRetryCountAttemptsUntilResetThroughTheApi() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        h.drive.failNext(CREATE, DriveError.INSUFFICIENT_PERMISSIONS, 100);
        // one pass per attempt, each once the backoff of the failure before it (1 s, 2 s with loop-delay 0) is over
        for (int attempt = 1; attempt <= 3; attempt++) {
            h.awaitBackoff(id, "gdrive");
            assertEquals(1, h.run().getSelected(), "attempt " + attempt);
        }
        assertEquals(3, h.drive.requestCount(CREATE), "exactly sitesync.retry-count attempts");
        assertEquals(3, h.record(id, "gdrive").getInteger("tries"));
        // even once its backoff is over, the file is left alone: it waits for a reset
        h.awaitBackoff(id, "gdrive");
        assertEquals(0, h.run().getSelected(), "left alone");

        // visible in the API and on the status page, with a reset button
        HttpResponse<String> overview = h.get("/sitesync");
        assertEquals(200, overview.statusCode());
        assertTrue(overview.body().contains("\"exhausted\" : true"), overview.body());
        assertTrue(overview.body().contains("insufficientFilePermissions"), overview.body());
        HttpResponse<String> page = h.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("insufficientFilePermissions") && page.body().contains("action=\"/sitesync/reset\"")
                && page.body().contains(id.toHexString()), page.body());

        HttpResponse<String> bad = h.post("/sitesync/reset", "{\"representation\":\"" + id.toHexString() + "\"}", "application/json");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("project is required"), bad.body());

        h.drive.clearFaults();
        // the status page's button: a form post, answered with a redirect to the page
        String fileId = h.file(id).getObjectId("_id").toHexString();
        HttpResponse<String> reset = h.post("/sitesync/reset", "project=" + SiteSyncHarness.PROJECT + "&representation="
                + id.toHexString() + "&file=" + fileId + "&site=gdrive", "application/x-www-form-urlencoded");
        assertEquals(303, reset.statusCode(), reset.body());
        assertFalse(h.record(id, "gdrive").containsKey("tries"), "reset");

        SiteSyncPass pass = h.run();
        assertEquals(1, pass.getUploaded(), pass.toString());
        assertNotNull(h.record(id, "gdrive").getDate("created_dt"));
    }

    @Test
    void pauseAndPriorityThroughTheApi() throws Exception {
        List<ObjectId> ids = h.publish(1000L, 1000L, 1000L);
        h.app();
        HttpResponse<String> paused = h.post("/sitesync/pause", "{\"project\":\"Test\",\"representation\":\""
                + ids.get(0).toHexString() + "\"}", "application/json");
        assertEquals(200, paused.statusCode(), paused.body());
        assertEquals(Boolean.TRUE, h.record(ids.get(0), "gdrive").getBoolean("paused"));
        HttpResponse<String> priority = h.post("/sitesync/priority?project=Test&representation=" + ids.get(2).toHexString()
                + "&value=900", "", "text/plain");
        assertEquals(200, priority.statusCode(), priority.body());
        assertEquals(900, h.record(ids.get(2), "gdrive").getInteger("priority"));
        HttpResponse<String> badValue = h.post("/sitesync/priority?project=Test&value=5000", "", "text/plain");
        assertEquals(400, badValue.statusCode());

        HttpResponse<String> run = h.post("/sitesync/run", "", "application/json");
        assertEquals(200, run.statusCode(), run.body());
        assertTrue(run.body().contains("\"uploaded\":2"), run.body());
        assertNull(h.record(ids.get(0), "gdrive").get("created_dt"), "paused file not sent");
        assertNotNull(h.record(ids.get(2), "gdrive").getDate("created_dt"));

        h.post("/sitesync/pause", "{\"project\":\"Test\",\"representation\":\"" + ids.get(0).toHexString()
                + "\",\"value\":false}", "application/json");
        assertEquals(1, h.run().getUploaded());
    }

    /**
     * "Sync now" while the scheduled loop's pass is uploading: no second pass beside it. The manual pass waits for
     * the running one and then runs, so it sees a file published meanwhile and answers with its own summary.
     */
    @Test
    void aManualRunDuringAScheduledPassWaitsForItInsteadOfRunningBeside() throws Exception {
        ObjectId slow = h.publish(1_000_000L).get(0);
        h.drive.setUploadBytesPerSecond(200_000); // about 5 s
        h.scheduledApp();
        await("the scheduled pass uploading, progress written", 60_000, () -> {
            Document remote = h.record(slow, "gdrive");
            return remote.get("claimed_by") != null && remote.get("progress") != null;
        });
        ObjectId later = h.publish(1000L).get(0);

        HttpResponse<String> run = h.post("/sitesync/run", "", "application/json");

        assertEquals(200, run.statusCode(), run.body());
        assertNotNull(h.record(slow, "gdrive").get("created_dt"),
                "the manual pass answered while the scheduled pass was still uploading: " + run.body());
        assertTrue(run.body().contains("\"claimed\":1") && run.body().contains("\"uploaded\":1"), run.body());
        assertNotNull(h.record(later, "gdrive").getDate("created_dt"));
        assertEquals(1, h.drive.findAll(h.remotePath(slow)).size());
    }

    /**
     * A stop while "sync now" waits behind a running pass: the waiting request is answered with an empty pass
     * rather than left waiting until the shutdown timeout cuts it, and the running upload is recorded.
     */
    @Test
    void aStopWithARunQueuedBehindThePassEndsWithoutBeingCut() throws Exception {
        ObjectId slow = h.publish(1_000_000L).get(0);
        h.drive.setUploadBytesPerSecond(200_000); // about 5 s; the stop allows 30
        h.scheduledApp();
        await("the scheduled pass uploading, progress written", 60_000, () -> {
            Document remote = h.record(slow, "gdrive");
            return remote.get("claimed_by") != null && remote.get("progress") != null;
        });
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (io.avalonsync.socketio.LogCapture log = new io.avalonsync.socketio.LogCapture("io.avalonsync.ShutdownLog")) {
            Future<HttpResponse<String>> queued = caller.submit(() -> h.post("/sitesync/run", "", "application/json"));
            org.apache.camel.component.seda.SedaEndpoint passes = h.app().context()
                    .getEndpoint("seda:sitesync-run", org.apache.camel.component.seda.SedaEndpoint.class);
            await("the run request queued behind the pass", 30_000, () -> passes.getCurrentQueueSize() == 1);

            h.restartApp();

            List<String> stopped = log.messages(org.apache.logging.log4j.Level.INFO).stream()
                    .filter(m -> m.startsWith("stopped in")).toList();
            assertEquals(1, stopped.size(), log.messages(org.apache.logging.log4j.Level.INFO).toString());
            assertFalse(stopped.get(0).contains("cut at the timeout"), stopped.get(0));
            assertTrue(stopped.get(0).contains("1 running transfer(s) finished"), stopped.get(0));
            assertNotNull(h.record(slow, "gdrive").get("created_dt"));
            // the caller is not left hanging: an answer, or the connection closed by the stopping server
            try {
                queued.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException answeredByClose) {
                assertTrue(answeredByClose.getCause() instanceof java.io.IOException, answeredByClose.toString());
            }
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void resumesTheSameSessionAfterAConnectionDroppedMidChunk() throws Exception {
        ObjectId id = h.publish(700_000L).get(0);
        h.drive.dropNextChunkAfter(100_000, 1);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertEquals(1, h.drive.requestCount(CREATE), "one session: resumed, not restarted");
        assertTrue(h.drive.requestCount(DriveSimulator.SESSION_ROUTE) > 3, "chunks plus a status query");
        DriveSimulator.Entry entry = h.drive.find(h.remotePath(id));
        assertEquals(700_000, entry.size());
        assertEquals(DriveRemote.md5(h.localFile(id)), entry.md5());
        assertEquals(entry.md5(), h.record(id, "gdrive").getString("md5"));
    }

    @Test
    void missingLocalFileIsRecordedWithoutTouchingDrive() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        Files.delete(h.localFile(id));
        h.drive.resetCounts();

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("LOCAL_MISSING", 1L), pass.getFailed());
        assertEquals(0, h.drive.requestCount(), "no Drive request");
        Document remote = h.record(id, "gdrive");
        assertEquals("LOCAL_MISSING", remote.getString("error_kind"));
        assertTrue(remote.getString("error").contains(h.localFile(id).toString()), remote.getString("error"));
        assertTrue(remote.getDate("next_attempt_dt").toInstant().isAfter(Instant.now().plus(Duration.ofMinutes(59))),
                "a long backoff");
    }

    @Test
    void rootNotConfiguredIsAPermanentErrorNamingTheKey() throws Exception {
        ObjectId id = h.publish(1000L).get(0);
        h.collection().updateOne(Filters.eq("_id", id), new Document("$set", new Document("files.0.path",
                "{root[render]}/Test/x.exr")));

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("PERMANENT", 1L), pass.getFailed());
        String error = h.record(id, "gdrive").getString("error");
        assertTrue(error.contains("{root[render]}/Test/x.exr") && error.contains("sitesync.roots.render"), error);
    }

    /** Two nodes (one process runs one pass at a time, so two services) racing for the same files. */
    @Test
    void twoNodesRacingForTheSameFilesSendEachOnce() throws Exception {
        List<ObjectId> ids = h.publish(200_000L, 200_000L, 200_000L, 200_000L, 200_000L, 200_000L);
        h.app();
        io.avalonsync.config.Settings otherNode = h.settings();
        otherNode.override("sitesync.local-id", "local_1");
        otherNode.override("status.port", "0");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (io.avalonsync.AvalonSyncApp second = io.avalonsync.AvalonSyncApp.create(otherNode, false).start()) {
            Callable<SiteSyncPass> run = h::run;
            Callable<SiteSyncPass> runThere = () -> second.context().createProducerTemplate()
                    .requestBody("direct:sitesync-run", null, SiteSyncPass.class);
            List<Future<SiteSyncPass>> runs = threads.invokeAll(List.of(run, runThere));
            long claimed = 0;
            long uploaded = 0;
            for (Future<SiteSyncPass> f : runs) {
                claimed += f.get().getClaimed();
                uploaded += f.get().getUploaded();
            }
            assertEquals(6, claimed, "each file claimed by one run only");
            assertEquals(6, uploaded);
        } finally {
            threads.shutdownNow();
        }
        for (ObjectId id : ids) {
            assertEquals(1, h.drive.findAll(h.remotePath(id)).size(), "one copy of " + h.remotePath(id));
        }
        assertEquals(6, h.drive.requestCount(CREATE));
    }

    @Test
    void foldersAreCreatedOnceUnderParallelUploads() throws Exception {
        h.publish(50_000L, 50_000L, 50_000L, 50_000L, 50_000L, 50_000L, 50_000L, 50_000L);
        SiteSyncPass pass = h.run();
        assertEquals(8, pass.getUploaded(), pass.toString());
        List<String> folders = new ArrayList<>();
        for (DriveSimulator.Entry e : h.drive.entries()) {
            if (e.folder()) {
                folders.add(e.path());
            }
        }
        assertTrue(folders.contains("/My Drive/work/Test/Assets"), folders.toString());
        assertEquals(folders.size(), folders.stream().distinct().count(), "no duplicate folder: " + folders);
    }

    @Test
    void anIdenticalFileOnDriveIsAdoptedWithoutSending() throws Exception {
        ObjectId id = h.publish(100_000L).get(0);
        String parent = h.drive.rootId();
        String remote = h.remotePath(id);
        String[] parts = remote.substring("/My Drive/".length()).split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = h.drive.putFolder(parent, parts[i]);
        }
        String existing = h.drive.putFile(parent, parts[parts.length - 1], Files.readAllBytes(h.localFile(id)));
        h.drive.resetCounts();

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getAdopted(), pass.toString());
        assertEquals(0, pass.getUploaded());
        assertEquals(0, h.drive.requestCount(CREATE), "nothing sent");
        assertEquals(0, h.drive.requestCount(DriveSimulator.SESSION_ROUTE));
        assertEquals(existing, h.record(id, "gdrive").getString("id"));
        assertNotNull(h.record(id, "gdrive").getDate("created_dt"));
        assertEquals(1, h.liveFiles().size());
    }

    @Test
    void aDifferentFileOfTheSameNameGetsANewRevision() throws Exception {
        ObjectId id = h.publish(100_000L).get(0);
        String parent = h.drive.rootId();
        String[] parts = h.remotePath(id).substring("/My Drive/".length()).split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = h.drive.putFolder(parent, parts[i]);
        }
        String existing = h.drive.putFile(parent, parts[parts.length - 1], new byte[] {1, 2, 3});

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertEquals(existing, h.record(id, "gdrive").getString("id"), "same file id, new revision");
        assertEquals(100_000, h.drive.entry(existing).size());
        assertEquals(1, h.liveFiles().size());
    }

    @Test
    void sharedDriveRoot() throws Exception {
        String driveId = h.drive.createSharedDrive("Studio Share");
        h.settings.put("gdrive.roots.work", "/Studio Share/work");
        ObjectId id = h.publish(30_000L).get(0);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        String path = h.file(id).getString("path").replace("{root[work]}", "/Studio Share/work");
        DriveSimulator.Entry entry = h.drive.find(path);
        assertNotNull(entry, path + " in " + h.drive.entries());
        assertEquals(driveId, entry.driveId());
        assertEquals(entry.id(), h.record(id, "gdrive").getString("id"));
    }

    @Test
    void readsAndWritesThe2020DictShape() throws Exception {
        ObjectId id = h.publish(10_000L).get(0);
        Date published = h.record(id, "studio").getDate("created_dt");
        h.collection().updateOne(Filters.eq("_id", id), new Document("$set", new Document("files.0.sites",
                new Document("studio", new Document("created_dt", published)).append("gdrive", new Document()))));

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        Object sites = h.file(id).get("sites");
        assertTrue(sites instanceof Document, "still a dict: " + sites);
        Document remote = ((Document) sites).get("gdrive", Document.class);
        assertNotNull(remote.getDate("created_dt"));
        assertEquals(h.drive.find(h.remotePath(id)).id(), remote.getString("id"));
    }

    @Test
    void downloadsWhatOnlyTheRemoteSiteHas() throws Exception {
        ObjectId id = h.publish(150_000L).get(0);
        Path local = h.localFile(id);
        byte[] content = Files.readAllBytes(local);
        String remoteId = h.drive.putFile(h.drive.putFolder(h.drive.rootId(), "elsewhere"), "x.bin", content);
        Files.delete(local);
        h.collection().updateOne(Filters.eq("_id", id), new Document("$set", new Document("files.0.sites", List.of(
                new Document("name", "studio"),
                new Document("name", "gdrive").append("created_dt", new Date()).append("id", remoteId)))));

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getDownloaded(), pass.toString());
        assertEquals(150_000, pass.getBytes());
        assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content)),
                DriveRemote.md5(local));
        Document studio = h.record(id, "studio");
        assertNotNull(studio.getDate("created_dt"));
        assertEquals(0, h.run().getSelected());
    }
}
