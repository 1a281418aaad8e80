package io.avalonsync.sitesync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.googleapis.media.MediaHttpDownloader;
import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.client.util.DateTime;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.DriveList;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import io.avalonsync.sync.Progress;

/**
 * One remote site on Google Drive: folders by path, lookups, uploads, new revisions and downloads. Thread-safe;
 * meant to be shared by parallel split threads.
 * <p>
 * Remote paths start with the drive: {@code /My Drive/work/Test/Assets/v010} or {@code /<Shared drive>/work/...}.
 * Resolved drive ids and folder ids are cached by path, and folders are created under a per-path lock, so that
 * parallel callers never create the same folder twice.
 */
public class DriveRemote {

    /** A file on Drive: id, size in bytes and MD5 (null when Drive gives none). */
    public record RemoteFile(String id, long size, String md5) {
    }

    public static final String MY_DRIVE = "My Drive";
    public static final String FOLDER_MIME_TYPE = "application/vnd.google-apps.folder";
    public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

    private static final String FILE_FIELDS = "id,name,size,md5Checksum,parents,mimeType";
    private static final String LIST_FIELDS = "nextPageToken,files(id,name,size,md5Checksum,createdTime,mimeType)";
    private static final int LOCK_STRIPES = 64;
    private static final int PAGE_SIZE = 1000;
    /** URL-encoded length of one {@link #find(String, Collection)} query, under the client's 2,048-character URL limit. */
    static final int MAX_QUERY_CHARS = 1500;

    private final Drive drive;
    private final int chunkSize;
    private final int stalledChunks;
    private final Map<String, String> driveIds = new ConcurrentHashMap<>();
    private final Map<String, String> folderIds = new ConcurrentHashMap<>();
    // folder id -> shared drive id ("" for My Drive), for list queries in the right corpus
    private final Map<String, String> driveOfFolder = new ConcurrentHashMap<>();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /** With the shipped chunk policy ({@link ChunkRetries#DEFAULT}). */
    public DriveRemote(Drive drive, int chunkSize) {
        this(drive, chunkSize, ChunkRetries.DEFAULT);
    }

    /**
     * {@code chunkSize}: bytes per resumable-upload request and per download range; a multiple of 256 KiB.
     * {@code chunkRetries}: the resume policy the client of {@code drive} was built with (DriveClients); its count
     * also ends an upload whose resumed requests bring no new byte to Drive.
     */
    public DriveRemote(Drive drive, int chunkSize, ChunkRetries chunkRetries) {
        if (chunkSize <= 0 || chunkSize % MediaHttpUploader.MINIMUM_CHUNK_SIZE != 0) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of 256 KiB (262144), not " + chunkSize);
        }
        this.drive = drive;
        this.chunkSize = chunkSize;
        this.stalledChunks = Math.max(1, chunkRetries.retries());
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    // ---------------------------------------------------------------- folders

    /** The id of the folder at {@code remotePath}, creating missing folders segment by segment. */
    public String folder(String remotePath) throws IOException {
        List<String> segments = segments(remotePath);
        String path = "/" + String.join("/", segments);
        String cached = folderIds.get(path);
        if (cached != null) {
            return cached;
        }
        String driveName = segments.get(0);
        String driveId = driveId(driveName);
        String parentId = MY_DRIVE.equals(driveName) ? "root" : driveId;
        String current = "/" + driveName;
        for (String segment : segments.subList(1, segments.size())) {
            current = current + "/" + segment;
            String id = folderIds.get(current);
            if (id == null) {
                ReentrantLock lock = locks[Math.floorMod(current.hashCode(), locks.length)];
                lock.lock();
                try {
                    id = folderIds.get(current);
                    if (id == null) {
                        id = findFolder(parentId, segment, driveId);
                        if (id == null) {
                            id = createFolder(parentId, segment, driveId, current);
                        }
                        driveOfFolder.put(id, driveId == null ? "" : driveId);
                        folderIds.put(current, id);
                    }
                } finally {
                    lock.unlock();
                }
            }
            parentId = id;
        }
        return parentId;
    }

