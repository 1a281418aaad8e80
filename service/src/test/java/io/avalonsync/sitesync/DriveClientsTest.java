package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.FileList;
import io.avalonsync.sandbox.DriveSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveClientsTest {

    @TempDir
    Path dir;

    private DriveSimulator simulator;

    @BeforeEach
    void start() throws IOException {
        simulator = DriveSimulator.start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void fetchesATokenFromTheKeysTokenUri() throws IOException {
        Path key = dir.resolve("key.json");
        simulator.writeCredentials(key);
        DriveClients clients = new DriveClients(key.toString(), simulator.rootUrl());
        Drive drive = clients.client();
        assertSame(drive, clients.client());
        FileList list = drive.files().list().setQ("trashed = false").execute();
        assertEquals(List.of(), list.getFiles());
        assertEquals(1, simulator.requestCount("POST /token"));
        drive.files().list().execute();
        assertEquals(1, simulator.requestCount("POST /token"), "the token is reused");

        // a refused token is refreshed once by the client itself
        simulator.expireTokens();
        drive.files().list().execute();
        assertEquals(2, simulator.requestCount("POST /token"));
        assertEquals(4, simulator.requestCount("GET /drive/v3/files"));
    }

    @Test
    void unknownAccountIsAClearPermanentError() throws IOException {
        Path key = dir.resolve("key.json");
        String email = simulator.writeCredentials(key);
        simulator.removeAccount(email);
        Drive drive = DriveClients.create(key, simulator.rootUrl());
        IOException failure = assertThrows(IOException.class, () -> drive.files().list().execute());
        String text = DriveFaults.describe(failure);
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(failure), text);
        assertTrue(text.contains("400") && text.contains("invalid_grant"), text);
        assertTrue(failure.getMessage().contains("account not found") && failure.getMessage().contains(email),
                failure.getMessage());
        assertEquals(0, simulator.requestCount("GET /drive/v3/files"));
    }

    @Test
    void aKeyFromAnotherSimulatorIsRefused() throws IOException {
        Path key = dir.resolve("other.json");
        try (DriveSimulator other = DriveSimulator.start()) {
            other.writeCredentials(key);
        }
        // same account name scheme, different token endpoint: point the key at ours
        String json = Files.readString(key).replaceAll("http://127\\.0\\.0\\.1:\\d+/token", simulator.tokenUrl());
        Files.writeString(key, json);
        IOException failure = assertThrows(IOException.class,
                () -> DriveClients.create(key, simulator.rootUrl()).files().list().execute());
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(failure));
    }

    @Test
    void missingOrBrokenKeyFileNamesTheFile() throws IOException {
        Path missing = dir.resolve("nope.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriveClients.create(missing, simulator.rootUrl()));
        assertTrue(e.getMessage().contains("gdrive.credentials") && e.getMessage().contains(missing.toString()),
                e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"type\":\"service_account\"}");
        e = assertThrows(IllegalArgumentException.class, () -> DriveClients.create(broken, simulator.rootUrl()));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DriveClients("", simulator.rootUrl()).client());
        assertTrue(e.getMessage().contains("gdrive.credentials is not set"), e.getMessage());
    }
}
