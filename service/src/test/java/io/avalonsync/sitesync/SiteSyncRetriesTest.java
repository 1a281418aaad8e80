package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.avalonsync.sandbox.DriveError;
import io.avalonsync.sandbox.DriveSimulator;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every retry of a transfer is one a studio can see and set (README "Site sync"): the redelivery policy of
 * routes/sitesync.camel.yaml ({@code sitesync.redeliveries}) and, for an upload chunk resumed in its session,
 * {@code gdrive.chunk-retries}. With both at 0 a fault fails the attempt at once: nothing retries behind them.
 */
class SiteSyncRetriesTest {

    private static final String CREATE = "POST /upload/drive/v3/files";
    private static final String TOKEN = "POST /token";

    @TempDir
    Path dir;
    SiteSyncHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SiteSyncHarness(dir);
        h.settings.put("gdrive.chunk-retry-delay", "20");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aTokenEndpointFaultIsRetriedByTheRoutePolicyOnly() throws Exception {
        h.settings.put("sitesync.redeliveries", "0");
        ObjectId id = h.publish(1000L).get(0);
        h.drive.failNext(TOKEN, DriveError.SERVICE_UNAVAILABLE, 1);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("TRANSIENT", 1L), pass.getFailed(), "no retry of the token request: " + pass);
        assertEquals(1, h.drive.requestCount(TOKEN));
        Document remote = h.record(id, "gdrive");
        assertEquals(1, remote.getInteger("tries"));
        assertTrue(remote.getString("error").contains("503"), remote.getString("error"));
    }

    @Test
    void aTokenEndpointFaultRedeliveredByTheRoutePolicy() throws Exception {
        h.settings.put("sitesync.redeliveries", "1");
        ObjectId id = h.publish(1000L).get(0);
        h.drive.failNext(TOKEN, DriveError.SERVICE_UNAVAILABLE, 1);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertEquals(2, h.drive.requestCount(TOKEN), "the failed token request and the redelivery's");
        assertNotNull(h.record(id, "gdrive").getDate("created_dt"));
        assertFalse(h.record(id, "gdrive").containsKey("tries"), "no attempt counted");
    }

    @Test
    void withoutChunkRetriesAChunkFaultFailsTheAttempt() throws Exception {
        h.settings.put("sitesync.redeliveries", "0");
        h.settings.put("gdrive.chunk-retries", "0");
        ObjectId id = h.publish(700_000L).get(0);
        h.drive.failAfter(DriveSimulator.SESSION_ROUTE, 1, DriveError.BACKEND_ERROR, 1);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("TRANSIENT", 1L), pass.getFailed(), "nothing resumed the chunk: " + pass);
        assertEquals(2, h.drive.requestCount(DriveSimulator.SESSION_ROUTE), "the first chunk and the failed one");
        assertEquals(1, h.record(id, "gdrive").getInteger("tries"));
    }

    @Test
    void aChunkFaultIsResumedInItsSessionUpToGdriveChunkRetries() throws Exception {
        h.settings.put("sitesync.redeliveries", "0");
        h.settings.put("gdrive.chunk-retries", "2");
        ObjectId id = h.publish(700_000L).get(0);
        h.drive.failAfter(DriveSimulator.SESSION_ROUTE, 1, DriveError.BACKEND_ERROR, 2);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertEquals(1, h.drive.requestCount(CREATE), "one session: resumed, not restarted");
        assertFalse(h.record(id, "gdrive").containsKey("tries"), "no attempt counted");

        // one fault more than the chunk retries: the attempt fails, and the route's policy (none here) decides
        ObjectId other = h.publish(700_000L).get(0);
        h.drive.resetCounts();
        h.drive.failAfter(DriveSimulator.SESSION_ROUTE, 1, DriveError.BACKEND_ERROR, 3);
        SiteSyncPass failed = h.run();
        assertEquals(Map.of("TRANSIENT", 1L), failed.getFailed(), failed.toString());
        assertEquals(1, h.drive.requestCount(CREATE));
        assertEquals(1, h.record(other, "gdrive").getInteger("tries"));
    }

    @Test
    void aChunkThatNeverLandsStopsAfterGdriveChunkRetries() throws Exception {
        h.settings.put("sitesync.redeliveries", "0");
        h.settings.put("gdrive.chunk-retries", "2");
        ObjectId id = h.publish(700_000L).get(0);
        // every chunk request is cut before a byte lands; each status query answers that nothing came
        h.drive.dropNextChunkAfter(0, 1000);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("TRANSIENT", 1L), pass.getFailed(), pass.toString());
        String error = h.record(id, "gdrive").getString("error");
        assertTrue(error.contains("no progress after 2 resumed requests"), error);
        assertTrue(h.drive.requestCount(DriveSimulator.SESSION_ROUTE) <= 2 * (2 + 1) + 1,
                h.drive.requestCountsByRoute().toString());
    }

    @Test
    void aLostUploadSessionIsStartedAgainByTheRoutePolicyOnly() throws Exception {
        h.settings.put("sitesync.redeliveries", "0");
        ObjectId id = h.publish(700_000L).get(0);
        // Drive forgets the session after the first chunk
        h.drive.failAfter(DriveSimulator.SESSION_ROUTE, 1, DriveError.NOT_FOUND, 1);

        SiteSyncPass pass = h.run();

        assertEquals(Map.of("TRANSIENT", 1L), pass.getFailed(), "no fresh session behind the policy: " + pass);
        assertEquals(1, h.drive.requestCount(CREATE));
        assertTrue(h.record(id, "gdrive").getString("error").contains("session"), h.record(id, "gdrive").toJson());
    }

    @Test
    void aLostUploadSessionRedeliveredByTheRoutePolicyStartsAFreshOne() throws Exception {
        h.settings.put("sitesync.redeliveries", "1");
        ObjectId id = h.publish(700_000L).get(0);
        h.drive.failAfter(DriveSimulator.SESSION_ROUTE, 1, DriveError.NOT_FOUND, 1);

        SiteSyncPass pass = h.run();

        assertEquals(1, pass.getUploaded(), pass.toString());
        assertEquals(2, h.drive.requestCount(CREATE), "a fresh session on the redelivery");
        assertNotNull(h.record(id, "gdrive").getDate("created_dt"));
        assertNull(h.record(id, "gdrive").get("tries"));
        assertEquals(1, h.liveFiles().size());
    }
}
