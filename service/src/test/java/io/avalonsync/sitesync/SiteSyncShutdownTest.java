package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.sandbox.EmbeddedMongo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop gate against the Drive simulator: transfers are not started once the service is stopping, and a
 * running upload is cut part way once its time is up, leaving nothing on Drive.
 */
class SiteSyncShutdownTest {

    private static final int CHUNK = 256 * 1024;

    @Test
    void aStoppingServiceStartsNoTransferAndCutsARunningUploadPartWay(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                MongoClient client = MongoClients.create(mongo.uri());
                DriveSimulator drive = DriveSimulator.start(0, dir.resolve("drive"))) {
            Path key = dir.resolve("key.json");
            drive.writeCredentials(key);
            DriveClients clients = new DriveClients(key.toString(), drive.rootUrl());
            SiteRecords records = new SiteRecords(client, "avalon", "studio", "gdrive", 3);
            SiteSyncShutdown shutdown = new SiteSyncShutdown(new SiteQueue(records), new SiteClaims(records),
                    "local_0@test", true);
            clients.setRequestGate(shutdown);
            DriveRemote remote = new DriveRemote(clients.client(), CHUNK);
            String folder = remote.folder("/My Drive/work/Test");
            byte[] bytes = new byte[4 * CHUNK];
            new Random(7).nextBytes(bytes);
            Path local = Files.write(dir.resolve("big.ma"), bytes);

            assertDoesNotThrow(shutdown::admit, "running: transfers start");
            remote.upload(Files.write(dir.resolve("small.ma"), new byte[1000]), folder, "small.ma", null);

            // a second of the stop for transfers, then they are cut; the upload would take about 10 s
            drive.setUploadBytesPerSecond(100_000);
            shutdown.begin(Duration.ofSeconds(2), 1);
            assertTrue(shutdown.isStopping());
            assertThrows(TransferStoppedException.class, shutdown::admit, "no new transfer");
            long[] sent = {0};
            TransferStoppedException cut = assertThrows(TransferStoppedException.class,
                    () -> remote.upload(local, folder, "big.ma", bytes2 -> sent[0] = bytes2));
            assertTrue(cut.getMessage().contains("stopping"), cut.getMessage());
            assertTrue(sent[0] < bytes.length, "cut part way, after " + sent[0] + " bytes");
            assertFalse(drive.entries().stream().anyMatch(e -> "big.ma".equals(e.name()) && !e.trashed()),
                    "nothing complete on Drive");
        }
    }
}
