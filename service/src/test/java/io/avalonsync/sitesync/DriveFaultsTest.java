package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.google.api.services.drive.Drive;
import io.avalonsync.sandbox.DriveError;
import io.avalonsync.sandbox.DriveSimulator;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class DriveFaultsTest {

    @TempDir
    static Path dir;

    private static DriveSimulator simulator;
    private static DriveRemote remote;
    private static String folder;

    @BeforeAll
    static void start() throws IOException {
        simulator = DriveSimulator.start();
        Path key = dir.resolve("key.json");
        simulator.writeCredentials(key);
        DriveClients clients = new DriveClients(key.toString(), simulator.rootUrl());
        clients.setChunkRetries(new ChunkRetries(5, 10, 30_000));
        Drive drive = clients.client();
        remote = new DriveRemote(drive, 256 * 1024, clients.getChunkRetries());
        folder = remote.folder("/My Drive/work");
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /** Each of Google's errors, answered to a real client call, lands in the right kind with a clear text. */
    @ParameterizedTest
    @EnumSource(DriveError.class)
    void classifiesEveryDriveError(DriveError error) {
        // a 401 is retried once by the client after fetching a new token; only a second one surfaces
        simulator.failNext("GET /drive/v3/files", error, error == DriveError.UNAUTHORIZED ? 2 : 1);
        IOException failure = assertThrows(IOException.class, () -> remote.find(folder, "a.ma"));
        FaultKind expected = switch (error) {
            case USER_RATE_LIMIT, RATE_LIMIT, SHARING_RATE_LIMIT, TOO_MANY_REQUESTS, BACKEND_ERROR, SERVICE_UNAVAILABLE ->
                    FaultKind.TRANSIENT;
            default -> FaultKind.PERMANENT;
        };
        assertEquals(expected, DriveFaults.kind(failure), DriveFaults.describe(failure));
        String text = DriveFaults.describe(failure);
        assertEquals("GoogleJsonResponseException: " + error.status() + " " + error.reason() + ": " + error.message(),
                text);
        // the same behind Camel's wrapper
        RuntimeCamelException wrapped = new RuntimeCamelException(failure);
        assertEquals(expected, DriveFaults.kind(wrapped));
        assertEquals(text, DriveFaults.describe(wrapped));
    }

    @Test
    void describesTheInsufficientPermissionsCaseExactly() {
        simulator.failNext("POST /upload/drive/v3/files", DriveError.INSUFFICIENT_PERMISSIONS, 1);
        IOException failure = assertThrows(IOException.class,
                () -> remote.upload(Files.writeString(dir.resolve("p.ma"), "x"), folder, "p.ma", null));
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(failure));
        assertEquals("GoogleJsonResponseException: 403 insufficientFilePermissions: The user does not have sufficient"
                + " permissions for this file.", DriveFaults.describe(failure));
        assertTrue(failure.getMessage().contains("upload of "), failure.getMessage());
    }

    @Test
    void serverErrorOnUploadStartIsTransient() {
        simulator.failNext("POST /upload/drive/v3/files", DriveError.BACKEND_ERROR, 1);
        IOException failure = assertThrows(IOException.class,
                () -> remote.upload(Files.writeString(dir.resolve("s.ma"), "x"), folder, "s.ma", null));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(failure));
    }

    @Test
    void persistentServerErrorsMidUploadAreTransient() throws IOException {
        Path local = Files.write(dir.resolve("big"), new byte[600_000]);
        simulator.failNext("PUT /upload/session", DriveError.SERVICE_UNAVAILABLE, 100);
        try {
            IOException failure = assertThrows(IOException.class, () -> remote.upload(local, folder, "big", null));
            assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(failure), DriveFaults.describe(failure));
            assertTrue(DriveFaults.describe(failure).startsWith("GoogleJsonResponseException: 503"),
                    DriveFaults.describe(failure));
        } finally {
            simulator.clearFaults();
        }
    }

    @Test
    void networkAndLocalFailures() {
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(new SocketTimeoutException("Read timed out")));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(new ConnectException("Connection refused")));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(new RuntimeCamelException(new java.net.SocketException("Connection reset"))));
        assertEquals(FaultKind.LOCAL_MISSING, DriveFaults.kind(new NoSuchFileException("/proj/a.ma")));
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(new IllegalArgumentException("bad root")));
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(null));
        assertEquals("SocketTimeoutException: Read timed out",
                DriveFaults.describe(new RuntimeCamelException(new SocketTimeoutException("Read timed out"))));
        assertEquals("NullPointerException", DriveFaults.describe(new NullPointerException()));
        assertEquals("unknown failure", DriveFaults.describe(null));
    }
}
