package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.File;
import io.avalonsync.sandbox.DriveError;
import io.avalonsync.sandbox.DriveSimulator;
import io.avalonsync.socketio.LogCapture;
import io.avalonsync.sync.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveRemoteTest {

    private static final int CHUNK = 256 * 1024;
    private static final String MEDIA = "GET .*\\?alt=media";

    @TempDir
    Path dir;

    private DriveSimulator simulator;
    private Drive drive;
    private DriveRemote remote;

    @BeforeEach
    void start() throws IOException {
        simulator = DriveSimulator.start();
        Path key = dir.resolve("key.json");
        simulator.writeCredentials(key);
        DriveClients clients = new DriveClients(key.toString(), simulator.rootUrl());
        clients.setChunkRetries(new ChunkRetries(5, 20, 30_000));
        clients.setReadTimeoutMillis(10_000);
        drive = clients.client();
        remote = new DriveRemote(drive, CHUNK, clients.getChunkRetries());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    // ---------------------------------------------------------------- folders

    @Test
    void createsNestedFoldersOnceAndReusesThem() throws IOException {
        String id = remote.folder("/My Drive/work/Test/Assets/v010");
        assertEquals("/My Drive/work/Test/Assets/v010", simulator.pathOf(id));
        assertEquals(4, simulator.entries().size());
        assertEquals(4, simulator.requestCount("POST /drive/v3/files"));

        // cached: no request at all
        simulator.resetCounts();
        assertEquals(id, remote.folder("/My Drive/work/Test/Assets/v010/"));
        assertEquals(0, simulator.requestCount());

        // a fresh remote (another node) finds the same folders instead of making new ones
        DriveRemote other = new DriveRemote(drive, CHUNK);
        String sibling = other.folder("/My Drive/work/Test/Assets/v011");
        assertEquals(id, other.folder("/My Drive/work/Test/Assets/v010"));
        assertEquals("/My Drive/work/Test/Assets/v011", simulator.pathOf(sibling));
        assertEquals(5, simulator.entries().size());
        assertEquals(1, simulator.requestCount("POST /drive/v3/files"));
    }

    @Test
    void parallelCallersCreateEachFolderOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    // half of them go for a deeper folder through the same segments
                    return remote.folder(n % 2 == 0 ? "/My Drive/p/a/b/c" : "/My Drive/p/a/b/c/d");
                }));
            }
            go.countDown();
            for (Future<String> result : results) {
                assertNotNull(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (String path : List.of("/My Drive/p", "/My Drive/p/a", "/My Drive/p/a/b", "/My Drive/p/a/b/c",
                "/My Drive/p/a/b/c/d")) {
            assertEquals(1, simulator.findAll(path).size(), path);
        }
        assertEquals(5, simulator.entries().size());
        assertEquals(5, simulator.requestCount("POST /drive/v3/files"));
    }

    @Test
    void picksTheOldestOfDuplicateFolders() throws IOException {
        String older = simulator.putFolder("root", "dup");
        String newer = simulator.putFolder("root", "dup");
        assertEquals(2, simulator.findAll("/My Drive/dup").size());
        String chosen = remote.folder("/My Drive/dup");
        assertEquals(older, chosen);
        assertFalse(chosen.equals(newer));
        assertEquals(0, simulator.requestCount("POST /drive/v3/files"));
    }

    @Test
    void trashedFoldersAreNotReused() throws IOException {
        String trashed = simulator.putFolder("root", "old");
        simulator.trash(trashed);
        String id = remote.folder("/My Drive/old");
        assertFalse(id.equals(trashed));
    }

    @Test
    void sharedDriveByExactName() throws IOException {
        String driveId = simulator.createSharedDrive("Studio Share");
        simulator.createSharedDrive("Studio Share Archive");
        String id = remote.folder("/Studio Share/work/Test");
        assertEquals("/Studio Share/work/Test", simulator.pathOf(id));
        assertEquals(driveId, simulator.entry(id).driveId());
        // again with a new remote: found, not created
        DriveRemote other = new DriveRemote(drive, CHUNK);
        assertEquals(id, other.folder("/Studio Share/work/Test"));
        assertEquals(2, simulator.requestCount("POST /drive/v3/files"));
        // a file in it is found in the drive's corpus
        Path local = write("a.ma", 1000);
        DriveRemote.RemoteFile uploaded = remote.upload(local, id, "a.ma", null);
        assertEquals(uploaded, other.find(id, "a.ma"));
        assertEquals("/Studio Share/work/Test/a.ma", simulator.pathOf(uploaded.id()));
    }

    @Test
    void unknownSharedDriveIsAClearError() {
        simulator.createSharedDrive("Studio Share");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> remote.folder("/Studio/work"));
        assertTrue(e.getMessage().contains("no shared drive named 'Studio'"), e.getMessage());
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(e));
        assertThrows(IllegalArgumentException.class, () -> remote.folder("My Drive/work"));
    }

    @Test
    void namesWithQuotesAndBackslashes() throws IOException {
        String folder = remote.folder("/My Drive/O'Neil\\x/it's");
        assertEquals("/My Drive/O'Neil\\x/it's", simulator.pathOf(folder));
        assertEquals(folder, new DriveRemote(drive, CHUNK).folder("/My Drive/O'Neil\\x/it's"));
        assertEquals(2, simulator.entries().size());

        Path local = write("x", 10);
        DriveRemote.RemoteFile file = remote.upload(local, folder, "a\\'b'.ma", null);
        assertEquals(file, remote.find(folder, "a\\'b'.ma"));
        assertNull(remote.find(folder, "a\\'b.ma"));
        assertNull(remote.find(folder, "a'b'.ma"));
    }

    // ---------------------------------------------------------------- uploads

    @Test
    void resumableUploadStoresExactContent() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("big.exr", 3 * CHUNK + 12345);
        DriveRemote.RemoteFile file = remote.upload(local, folder, "big.exr", null);
        assertEquals(Files.size(local), file.size());
        assertEquals(md5(local), file.md5());
        assertArrayEquals(Files.readAllBytes(local), simulator.content(file.id()));
        assertEquals("/My Drive/work/big.exr", simulator.pathOf(file.id()));
        assertEquals(1, simulator.requestCount("POST /upload/drive/v3/files"));
        assertEquals(4, simulator.requestCount(DriveSimulator.SESSION_ROUTE));
        assertEquals(0, simulator.openSessions());
    }

    @Test
    void uploadMetadataIsSentUncompressed() throws IOException {
        // a few hundred bytes of JSON per file: gzipping them costs a Deflater per upload and saves nothing
        // (bench/README.md "Site sync CPU per byte")
        String folder = remote.folder("/My Drive/work");
        int before = simulator.gzippedBodies();
        for (int i = 0; i < 3; i++) {
            Path local = write("frame." + i + ".exr", 1000 + i);
            DriveRemote.RemoteFile file = remote.upload(local, folder, "frame." + i + ".exr", null);
            assertEquals(md5(local), file.md5());
            remote.update(file.id(), local, null);
        }
        assertEquals(3, simulator.requestCount("POST /upload/drive/v3/files"),
                "uploads started: " + simulator.recentRequests());
        assertEquals(0, simulator.gzippedBodies() - before,
                "gzipped request bodies among: " + simulator.recentRequests());
    }

    @Test
    void emptyAndSmallFiles() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path empty = write("empty", 0);
        DriveRemote.RemoteFile none = remote.upload(empty, folder, "empty", null);
        assertEquals(0, none.size());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", none.md5());
        Path small = write("small", 100);
        DriveRemote.RemoteFile file = remote.upload(small, folder, "small", null);
        assertEquals(md5(small), file.md5());
    }

    @Test
    void multipartUploadThroughTheClient() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("m.ma", 70_000);
        com.google.api.client.http.FileContent content =
                new com.google.api.client.http.FileContent("application/octet-stream", local.toFile());
        Drive.Files.Create create = drive.files().create(
                new File().setName("m.ma").setParents(List.of(folder)), content).setFields("id,size,md5Checksum");
        create.getMediaHttpUploader().setDirectUploadEnabled(true);
        File result = create.execute();
        assertEquals(70_000L, result.getSize());
        assertEquals(md5(local), result.getMd5Checksum());
        assertArrayEquals(Files.readAllBytes(local), simulator.content(result.getId()));
        assertEquals(0, simulator.requestCount(DriveSimulator.SESSION_ROUTE));
        assertEquals(new DriveRemote.RemoteFile(result.getId(), 70_000, md5(local)), remote.find(folder, "m.ma"));
    }

    @Test
    void updateMakesANewRevisionOfTheSameFile() throws IOException {
        String folder = remote.folder("/My Drive/work");
        DriveRemote.RemoteFile first = remote.upload(write("v1", 5000), folder, "a.ma", null);
        Path second = write("v2", 2 * CHUNK + 7);
        DriveRemote.RemoteFile updated = remote.update(first.id(), second, null);
        assertEquals(first.id(), updated.id());
        assertEquals(md5(second), updated.md5());
        assertArrayEquals(Files.readAllBytes(second), simulator.content(first.id()));
        assertEquals(1, simulator.findAll("/My Drive/work/a.ma").size());
        assertTrue(simulator.requestCount("PATCH /upload/drive/v3/files/{id}") == 1, simulator.requestCountsByRoute().toString());
    }

    @Test
    void findOfManyNamesAsksInFewListsAndGivesTheOldestOfEach() throws IOException {
        String folder = remote.folder("/My Drive/work");
        String other = remote.folder("/My Drive/other");
        byte[] bytes = "frame".getBytes();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            names.add("shot.10" + String.format("%02d", i) + ".exr");
        }
        String first = simulator.putFile(folder, names.get(0), bytes);
        simulator.putFile(folder, names.get(0), "a later duplicate".getBytes());
        String last = simulator.putFile(folder, names.get(59), bytes);
        simulator.putFile(folder, "not asked.exr", bytes);
        simulator.putFile(other, names.get(1), bytes);
        simulator.putFolder(folder, names.get(2));
        simulator.trash(simulator.putFile(folder, names.get(3), bytes));
        simulator.putFile(folder, "it's.exr", bytes);
        names.add("it's.exr");
        long before = simulator.requestCount("GET /drive/v3/files");

        Map<String, DriveRemote.RemoteFile> found = remote.find(folder, names);

        assertEquals(Set.of(names.get(0), names.get(59), "it's.exr"), found.keySet());
        assertEquals(first, found.get(names.get(0)).id());
        assertEquals(last, found.get(names.get(59)).id());
        assertEquals(HexFormat.of().formatHex(md5Of(bytes)), found.get(names.get(59)).md5());
        // 61 names in a few short queries, not one list per name
        long lists = simulator.requestCount("GET /drive/v3/files") - before;
        assertTrue(lists >= 2 && lists <= 4, lists + " lists: " + simulator.requestCountsByRoute());
    }

    @Test
    void findGivesSizeAndMd5ForAdoption() throws IOException {
        String folder = remote.folder("/My Drive/work");
        assertNull(remote.find(folder, "a.ma"));
        byte[] bytes = "published scene".getBytes();
        String id = simulator.putFile(folder, "a.ma", bytes);
        simulator.putFile(folder, "a.ma", "a later duplicate".getBytes());
        simulator.putFolder(folder, "b.ma");
        DriveRemote.RemoteFile found = remote.find(folder, "a.ma");
        assertEquals(new DriveRemote.RemoteFile(id, bytes.length, HexFormat.of().formatHex(
                md5Of(bytes))), found);
        // a folder of that name is not a file
        assertNull(remote.find(folder, "b.ma"));
        String trashed = simulator.putFile(folder, "c.ma", bytes);
        simulator.trash(trashed);
        assertNull(remote.find(folder, "c.ma"));
    }

    @Test
    void resumesAfterTheConnectionDropsMidChunk() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("drop.exr", 4 * CHUNK + 99);
        // the first chunk is cut after 100,000 of its bytes
        simulator.resetCounts();
        simulator.dropNextChunkAfter(100_000, 1);
        List<Long> progress = new CopyOnWriteArrayList<>();
        DriveRemote.RemoteFile file = remote.upload(local, folder, "drop.exr", progress::add);
        assertEquals(md5(local), file.md5());
        assertArrayEquals(Files.readAllBytes(local), simulator.content(file.id()));
        // one session only: the client asked where it stood and went on from there
        assertEquals(1, simulator.requestCount("POST /upload/drive/v3/files"));
        // the retried chunk became a status query; the client went on from the byte Drive had
        assertEquals(List.of("POST /upload/drive/v3/files",
                "PUT /upload/session bytes 0-262143/1048675",
                "PUT /upload/session bytes */1048675",
                "PUT /upload/session bytes 100000-362143/1048675",
                "PUT /upload/session bytes 362144-624287/1048675",
                "PUT /upload/session bytes 624288-886431/1048675",
                "PUT /upload/session bytes 886432-1048674/1048675"), simulator.recentRequests());
        assertEquals(Files.size(local), progress.get(progress.size() - 1));
    }

    @Test
    void digestingStreamRewindsByPositionAndDigestsEachByteOnce() throws Exception {
        int size = 3 * DriveRemote.DigestingFileStream.BUFFER + 1234;
        Path local = write("rewind.exr", size);
        byte[] bytes = Files.readAllBytes(local);
        MessageDigest digest = MessageDigest.getInstance("MD5");
        Random random = new Random(7);
        try (DriveRemote.DigestingFileStream in = new DriveRemote.DigestingFileStream(
                FileChannel.open(local), digest)) {
            assertTrue(in.markSupported(), "the uploader must not wrap it in a buffer of its own");
            int position = 0;
            int mark = 0;
            // reads of any length, rewinds far back (beyond the stream's buffer) and skips past what was read
            for (int step = 0; step < 400 && position < size; step++) {
                switch (random.nextInt(5)) {
                    case 0 -> {
                        in.mark(0);
                        mark = position;
                    }
                    case 1 -> {
                        in.reset();
                        position = mark;
                    }
                    case 2 -> {
                        long n = random.nextInt(DriveRemote.DigestingFileStream.BUFFER * 2);
                        long skipped = in.skip(n);
                        assertEquals(Math.min(n, size - position), skipped);
                        position += (int) skipped;
                    }
                    default -> {
                        byte[] into = new byte[1 + random.nextInt(20_000)];
                        int n = in.read(into, 0, into.length);
                        assertTrue(n > 0, "read at " + position);
                        assertArrayEquals(Arrays.copyOfRange(bytes, position, position + n), Arrays.copyOf(into, n),
                                "bytes at " + position);
                        position += n;
                    }
                }
            }
            // to the end, from wherever it stands
            while (in.read() >= 0) {
                position++;
            }
            assertEquals(size, position);
        }
        assertEquals(md5(local), HexFormat.of().formatHex(digest.digest()));
    }

    @Test
    void resumesAfterServerErrorsMidUpload() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("err.exr", 3 * CHUNK);
        simulator.resetCounts();
        simulator.failNext("PUT /upload/session", DriveError.BACKEND_ERROR, 1);
        simulator.failNext("PUT /upload/session", DriveError.SERVICE_UNAVAILABLE, 1);
        DriveRemote.RemoteFile file = remote.upload(local, folder, "err.exr", null);
        assertEquals(md5(local), file.md5());
        assertEquals(1, simulator.requestCount("POST /upload/drive/v3/files"));
        assertEquals(1, simulator.entries().stream().filter(e -> !e.folder()).count());
    }

    @Test
    void tooManyDropsFailTransient() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("drop.exr", 2 * CHUNK);
        // every attempt is cut before a byte lands: the upload gives up instead of looping
        simulator.dropNextChunkAfter(0, 1000);
        IOException e = assertThrows(IOException.class, () -> remote.upload(local, folder, "drop.exr", null));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(e), DriveFaults.describe(e));
        assertTrue(e.getMessage().contains("no progress"), e.getMessage());
        assertNull(remote.find(folder, "drop.exr"));
    }

    @Test
    void everyChunkCutShortStillCompletes() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("slow.exr", 2 * CHUNK + 3);
        // each request keeps only 100,000 bytes: progress, however slow, goes on
        simulator.dropNextChunkAfter(100_000, 1000);
        DriveRemote.RemoteFile file = remote.upload(local, folder, "slow.exr", null);
        assertEquals(md5(local), file.md5());
    }

    @Test
    void aLostSessionIsATransientFailureAndTheNextUploadStartsAFreshOne() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("lost.exr", 2 * CHUNK + 1);
        simulator.resetCounts();
        simulator.failNext("PUT /upload/session", DriveError.NOT_FOUND, 1);
        // not retried here: the route's redelivery policy decides (SiteSyncRetriesTest)
        IOException lost = assertThrows(IOException.class, () -> remote.upload(local, folder, "lost.exr", null));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(lost), DriveFaults.describe(lost));
        assertTrue(lost.getMessage().contains("lost the upload session"), lost.getMessage());
        assertEquals(1, simulator.requestCount("POST /upload/drive/v3/files"));
        DriveRemote.RemoteFile file = remote.upload(local, folder, "lost.exr", null);
        assertEquals(md5(local), file.md5());
        assertEquals(2, simulator.requestCount("POST /upload/drive/v3/files"));
    }

    @Test
    void aFolderGoneBeforeTheSessionStartsIsPermanent() throws IOException {
        String folder = remote.folder("/My Drive/work");
        simulator.resetCounts();
        simulator.failNext("POST /upload/drive/v3/files", DriveError.NOT_FOUND, 1);
        IOException gone = assertThrows(IOException.class, () -> remote.upload(write("a.ma", 10), folder, "a.ma", null));
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(gone), DriveFaults.describe(gone));
        assertEquals(1, simulator.requestCount("POST /upload/drive/v3/files"), "no second session");
    }

    @Test
    void progressIsMonotonicUpToTheSize() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("20m.exr", 20 * 1024 * 1024);
        List<Long> progress = new CopyOnWriteArrayList<>();
        DriveRemote.RemoteFile file = remote.upload(local, folder, "20m.exr", progress::add);
        assertEquals(md5(local), file.md5());
        assertTrue(progress.size() >= 80, "one report per 256 KiB chunk, got " + progress.size());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress went back: " + progress);
        }
        assertEquals(20L * 1024 * 1024, progress.get(progress.size() - 1));
    }

    @Test
    void aSlowUploadLogsBytesSentRateAndEta() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("1m.exr", 1024 * 1024);
        simulator.setUploadBytesPerSecond(1024 * 1024);  // one second: progress lines come before the last byte
        java.time.Duration before = Progress.interval();
        Progress.interval(java.time.Duration.ofMillis(200));
        try (LogCapture log = new LogCapture(Progress.class)) {
            remote.upload(local, folder, "1m.exr", null);
            List<String> lines = log.messages(org.apache.logging.log4j.Level.INFO);
            assertFalse(lines.isEmpty(), "an upload longer than the interval reports its progress");
            String head = "site sync: uploading " + local + ": sent ";
            assertTrue(lines.stream().allMatch(l -> l.startsWith(head)), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(head)
                    + "[\\d.]+ (KiB|MiB)/1\\.0 MiB, [\\d.]+ (KiB|MiB)/s, ETA \\d+ s")), lines.toString());
        } finally {
            Progress.interval(before);
        }
    }

    @Test
    void missingLocalFileIsLocalMissing() throws IOException {
        String folder = remote.folder("/My Drive/work");
        simulator.resetCounts();
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> remote.upload(dir.resolve("gone.ma"), folder, "gone.ma", null));
        assertEquals(FaultKind.LOCAL_MISSING, DriveFaults.kind(e));
        assertTrue(DriveFaults.describe(e).contains("gone.ma"), DriveFaults.describe(e));
        assertEquals(0, simulator.requestCount());
    }

    // ---------------------------------------------------------------- downloads

    @Test
    void downloadsInRangesWithVerification() throws IOException {
        String folder = remote.folder("/My Drive/work");
        Path local = write("src.exr", 3 * CHUNK + 5);
        DriveRemote.RemoteFile file = remote.upload(local, folder, "src.exr", null);
        Path target = dir.resolve("down/sub/copy.exr");
        simulator.resetCounts();
        List<Long> progress = new CopyOnWriteArrayList<>();
        remote.download(file.id(), target, progress::add);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(target));
        assertEquals(4, simulator.requestCount("GET /drive/v3/files/{id}?alt=media"), simulator.recentRequests().toString());
        assertEquals(List.of("GET /drive/v3/files/{id}", "GET /drive/v3/files/{id}?alt=media bytes=0-262143",
                "GET /drive/v3/files/{id}?alt=media bytes=262144-524287",
                "GET /drive/v3/files/{id}?alt=media bytes=524288-786431",
                "GET /drive/v3/files/{id}?alt=media bytes=786432-1048575"), simulator.recentRequests());
        assertEquals(Files.size(local), progress.get(progress.size() - 1));
        assertEquals(List.of(target), listDir(target.getParent()));
    }

    @Test
    void failedDownloadLeavesNothingAtTheTarget() throws IOException {
        String folder = remote.folder("/My Drive/work");
        DriveRemote.RemoteFile file = remote.upload(write("src", 3 * CHUNK), folder, "src", null);
        Path target = dir.resolve("out/copy");
        // the first range arrives, the second fails
        simulator.failAfter(MEDIA, 1, DriveError.BACKEND_ERROR, 1);
        IOException e = assertThrows(IOException.class, () -> remote.download(file.id(), target, null));
        assertEquals(FaultKind.TRANSIENT, DriveFaults.kind(e), DriveFaults.describe(e));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listDir(target.getParent()));

        // an existing older copy stays untouched by a failed download
        Files.writeString(target, "old");
        simulator.failNext(MEDIA, DriveError.INSUFFICIENT_PERMISSIONS, 1);
        IOException denied = assertThrows(IOException.class, () -> remote.download(file.id(), target, null));
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(denied), DriveFaults.describe(denied));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listDir(target.getParent()));

        remote.download(file.id(), target, null);
        assertArrayEquals(simulator.content(file.id()), Files.readAllBytes(target));
    }

    @Test
    void downloadOfAMissingFileIsPermanent() throws IOException {
        Path target = dir.resolve("x");
        GoogleJsonResponseException e = assertThrows(GoogleJsonResponseException.class,
                () -> remote.download("nope", target, null));
        assertEquals(404, e.getStatusCode());
        assertEquals(FaultKind.PERMANENT, DriveFaults.kind(e));
        assertTrue(DriveFaults.describe(e).startsWith("GoogleJsonResponseException: 404 notFound: "), DriveFaults.describe(e));
        assertTrue(e.getMessage().contains("download of file nope"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    // ---------------------------------------------------------------- helpers

    private Path write(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode() * 31L + size).nextBytes(bytes);
        Path file = dir.resolve("local").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static String md5(Path file) throws IOException {
        return HexFormat.of().formatHex(md5Of(Files.readAllBytes(file)));
    }

    private static byte[] md5Of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> listDir(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
