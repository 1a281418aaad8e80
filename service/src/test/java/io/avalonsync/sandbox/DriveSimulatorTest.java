package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import io.avalonsync.sitesync.DriveClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveSimulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private DriveSimulator simulator;
    private Drive drive;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        simulator = DriveSimulator.start();
        Path key = dir.resolve("key.json");
        simulator.writeCredentials(key);
        drive = DriveClients.create(key, simulator.rootUrl());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void listsInPagesWithTheRequestedFields() throws IOException {
        for (int i = 0; i < 5; i++) {
            simulator.putFolder("root", "f" + i);
        }
        simulator.putFile("root", "file", new byte[3]);
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            FileList page = drive.files().list().setPageSize(2).setPageToken(token)
                    .setQ("mimeType = 'application/vnd.google-apps.folder' and 'root' in parents and not trashed = true")
                    .setFields("nextPageToken,files(id,name)").execute();
            page.getFiles().forEach(f -> {
                names.add(f.getName());
                assertNull(f.getMimeType(), "not asked for");
            });
            token = page.getNextPageToken();
            pages++;
        } while (token != null);
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), names);
        assertEquals(3, pages);

        FileList contains = drive.files().list().setQ("(name contains 'f' or name = 'x') and mimeType != '"
                + DriveSimulator.FOLDER_MIME_TYPE + "'").execute();
        assertEquals(List.of("file"), contains.getFiles().stream().map(File::getName).toList());
    }

    @Test
    void refusesQueriesItCannotParse() {
        GoogleJsonResponseException e = assertThrows(GoogleJsonResponseException.class,
                () -> drive.files().list().setQ("name = 'O'Neil'").execute());
        assertEquals(400, e.getStatusCode());
        assertEquals("invalid", e.getDetails().getErrors().get(0).getReason());
        assertThrows(GoogleJsonResponseException.class, () -> drive.files().list().setQ("starred = true").execute());
    }

    @Test
    void sharedDriveItemsNeedSupportsAllDrives() throws IOException {
        String driveId = simulator.createSharedDrive("Share");
        String folder = simulator.putFolder(driveId, "work");
        assertEquals(404, assertThrows(GoogleJsonResponseException.class,
                () -> drive.files().get(folder).execute()).getStatusCode());
        assertEquals("work", drive.files().get(folder).setSupportsAllDrives(true).execute().getName());
        // corpora=user does not see them, corpora=drive does
        assertEquals(0, drive.files().list().setQ("name = 'work'").execute().getFiles().size());
        assertEquals(1, drive.files().list().setQ("name = 'work'").setCorpora("drive").setDriveId(driveId)
                .setIncludeItemsFromAllDrives(true).setSupportsAllDrives(true).execute().getFiles().size());
        assertThrows(GoogleJsonResponseException.class, () -> drive.files().list().setCorpora("drive")
                .setDriveId(driveId).execute());
        assertEquals("Share", drive.drives().list().execute().getDrives().get(0).getName());
    }

    @Test
    void metadataPatchArrivesAsPostWithOverride() throws IOException {
        String id = simulator.putFile("root", "a.ma", new byte[] {1, 2, 3});
        File renamed = drive.files().update(id, new File().setName("b.ma")).setFields("id,name,size").execute();
        assertEquals("b.ma", renamed.getName());
        assertEquals(3L, renamed.getSize());
        assertEquals("/My Drive/b.ma", simulator.pathOf(id));
        assertEquals(1, simulator.requestCount("PATCH /drive/v3/files/{id}"));
    }

    @Test
    void answersRangesAndRefusesMissingTokens() throws Exception {
        String id = simulator.putFile("root", "r.bin", "0123456789".getBytes(StandardCharsets.US_ASCII));
        String token = tokenFor();
        HttpResponse<String> part = http.send(HttpRequest.newBuilder(URI.create(simulator.rootUrl() + "drive/v3/files/"
                        + id + "?alt=media")).header("Authorization", "Bearer " + token).header("Range", "bytes=2-5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(206, part.statusCode());
        assertEquals("2345", part.body());
        assertEquals("bytes 2-5/10", part.headers().firstValue("Content-Range").orElse(null));
        HttpResponse<String> tail = http.send(HttpRequest.newBuilder(URI.create(simulator.rootUrl()
                        + "download/drive/v3/files/" + id + "?alt=media")).header("Authorization", "Bearer " + token)
                .header("Range", "bytes=-3").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("789", tail.body());

        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(simulator.rootUrl()
                + "drive/v3/files")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, denied.statusCode());
        JsonNode error = MAPPER.readTree(denied.body()).get("error");
        assertEquals(401, error.get("code").asInt());
        assertEquals("authError", error.get("errors").get(0).get("reason").asText());
    }

    @Test
    void refusesChunksThatAreNotMultiplesOf256KiB() throws Exception {
        String token = tokenFor();
        HttpResponse<String> begin = http.send(HttpRequest.newBuilder(URI.create(simulator.rootUrl()
                        + "upload/drive/v3/files?uploadType=resumable")).header("Authorization", "Bearer " + token)
                .header("X-Upload-Content-Length", "300000").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String session = begin.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(session))
                .header("Content-Range", "bytes 0-99999/300000")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100000])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(session))
                .header("Content-Range", "bytes */300000").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(308, status.statusCode());
        assertTrue(status.headers().firstValue("Range").isEmpty());
        assertEquals(1, simulator.openSessions());
    }

    private String tokenFor() throws IOException {
        // the client's own token: ask it to authorise a request and read the header back
        com.google.api.client.http.HttpRequest request = drive.getRequestFactory()
                .buildGetRequest(new com.google.api.client.http.GenericUrl(simulator.rootUrl() + "drive/v3/about"));
        request.execute().disconnect();
        return request.getHeaders().getAuthorization().substring("Bearer ".length());
    }
}