    /** Forgets cached folder ids at and below {@code remotePath} (after a folder was removed on Drive). */
    public void forget(String remotePath) {
        String path = "/" + String.join("/", segments(remotePath));
        folderIds.keySet().removeIf(key -> key.equals(path) || key.startsWith(path + "/"));
    }

    /** {@code null} for My Drive, else the id of the shared drive with exactly this name. */
    private String driveId(String driveName) throws IOException {
        if (MY_DRIVE.equals(driveName)) {
            return null;
        }
        String cached = driveIds.get(driveName);
        if (cached != null) {
            return cached;
        }
        List<String> matches = new ArrayList<>();
        String pageToken = null;
        do {
            DriveList page = drive.drives().list().setPageSize(100).setPageToken(pageToken)
                    .setFields("nextPageToken,drives(id,name)").execute();
            if (page.getDrives() != null) {
                page.getDrives().stream().filter(d -> driveName.equals(d.getName())).forEach(d -> matches.add(d.getId()));
            }
            pageToken = page.getNextPageToken();
        } while (pageToken != null);
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no shared drive named '" + driveName + "' is visible to this service"
                    + " account (remote paths start with /" + MY_DRIVE + "/ or /<shared drive name>/)");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("several shared drives are named '" + driveName + "': " + matches
                    + "; rename all but one");
        }
        driveIds.put(driveName, matches.get(0));
        return matches.get(0);
    }

    private String findFolder(String parentId, String name, String driveId) throws IOException {
        List<File> found = list("name = '" + escape(name) + "' and '" + escape(parentId) + "' in parents and mimeType = '"
                + FOLDER_MIME_TYPE + "' and trashed = false", driveId);
        // Drive allows duplicates: always settle on the oldest, so every node picks the same one
        return found.stream().min(OLDEST_FIRST).map(File::getId).orElse(null);
    }

    private String createFolder(String parentId, String name, String driveId, String path) throws IOException {
        File folder = new File().setName(name).setMimeType(FOLDER_MIME_TYPE).setParents(List.of(parentId));
        try {
            return drive.files().create(folder).setSupportsAllDrives(true).setFields("id").execute().getId();
        } catch (GoogleJsonResponseException e) {
            throw withContext(e, "creating folder " + path);
        }
    }

    // ---------------------------------------------------------------- files

    /** The oldest live (not trashed) file called {@code name} in the folder, or null. */
    public RemoteFile find(String folderId, String name) throws IOException {
        List<File> found = list("name = '" + escape(name) + "' and '" + escape(folderId) + "' in parents and mimeType != '"
                + FOLDER_MIME_TYPE + "' and trashed = false", sharedDriveOf(folderId));
        return found.stream().min(OLDEST_FIRST).map(DriveRemote::remoteFile).orElse(null);
    }

    /**
     * The oldest live file of each of {@code names} in the folder (names without one are absent from the map),
     * asked with one files.list per group of names instead of one per name. A group's query stays below
     * {@value #MAX_QUERY_CHARS} characters URL-encoded: a longer request URL makes the client send the list as a
     * POST with a method override.
     */
    public Map<String, RemoteFile> find(String folderId, Collection<String> names) throws IOException {
        String head = "'" + escape(folderId) + "' in parents and mimeType != '" + FOLDER_MIME_TYPE
                + "' and trashed = false and (";
        Map<String, File> oldest = new HashMap<>();
        StringBuilder q = new StringBuilder(head);
        int encoded = encodedLength(head);
        for (String name : new LinkedHashSet<>(names)) {
            String term = (q.length() == head.length() ? "" : " or ") + "name = '" + escape(name) + "'";
            if (q.length() > head.length() && encoded + encodedLength(term) > MAX_QUERY_CHARS) {
                listInto(oldest, q.append(')').toString(), folderId);
                q.setLength(head.length());
                encoded = encodedLength(head);
                term = term.substring(4);
            }
            q.append(term);
            encoded += encodedLength(term);
        }
        if (q.length() > head.length()) {
            listInto(oldest, q.append(')').toString(), folderId);
        }
        Map<String, RemoteFile> out = new HashMap<>();
        oldest.forEach((name, f) -> out.put(name, remoteFile(f)));
        return out;
    }

    private void listInto(Map<String, File> oldest, String q, String folderId) throws IOException {
        for (File f : list(q, sharedDriveOf(folderId))) {
            oldest.merge(f.getName(), f, (a, b) -> OLDEST_FIRST.compare(a, b) <= 0 ? a : b);
        }
    }

    private static int encodedLength(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).length();
    }

    /**
     * Uploads {@code local} as a new file {@code name} in the folder with the resumable protocol, reporting the
     * bytes Drive has acknowledged. Size and MD5 are checked against what Drive computed.
     */
    public RemoteFile upload(Path local, String folderId, String name, LongConsumer bytesSent) throws IOException {
        File metadata = new File().setName(name).setParents(List.of(folderId));
        return send(local, bytesSent, "upload of " + local + " to folder " + folderId + " as '" + name + "'",
                content -> drive.files().create(metadata, content));
    }

    /** Uploads {@code local} as a new revision of an existing file (same id). */
    public RemoteFile update(String fileId, Path local, LongConsumer bytesSent) throws IOException {
        return send(local, bytesSent, "update of file " + fileId + " from " + local,
                content -> drive.files().update(fileId, new File(), content));
    }

    private interface MediaRequest {
        com.google.api.services.drive.DriveRequest<File> build(DigestingFileContent content) throws IOException;
    }

    private RemoteFile send(Path local, LongConsumer bytesSent, String what, MediaRequest requests) throws IOException {
        if (!Files.isRegularFile(local)) {
            throw new NoSuchFileException(local.toString(), null, "local file to upload is missing");
        }
        LongConsumer progress = bytesSent == null ? bytes -> { } : bytesSent;
        // bytes sent, bytes/s and ETA in the log for a file that takes longer than sync.progress-interval
        Progress sending = Progress.start("site sync: uploading " + local).bytes("sent", Files.size(local));
        DigestingFileContent content = new DigestingFileContent(local);
        com.google.api.services.drive.DriveRequest<File> request = requests.build(content);
        request.set("supportsAllDrives", true);
        request.setFields(FILE_FIELDS);
        MediaHttpUploader uploader = request.getMediaHttpUploader();
        uploader.setDirectUploadEnabled(false);
        uploader.setChunkSize(chunkSize);
        long[] stall = {-1, 0};
        uploader.setProgressListener(u -> {
            if (u.getUploadState() == MediaHttpUploader.UploadState.MEDIA_IN_PROGRESS
                    || u.getUploadState() == MediaHttpUploader.UploadState.MEDIA_COMPLETE) {
                long uploaded = u.getNumBytesUploaded();
                // every chunk request gets a fresh retry budget: without this, a link that always breaks before a
                // single byte lands would loop for ever
                stall[1] = uploaded > stall[0] ? 0 : stall[1] + 1;
                stall[0] = Math.max(stall[0], uploaded);
                if (stall[1] >= stalledChunks) {
                    throw new IOException(what + ": no progress after " + stall[1] + " resumed requests, Drive"
                            + " holds " + uploaded + " of " + content.getLength() + " bytes");
                }
                progress.accept(uploaded);
                sending.moveTo(uploaded);
            }
        });
        File result;
        try {
            result = request.execute();
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() == 404 && content.opened()) {
                // the session was started (the content is read only then): Drive forgot it mid-way. Not the
                // file's fault and not the folder's: a fresh session may work, and the route's policy decides
                throw new IOException(what + ": Drive lost the upload session (" + DriveFaults.describe(e)
                        + "); a redelivery starts a new one");
            }
            throw withContext(e, what);
        }
        long size = content.length();
        String md5 = content.md5Hex();
        verify(what, size, md5, result.getSize(), result.getMd5Checksum());
        return new RemoteFile(result.getId(), result.getSize(), result.getMd5Checksum());
    }

    /**
     * Downloads a file to {@code target} via a temp file next to it: size and MD5 (when Drive has one) are checked,
     * then the temp file is moved into place, so a partial file never sits at the target.
     */
    public void download(String fileId, Path target, LongConsumer bytesReceived) throws IOException {
        String what = "download of file " + fileId + " to " + target;
        File metadata;
        try {
            metadata = drive.files().get(fileId).setSupportsAllDrives(true).setFields(FILE_FIELDS).execute();
        } catch (GoogleJsonResponseException e) {
            throw withContext(e, what);
        }
        if (FOLDER_MIME_TYPE.equals(metadata.getMimeType()) || metadata.getSize() == null) {
            throw new IllegalArgumentException(what + ": '" + metadata.getName() + "' (" + metadata.getMimeType()
                    + ") has no binary content to download");
        }
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".part");
        LongConsumer progress = bytesReceived == null ? bytes -> { } : bytesReceived;
        Progress receiving = Progress.start("site sync: downloading " + target).bytes("received", metadata.getSize());
        try {
            MessageDigest digest = md5();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                Drive.Files.Get get = drive.files().get(fileId).setSupportsAllDrives(true);
                MediaHttpDownloader downloader = get.getMediaHttpDownloader();
                downloader.setDirectDownloadEnabled(false);
                downloader.setChunkSize(Math.min(chunkSize, MediaHttpDownloader.MAXIMUM_CHUNK_SIZE));
                downloader.setProgressListener(d -> {
                    progress.accept(d.getNumBytesDownloaded());
                    receiving.moveTo(d.getNumBytesDownloaded());
                });
                get.executeMediaAndDownloadTo(out);
            }
            long size = Files.size(temp);
            verify(what, size, HexFormat.of().formatHex(digest.digest()), metadata.getSize(), metadata.getMd5Checksum());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (GoogleJsonResponseException e) {
            throw withContext(e, what);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static final Comparator<File> OLDEST_FIRST = Comparator
            .comparing((File f) -> f.getCreatedTime() == null ? Long.MAX_VALUE : f.getCreatedTime().getValue())
            .thenComparing(File::getId);

    private List<File> list(String q, String driveId) throws IOException {
        List<File> files = new ArrayList<>();
        String pageToken = null;
        do {
            Drive.Files.List request = drive.files().list().setQ(q).setFields(LIST_FIELDS).setPageSize(PAGE_SIZE)
                    .setPageToken(pageToken).setSupportsAllDrives(true);
            if (driveId == null) {
                request.setCorpora("user");
            } else if (driveId.isEmpty()) {
                // a folder we did not resolve ourselves: search everything the account sees
                request.setCorpora("allDrives").setIncludeItemsFromAllDrives(true);
            } else {
                request.setCorpora("drive").setDriveId(driveId).setIncludeItemsFromAllDrives(true);
            }
            FileList page;
            try {
                page = request.execute();
            } catch (GoogleJsonResponseException e) {
                throw withContext(e, "listing " + q);
            }
            if (page.getFiles() != null) {
                files.addAll(page.getFiles());
            }
            pageToken = page.getNextPageToken();
        } while (pageToken != null);
        return files;
    }

    /** null = My Drive, "" = unknown (search all drives), else the shared drive id. */
    private String sharedDriveOf(String folderId) {
        if ("root".equals(folderId)) {
            return null;
        }
        if (driveIds.containsValue(folderId)) {
            return folderId;
        }
        String known = driveOfFolder.get(folderId);
        return known == null ? "" : known.isEmpty() ? null : known;
    }

    private static void verify(String what, long localSize, String localMd5, Long remoteSize, String remoteMd5)
            throws IOException {
        if (remoteSize == null || remoteSize != localSize) {
            throw new IOException(what + ": size mismatch, local " + localSize + " bytes, Drive " + remoteSize);
        }
        if (remoteMd5 != null && !remoteMd5.equalsIgnoreCase(localMd5)) {
            throw new IOException(what + ": MD5 mismatch, local " + localMd5 + ", Drive " + remoteMd5);
        }
    }

    private static RemoteFile remoteFile(File file) {
        return new RemoteFile(file.getId(), file.getSize() == null ? -1 : file.getSize(), file.getMd5Checksum());
    }

    /** A {@code q} string literal body: backslash and single quote escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static List<String> segments(String remotePath) {
        if (remotePath == null || !remotePath.startsWith("/")) {
            throw new IllegalArgumentException("remote path must start with /" + MY_DRIVE + "/ or /<shared drive name>/,"
                    + " not " + remotePath);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : remotePath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("remote path names no drive: " + remotePath);
        }
        return segments;
    }

    /** The same exception type and status, with what we were doing in front of Google's message. */
    private static GoogleJsonResponseException withContext(GoogleJsonResponseException e, String what) {
        GoogleJsonResponseException wrapped = new GoogleJsonResponseException(
                new com.google.api.client.http.HttpResponseException.Builder(e.getStatusCode(), e.getStatusMessage(),
                        e.getHeaders()).setMessage(what + ": " + e.getMessage()).setContent(e.getContent()),
                e.getDetails());
        wrapped.initCause(e);
        return wrapped;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MD5 of a local file, as Drive's {@code md5Checksum} gives it (hex), e.g. to adopt an identical file. */
    static String md5(Path file) throws IOException {
        MessageDigest digest = md5();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            Files.copy(file, out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Like {@code FileContent} (re-readable, streamed from disk, length known) but digesting what is read. Its
     * stream rewinds by file position ({@link DigestingFileStream}), so the uploader does not wrap it in a
     * {@code BufferedInputStream} holding a copy of each chunk (up to the chunk size per transfer) for the rewinds
     * a resumed chunk needs.
     */
    static final class DigestingFileContent extends AbstractInputStreamContent {
        private final Path file;
        private final long length;
        private MessageDigest digest;

        DigestingFileContent(Path file) throws IOException {
            super("application/octet-stream");
            this.file = file;
            this.length = Files.size(file);
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public boolean retrySupported() {
            return true;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            digest = md5();
            return new DigestingFileStream(FileChannel.open(file, StandardOpenOption.READ), digest);
        }

        String md5Hex() {
            return digest == null ? null : HexFormat.of().formatHex(digest.digest());
        }

        /** True once the uploader read the content: it does so only after Drive started the session. */
        boolean opened() {
            return digest != null;
        }

        long length() {
            return length;
        }
    }

    /**
     * A file read through a buffer of its own, with {@code mark}/{@code reset} by file position (any distance
     * back), that feeds each byte of the file to the digest once, the first time it is read, in file order: after
     * a rewind the bytes read again are not digested again, and a skip past what was read so far reads the skipped
     * bytes too. So the digest is the MD5 of the file's bytes 0 to the furthest point read.
     */
    static final class DigestingFileStream extends InputStream {
        static final int BUFFER = 64 * 1024;

        private final FileChannel channel;
        private final MessageDigest digest;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).limit(0);
        /** The file position of the buffer's first byte. */
        private long bufferStart;
        private long digested;
        private long mark;

        DigestingFileStream(FileChannel channel, MessageDigest digest) {
            this.channel = channel;
            this.digest = digest;
        }

        private long position() {
            return bufferStart + buffer.position();
        }

        /** Refills the buffer at the current position; false at the end of the file. */
        private boolean fill() throws IOException {
            long at = position();
            buffer.clear();
            int n;
            do {
                n = channel.read(buffer, at);
            } while (n == 0);
            buffer.flip();
            bufferStart = at;
            if (n < 0) {
                return false;
            }
            long end = at + n;
            if (end > digested) {
                // reads start at or before `digested` (skip reads through, never jumps past it)
                int from = (int) (digested - at);
                digest.update(buffer.array(), from, n - from);
                digested = end;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!buffer.hasRemaining() && !fill()) {
                return -1;
            }
            return buffer.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining() && !fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                long target = position() + (n - skipped);
                if (target <= digested) {
                    // already digested: a jump, within the buffer or not
                    seek(target);
                    return n;
                }
                if (!buffer.hasRemaining() && !fill()) {
                    break;
                }
                int step = (int) Math.min(n - skipped, buffer.remaining());
                buffer.position(buffer.position() + step);
                skipped += step;
            }
            return skipped;
        }

        private void seek(long target) {
            if (target >= bufferStart && target <= bufferStart + buffer.limit()) {
                buffer.position((int) (target - bufferStart));
            } else {
                bufferStart = target;
                buffer.limit(0);
            }
        }

        @Override
        public int available() {
            // what is buffered: readable without blocking, and no file-size call per ask
            return buffer.remaining();
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public void mark(int readLimit) {
            mark = position();
        }

        @Override
        public void reset() {
            seek(mark);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
