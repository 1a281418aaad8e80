package io.avalonsync.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * A Google Drive API v3 server on loopback that speaks the protocol the way the Google Java client does: the
 * service-account token endpoint (JWT bearer grant), files.list with the {@code q} language, folder creation,
 * multipart and resumable uploads (308 + {@code Range}, status queries), media updates, metadata and ranged
 * downloads, shared drives. Content is kept in files under a temporary directory and digested while it streams
 * in, so a gigabyte upload costs no heap.
 * <p>
 * For tests it can answer Google's error envelope for the next N matching requests, cut a chunk's connection
 * after N bytes, throttle uploads to a byte rate, and it counts requests by route. Routes are named like
 * {@code "GET /drive/v3/files"}, {@code "PATCH /upload/drive/v3/files/{id}"}, {@code "PUT /upload/session"} (chunks
 * and status queries) or {@code "GET /drive/v3/files/{id}?alt=media"} (downloads).
 */
public final class DriveSimulator implements AutoCloseable {

    public static final String FOLDER_MIME_TYPE = DriveStore.FOLDER;
    public static final String DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";
    public static final String SESSION_ROUTE = "PUT /upload/session";

    private static final int THREADS = 16;
    private static final int RESUMABLE_GRANULARITY = 256 * 1024;
    private static final int MULTIPART_LIMIT = 5 * 1024 * 1024 + 64 * 1024;
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern FILE_ID = Pattern.compile("^(/(?:upload/|download/)?drive/v3/files)/([^/]+)$");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final Set<String> DEFAULT_FILE_FIELDS = Set.of("kind", "id", "name", "mimeType");

    /** One stored file or folder, as tests see it. {@code size} and {@code md5} are -1 and null for folders. */
    public record Entry(String id, String name, String path, boolean folder, long size, String md5, String driveId,
                        List<String> parents, Instant createdTime, boolean trashed) {
    }

    private static final class Failure {
        final Pattern route;
        final DriveError error;
        int skip;
        int remaining;

        Failure(Pattern route, DriveError error, int skip, int remaining) {
            this.route = route;
            this.error = error;
            this.skip = skip;
            this.remaining = remaining;
        }
    }

    /** A resumable upload in progress: bytes so far on disk, digested as they arrive. */
    private static final class Session {
        final String id;
        final String name;
        final String mimeType;
        final String parentId;
        final String driveId;
        final String updateId;
        final long declaredLength;
        final Map<String, String> query;
        final Path part;
        final MessageDigest md5 = md5();
        long received;
        String completedId;

        Session(String id, String name, String mimeType, String parentId, String driveId, String updateId,
                long declaredLength, Map<String, String> query, Path part) {
            this.id = id;
            this.name = name;
            this.mimeType = mimeType;
            this.parentId = parentId;
            this.driveId = driveId;
            this.updateId = updateId;
            this.declaredLength = declaredLength;
            this.query = query;
            this.part = part;
        }
    }

    /** Thrown to hang up on the client without an answer. */
    private static final class HangUp extends RuntimeException {
        HangUp() {
            super(null, null, false, false);
        }
    }

    /** A finished answer that is not 200: status, optional headers and JSON body. */
    private static final class Reply extends RuntimeException {
        final int status;
        final Object body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Reply(int status, Object body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private record Account(String clientEmail, PublicKey publicKey) {
    }

    private final SimulatorServer http;
    private final Path directory;
    private final DriveStore store;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final java.util.ArrayDeque<String> requestLog = new java.util.ArrayDeque<>();
    private final AtomicInteger tokenNumber = new AtomicInteger();
    private final AtomicInteger gzippedBodies = new AtomicInteger();
    private final Object throttleLock = new Object();
    private volatile long uploadBytesPerSecond;
    private long throttleNextFreeNanos;
    private long dropAfterBytes = -1;
    private int dropsRemaining;

    private DriveSimulator(SimulatorServer http, Path directory) throws IOException {
        this.http = http;
        this.directory = directory;
        this.store = new DriveStore(Files.createDirectories(directory.resolve("content")));
        Files.createDirectories(directory.resolve("sessions"));
        http.handle(this::handle);
    }

    /** A simulator on 127.0.0.1 with a free port, keeping content in a new temporary directory. */
    public static DriveSimulator start() throws IOException {
        return start(0, null);
    }

    /** A simulator on 127.0.0.1:{@code port} (0 = free port) keeping content under {@code directory} (null = temp). */
    public static DriveSimulator start(int port, Path directory) throws IOException {
        Path dir = directory != null ? Files.createDirectories(directory) : Files.createTempDirectory("drive-simulator");
        DriveSimulator simulator = new DriveSimulator(SimulatorServer.create(port, "drive-simulator", THREADS), dir);
        simulator.http.start();
        return simulator;
    }

    public int port() {
        return http.port();
    }

    /** What {@code Drive.Builder.setRootUrl} takes: {@code http://127.0.0.1:PORT/}. */
    public String rootUrl() {
        return "http://127.0.0.1:" + port() + "/";
    }

    public String tokenUrl() {
        return rootUrl() + "token";
    }

    /** Where content is kept. */
    public Path directory() {
        return directory;
    }

    // ---------------------------------------------------------------- accounts

    /**
     * Writes a service-account key file (fresh RSA key, {@code token_uri} = this simulator) whose account the
     * token endpoint accepts; returns its {@code client_email}.
     */
    public String writeCredentials(Path file) throws IOException {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String clientEmail = "sync-" + store.randomId(8).toLowerCase(Locale.ROOT).replace('_', 'x').replace('-', 'x')
                + "@avalon-sync-sim.iam.gserviceaccount.com";
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "avalon-sync-sim");
        json.put("private_key_id", store.randomId(40));
        json.put("private_key", pem);
        json.put("client_email", clientEmail);
        json.put("client_id", String.valueOf(100000000000000000L + Math.abs(clientEmail.hashCode())));
        json.put("auth_uri", rootUrl() + "o/oauth2/auth");
        json.put("token_uri", tokenUrl());
        json.put("auth_provider_x509_cert_url", rootUrl() + "oauth2/v1/certs");
        json.put("universe_domain", "googleapis.com");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        accounts.put(clientEmail, new Account(clientEmail, keys.getPublic()));
        return clientEmail;
    }

    /** The token endpoint forgets this account ("account not found", as for a deleted service account). */
    public void removeAccount(String clientEmail) {
        accounts.remove(clientEmail);
    }

    /** Every access token issued so far is refused with 401; clients have to fetch new ones. */
    public void expireTokens() {
        tokens.clear();
    }

    // ---------------------------------------------------------------- content

    /** Creates a shared drive; returns its id. */
    public String createSharedDrive(String name) {
        return store.createSharedDrive(name).id();
    }

    /** My Drive's root folder id ({@code root} is accepted as its alias). */
    public String rootId() {
        return store.rootId();
    }

    /** Creates a folder directly (e.g. a duplicate Drive allows but a client would not make); returns its id. */
    public String putFolder(String parentId, String name) {
        boolean[] exists = new boolean[1];
        String driveId = store.driveOfContainer(parentId, exists);
        if (!exists[0]) {
            throw new IllegalArgumentException("no folder " + parentId);
        }
        return store.create(name, FOLDER_MIME_TYPE, parentId, driveId, null, 0, null).id;
    }

    /** Stores a file directly; returns its id. */
    public String putFile(String parentId, String name, byte[] content) throws IOException {
        boolean[] exists = new boolean[1];
        String driveId = store.driveOfContainer(parentId, exists);
        if (!exists[0]) {
            throw new IllegalArgumentException("no folder " + parentId);
        }
        Path part = Files.createTempFile(directory.resolve("sessions"), "put", ".part");
        Files.write(part, content);
        String md5 = HexFormat.of().formatHex(md5().digest(content));
        return store.create(name, "application/octet-stream", parentId, driveId, part, content.length, md5).id;
    }

    public void trash(String id) {
        store.setTrashed(requireItem(id), true);
    }

    /** Every stored file and folder, oldest first, with its path like {@code /My Drive/work/a.ma}. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (DriveStore.Item item : store.list(item -> true)) {
            entries.add(entry(item));
        }
        return entries;
    }

    public Entry entry(String id) {
        DriveStore.Item item = store.get(id);
        return item == null ? null : entry(item);
    }

    /** Like {@code /My Drive/work/a.ma} or {@code /Shared Name/work}; null for an unknown id. */
    public String pathOf(String id) {
        return store.pathOf(id);
    }

    /** The oldest entry not in the trash at {@code path}, or null. */
    public Entry find(String path) {
        List<Entry> all = findAll(path);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every entry not in the trash at {@code path} (Drive allows several), oldest first. */
    public List<Entry> findAll(String path) {
        List<Entry> found = new ArrayList<>();
        for (Entry entry : entries()) {
            if (!entry.trashed() && path.equals(entry.path())) {
                found.add(entry);
            }
        }
        return found;
    }

    /** The stored content of a file. */
    public byte[] content(String id) throws IOException {
        DriveStore.Item item = requireItem(id);
        return item.content == null ? new byte[0] : Files.readAllBytes(item.content);
    }

    /** Resumable sessions begun and not finished. */
    public int openSessions() {
        int open = 0;
        for (Session session : sessions.values()) {
            if (session.completedId == null) {
                open++;
            }
        }
        return open;
    }

    private DriveStore.Item requireItem(String id) {
        DriveStore.Item item = store.get(id);
        if (item == null) {
            throw new IllegalArgumentException("no file " + id);
        }
        return item;
    }

    private Entry entry(DriveStore.Item item) {
        return new Entry(item.id, item.name, store.pathOf(item.id), item.isFolder(),
                item.isFolder() ? -1 : item.size, item.md5, item.driveId, item.parents, item.createdTime, item.trashed);
    }

    // ---------------------------------------------------------------- misbehaviour on request

    /**
     * The next {@code times} requests whose route (like {@code "GET /drive/v3/files"}, see the class comment)
     * matches {@code routeRegex} get {@code error} in Google's JSON envelope; their body is read first.
     */
    public void failNext(String routeRegex, DriveError error, int times) {
        failAfter(routeRegex, 0, error, times);
    }

    /** Like {@link #failNext} once {@code skip} matching requests have been answered normally. */
    public void failAfter(String routeRegex, int skip, DriveError error, int times) {
        if (times > 0) {
            synchronized (failures) {
                failures.add(new Failure(Pattern.compile(routeRegex), error, skip, times));
            }
        }
    }

    /**
     * The next {@code times} upload-session PUTs that carry bytes keep the first {@code bytes} of their body, then
     * the connection is closed without an answer, like a network failure in the middle of a chunk.
     */
    public synchronized void dropNextChunkAfter(long bytes, int times) {
        dropAfterBytes = bytes;
        dropsRemaining = times;
    }

    /** Upload bodies (all connections together) are read at most this fast; 0 = no limit. */
    public void setUploadBytesPerSecond(long bytesPerSecond) {
        uploadBytesPerSecond = Math.max(0, bytesPerSecond);
    }

    public void clearFaults() {
        synchronized (failures) {
            failures.clear();
        }
        dropNextChunkAfter(-1, 0);
        uploadBytesPerSecond = 0;
    }

    private synchronized long takeDrop() {
        if (dropsRemaining > 0) {
            dropsRemaining--;
            return dropAfterBytes;
        }
        return -1;
    }

    private DriveError takeFailure(String route) {
        synchronized (failures) {
            for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
                Failure failure = it.next();
                if (failure.route.matcher(route).matches()) {
                    if (failure.skip > 0) {
                        failure.skip--;
                        continue;
                    }
                    if (--failure.remaining <= 0) {
                        it.remove();
                    }
                    return failure.error;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- request counting

    public long requestCount() {
        return http.requestCount();
    }

    /** Counts keyed by route, like {@code "POST /upload/drive/v3/files"}, in key order. */
    public Map<String, Long> requestCountsByRoute() {
        return http.requestCountsByRoute();
    }

    public long requestCount(String route) {
        return http.requestCount(route);
    }

    public void resetCounts() {
        http.resetCounts();
        synchronized (requestLog) {
            requestLog.clear();
        }
    }

    /** The latest requests (up to 500), like {@code "PUT /upload/session bytes 0-262143/786432"} (with the Content-Range or Range header). */
    public List<String> recentRequests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    private void log(String route, HttpExchange exchange) {
        String range = exchange.getRequestHeaders().getFirst("Content-Range");
        if (range == null) {
            range = exchange.getRequestHeaders().getFirst("Range");
        }
        synchronized (requestLog) {
            if (requestLog.size() >= 500) {
                requestLog.removeFirst();
            }
            requestLog.addLast(route + (range == null ? "" : " " + range));
        }
    }

    @Override
    public void close() {
        http.close();
        deleteTree(directory);
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is not worth failing a test for
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod();
            String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
            if ("POST".equals(method) && override != null) {
                method = override.trim().toUpperCase(Locale.ROOT);
            }
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            String id = null;
            String template = path;
            Matcher fileId = FILE_ID.matcher(path);
            if (fileId.matches()) {
                id = URLDecoder.decode(fileId.group(2), StandardCharsets.UTF_8);
                template = fileId.group(1) + "/{id}";
            }
            String route = method.equals("PUT") && query.containsKey("upload_id") ? SESSION_ROUTE
                    : method + " " + template + ("media".equals(query.get("alt")) ? "?alt=media" : "");
            log(route, exchange);
            http.count(route);
            try {
                DriveError failure = takeFailure(route);
                if (failure != null) {
                    drain(exchange);
                    throw error(failure, null);
                }
                Object body = dispatch(exchange, method, route, id, query);
                sendJson(exchange, 200, body, Map.of());
            } catch (Reply reply) {
                drain(exchange);
                sendJson(exchange, reply.status, reply.body, reply.headers);
            }
        } catch (HangUp hangUp) {
            // closing an exchange that has sent no headers closes the connection: the client sees it reset
        } catch (DriveQuery.InvalidQueryException e) {
            sendQuietly(exchange, error(DriveError.BAD_REQUEST, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            // the client went away mid-request, or the simulator is closing
        } finally {
            exchange.close();
        }
    }

    private void sendQuietly(HttpExchange exchange, Reply reply) {
        try {
            drain(exchange);
            sendJson(exchange, reply.status, reply.body, reply.headers);
        } catch (IOException | RuntimeException e) {
            // as above
        }
    }

    /** Returns the 200 body; other answers are thrown as {@link Reply}. */
    private Object dispatch(HttpExchange exchange, String method, String route, String id, Map<String, String> query)
            throws IOException {
        if (route.equals("POST /token")) {
            return token(exchange);
        }
        if (route.equals(SESSION_ROUTE)) {
            // the upload id is the session's credential, as with Google
            return sessionPut(exchange, query);
        }
        authorize(exchange);
        switch (route) {
            case "GET /drive/v3/about":
                return Map.of("kind", "drive#about", "user", Map.of("kind", "drive#user", "displayName", "avalon-sync"));
            case "GET /drive/v3/drives":
                return listDrives(query);
            case "GET /drive/v3/files":
                return listFiles(query);
            case "POST /drive/v3/files":
                return createMetadata(readJson(exchange), query);
            case "GET /drive/v3/files/{id}":
                return fileJson(visibleItem(id, query), query.get("fields"));
            case "GET /drive/v3/files/{id}?alt=media":
            case "GET /download/drive/v3/files/{id}?alt=media":
                download(exchange, id, query);
                return null;
            case "PATCH /drive/v3/files/{id}":
                return updateMetadata(id, readJson(exchange), query);
            case "DELETE /drive/v3/files/{id}":
                store.delete(visibleItem(id, query));
                throw new Reply(204, null);
            case "POST /upload/drive/v3/files":
                return upload(exchange, null, query);
            case "PATCH /upload/drive/v3/files/{id}":
                return upload(exchange, visibleItem(id, query), query);
            default:
                throw new Reply(404, errorBody(404, "notFound", "global", "Not Found: " + route));
        }
    }

    // ---------------------------------------------------------------- OAuth

    private Object token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseQuery(new String(readBody(exchange, 64 * 1024), StandardCharsets.UTF_8));
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            throw oauthError("unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
        }
        String assertion = form.getOrDefault("assertion", "");
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            throw oauthError("invalid_request", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
        }
        JsonNode claims;
        try {
            claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            throw oauthError("invalid_request", "Invalid JWT payload");
        }
        Account account = accounts.get(claims.path("iss").asText());
        if (account == null) {
            throw oauthError("invalid_grant", "Invalid grant: account not found");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(account.publicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw oauthError("invalid_grant", "Invalid JWT Signature.");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw oauthError("invalid_grant", "Invalid JWT Signature.");
        }
        // the auth library signs for Google's token audience whatever token_uri says
        if (!Set.of(tokenUrl(), "https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token")
                .contains(claims.path("aud").asText())) {
            throw oauthError("invalid_grant", "Invalid JWT: Failed audience check.");
        }
        long now = Instant.now().getEpochSecond();
        if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 300) {
            throw oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        if (!List.of(claims.path("scope").asText().split(" ")).contains(DRIVE_SCOPE)) {
            throw oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        String token = "ya29.sim-" + tokenNumber.incrementAndGet() + "-" + store.randomId(24);
        tokens.add(token);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("expires_in", 3599);
        body.put("token_type", "Bearer");
        return body;
    }

    private static Reply oauthError(String error, String description) {
        return new Reply(400, Map.of("error", error, "error_description", description));
    }

    private void authorize(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        if (token == null || !tokens.contains(token)) {
            Reply reply = new Reply(401, errorBody(401, "authError", "global",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie"
                            + " or other valid authentication credential."));
            reply.headers.put("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
            throw reply;
        }
    }

    // ---------------------------------------------------------------- metadata

    private Object listDrives(Map<String, String> query) {
        List<Map<String, Object>> drives = new ArrayList<>();
        for (DriveStore.SharedDrive drive : store.sharedDrives()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", "drive#drive");
            json.put("id", drive.id());
            json.put("name", drive.name());
            json.put("createdTime", time(drive.createdTime()));
            drives.add(json);
        }
        return page(drives, query, "drives", "drive#driveList", m -> m);
    }

    private Object listFiles(Map<String, String> query) {
        DriveQuery.Parsed parsed = DriveQuery.parseQuery(query.get("q"), store::canonical);
        Predicate<DriveQuery.Subject> q = parsed.matches();
        String corpora = query.getOrDefault("corpora", "user");
        boolean allDrives = bool(query, "supportsAllDrives") && bool(query, "includeItemsFromAllDrives");
        String driveId = query.get("driveId");
        Predicate<DriveStore.Item> scope;
        switch (corpora) {
            case "user":
                scope = item -> item.driveId == null;
                break;
            case "drive":
                if (driveId == null || driveId.isEmpty()) {
                    throw new Reply(400, errorBody(400, "invalid", "global", "The driveId parameter is required when corpora is drive."));
                }
                if (!allDrives) {
                    throw new Reply(403, errorBody(403, "teamDrivesParameterNotSupported", "global",
                            "includeItemsFromAllDrives and supportsAllDrives must be true when corpora is drive."));
                }
                scope = item -> driveId.equals(item.driveId);
                break;
            case "allDrives":
                scope = item -> item.driveId == null || allDrives;
                break;
            default:
                throw new Reply(400, errorBody(400, "invalid", "global", "Invalid Value: corpora=" + corpora));
        }
        if (!"drive".equals(corpora) && driveId != null) {
            throw new Reply(400, errorBody(400, "invalid", "global", "driveId requires corpora=drive."));
        }
        List<DriveStore.Item> found = store.list(parsed.parent(), item -> scope.test(item) && q.test(item));
        Map<String, Object> fields = parseFields(query.get("fields"));
        Object fileFields = fields == null ? null : fields.get("files");
        Set<String> wanted = fields == null ? DEFAULT_FILE_FIELDS
                : fileFields instanceof Map<?, ?> sub ? stringKeys(sub) : fields.containsKey("files") || fields.containsKey("*") ? null
                : Set.of();
        Map<String, Object> page = page(found, query, "files", "drive#fileList", item -> fileMap(item, wanted));
        page.putIfAbsent("incompleteSearch", false);
        if (fields != null && !fields.containsKey("*")) {
            page.keySet().removeIf(key -> !fields.containsKey(key));
        }
        return page;
    }

    private <T> Map<String, Object> page(List<T> all, Map<String, String> query, String key, String kind,
                                         java.util.function.Function<T, Map<String, Object>> view) {
        int pageSize = DEFAULT_PAGE_SIZE;
        if (query.containsKey("pageSize")) {
            pageSize = Integer.parseInt(query.get("pageSize"));
            if (pageSize < 1 || pageSize > 1000) {
                throw new Reply(400, errorBody(400, "invalid", "global", "Invalid value for pageSize: " + pageSize));
            }
        }
        int offset = 0;
        if (query.containsKey("pageToken")) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("pageToken")),
                        StandardCharsets.UTF_8).replace("offset:", ""));
            } catch (RuntimeException e) {
                throw new Reply(400, errorBody(400, "invalid", "global", "Invalid Value: pageToken"));
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + pageSize); i++) {
            items.add(view.apply(all.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (offset + pageSize < all.size()) {
            body.put("nextPageToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("offset:" + (offset + pageSize)).getBytes(StandardCharsets.UTF_8)));
        }
        body.put(key, items);
        return body;
    }

    private Object createMetadata(JsonNode metadata, Map<String, String> query) {
        String name = metadata.path("name").asText("Untitled");
        String mimeType = metadata.path("mimeType").asText("application/octet-stream");
        String parentId = parentOf(metadata, query);
        String driveId = container(parentId, query);
        DriveStore.Item item;
        if (FOLDER_MIME_TYPE.equals(mimeType)) {
            item = store.create(name, mimeType, parentId, driveId, null, 0, null);
        } else {
            try {
                Path empty = Files.createTempFile(directory.resolve("sessions"), "empty", ".part");
                item = store.create(name, mimeType, parentId, driveId, empty, 0, HexFormat.of().formatHex(md5().digest()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fileJson(item, query.get("fields"));
    }

    private Object updateMetadata(String id, JsonNode metadata, Map<String, String> query) {
        DriveStore.Item item = visibleItem(id, query);
        if (metadata.has("parents")) {
            throw new Reply(403, errorBody(403, "fieldNotWritable", "global",
                    "The resource body includes fields which are not directly writable."));
        }
        if (metadata.hasNonNull("name")) {
            store.rename(item, metadata.get("name").asText());
        }
        if (metadata.has("trashed")) {
            store.setTrashed(item, metadata.get("trashed").asBoolean());
        }
        List<String> add = splitIds(query.get("addParents"));
        List<String> remove = splitIds(query.get("removeParents"));
        add.forEach(parent -> container(parent, query));
        if (!add.isEmpty() || !remove.isEmpty()) {
            store.move(item, add, remove);
        }
        return fileJson(item, query.get("fields"));
    }

    private static List<String> splitIds(String ids) {
        List<String> list = new ArrayList<>();
        if (ids != null) {
            for (String id : ids.split(",")) {
                if (!id.isBlank()) {
                    list.add(id.trim());
                }
            }
        }
        return list;
    }

    private static String parentOf(JsonNode metadata, Map<String, String> query) {
        JsonNode parents = metadata.path("parents");
        if (parents.isArray() && parents.size() > 1) {
            throw new Reply(403, errorBody(403, "cannotAddParent", "global",
                    "Increasing the number of parents is not allowed."));
        }
        return parents.isArray() && parents.size() == 1 ? parents.get(0).asText() : "root";
    }

    /** The drive a new child of {@code parentId} belongs to; 404 for a parent that is not there (or not visible). */
    private String container(String parentId, Map<String, String> query) {
        boolean[] exists = new boolean[1];
        String driveId = store.driveOfContainer(parentId, exists);
        if (!exists[0] || (driveId != null && !bool(query, "supportsAllDrives"))) {
            throw notFound(parentId);
        }
        return driveId;
    }

    private DriveStore.Item visibleItem(String id, Map<String, String> query) {
        DriveStore.Item item = store.get(id);
        if (item == null || (item.driveId != null && !bool(query, "supportsAllDrives"))) {
            throw notFound(id);
        }
        return item;
    }

    private static Reply notFound(String id) {
        Map<String, Object> body = errorBody(404, "notFound", "global", "File not found: " + id + ".");
        return new Reply(404, body);
    }

    // ---------------------------------------------------------------- uploads

    private Object upload(HttpExchange exchange, DriveStore.Item existing, Map<String, String> query) throws IOException {
        String uploadType = query.getOrDefault("uploadType", "");
        switch (uploadType) {
            case "resumable":
                return beginSession(exchange, existing, query);
            case "multipart":
                return multipart(exchange, existing, query);
            case "media":
                return media(exchange, existing, query);
            default:
                throw new Reply(400, errorBody(400, "invalid", "global",
                        "Invalid value for uploadType: '" + uploadType + "'"));
        }
    }

    private Object beginSession(HttpExchange exchange, DriveStore.Item existing, Map<String, String> query)
            throws IOException {
        byte[] body = readBody(exchange, 1024 * 1024);
        JsonNode metadata = body.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        String length = exchange.getRequestHeaders().getFirst("X-Upload-Content-Length");
        String type = exchange.getRequestHeaders().getFirst("X-Upload-Content-Type");
        String mimeType = metadata.path("mimeType").asText(type != null ? type : "application/octet-stream");
        String parentId = null;
        String driveId = null;
        if (existing == null) {
            parentId = parentOf(metadata, query);
            driveId = container(parentId, query);
        } else if (metadata.has("parents")) {
            throw new Reply(403, errorBody(403, "fieldNotWritable", "global",
                    "The resource body includes fields which are not directly writable."));
        }
        String name = metadata.hasNonNull("name") ? metadata.get("name").asText()
                : existing != null ? existing.name : "Untitled";
        String id = store.randomId(40);
        Session session = new Session(id, name, mimeType, parentId, driveId, existing == null ? null : existing.id,
                length == null ? -1 : Long.parseLong(length.trim()), query,
                directory.resolve("sessions").resolve(id + ".part"));
        Files.createFile(session.part);
        sessions.put(id, session);
        String path = existing == null ? "upload/drive/v3/files" : "upload/drive/v3/files/" + existing.id;
        Reply reply = new Reply(200, null);
        reply.headers.put("Location", rootUrl() + path + "?uploadType=resumable&upload_id=" + id);
        reply.headers.put("X-GUploader-UploadID", id);
        throw reply;
    }

    private Object sessionPut(HttpExchange exchange, Map<String, String> query) throws IOException {
        Session session = sessions.get(query.get("upload_id"));
        if (session == null) {
            throw new Reply(404, errorBody(404, "notFound", "global", "Upload session not found or expired."));
        }
        synchronized (session) {
            if (session.completedId != null) {
                return fileJson(store.get(session.completedId), session.query.get("fields"));
            }
            String header = exchange.getRequestHeaders().getFirst("Content-Range");
            long first;
            long last;
            long total;
            if (header == null) {
                // a single PUT of the whole content
                first = 0;
                total = session.declaredLength;
                last = total - 1;
            } else {
                Matcher range = CONTENT_RANGE.matcher(header.trim());
                if (!range.matches()) {
                    throw new Reply(400, errorBody(400, "badContent", "global", "Invalid Content-Range: " + header));
                }
                first = range.group(1) == null ? -1 : Long.parseLong(range.group(1));
                last = range.group(2) == null ? -1 : Long.parseLong(range.group(2));
                total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
            }
            if (total >= 0 && session.declaredLength >= 0 && total != session.declaredLength) {
                throw new Reply(400, errorBody(400, "badContent", "global", "Content-Range total " + total
                        + " does not match X-Upload-Content-Length " + session.declaredLength));
            }
            if (first >= 0) {
                long length = last - first + 1;
                boolean finalChunk = total >= 0 && last == total - 1;
                if (length <= 0 || (total >= 0 && last >= total)) {
                    throw new Reply(400, errorBody(400, "badContent", "global", "Invalid Content-Range: " + header));
                }
                if (!finalChunk && length % RESUMABLE_GRANULARITY != 0) {
                    throw new Reply(400, errorBody(400, "badContent", "global",
                            "Invalid request. The number of bytes uploaded is required to be equal or greater than"
                                    + " 262144, except for the final request (it's recommended to be the exact multiple"
                                    + " of 262144). The received request contained " + length
                                    + " bytes, which does not meet this requirement."));
                }
                if (first > session.received) {
                    throw new Reply(400, errorBody(400, "badContent", "global", "Content-Range starts at " + first
                            + " but only " + session.received + " bytes were received."));
                }
                receive(exchange.getRequestBody(), session, session.received - first, length);
            }
            if (total >= 0 && session.received >= total) {
                return complete(session);
            }
            Reply incomplete = new Reply(308, null);
            if (session.received > 0) {
                incomplete.headers.put("Range", "bytes=0-" + (session.received - 1));
            }
            throw incomplete;
        }
    }

    /** Appends a chunk's bytes beyond those already kept, digesting them; may hang up half way on request. */
    private void receive(InputStream body, Session session, long alreadyHave, long length) throws IOException {
        long drop = takeDrop();
        long read = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(session.part, StandardOpenOption.APPEND)) {
            while (read < length) {
                int want = (int) Math.min(buffer.length, length - read);
                if (drop >= 0) {
                    want = (int) Math.min(want, drop - read);
                    if (want <= 0) {
                        out.flush();
                        throw new HangUp();
                    }
                }
                int n = body.read(buffer, 0, want);
                if (n < 0) {
                    break;
                }
                // the bytes read, not the bytes asked for: a socket read often returns less than the buffer
                throttle(n);
                long skip = Math.max(0, Math.min(n, alreadyHave - read));
                if (n > skip) {
                    out.write(buffer, (int) skip, (int) (n - skip));
                    session.md5.update(buffer, (int) skip, (int) (n - skip));
                    session.received += n - skip;
                }
                read += n;
            }
        }
        if (drop >= 0) {
            // the whole chunk arrived but the answer never leaves
            throw new HangUp();
        }
    }

    private Object complete(Session session) {
        String md5 = HexFormat.of().formatHex(session.md5.digest());
        DriveStore.Item item;
        if (session.updateId != null) {
            item = store.get(session.updateId);
            if (item == null) {
                throw notFound(session.updateId);
            }
            if (!session.name.equals(item.name)) {
                store.rename(item, session.name);
            }
            store.replaceContent(item, session.part, session.received, md5);
        } else {
            item = store.create(session.name, session.mimeType, session.parentId, session.driveId, session.part,
                    session.received, md5);
        }
        session.completedId = item.id;
        return fileJson(item, session.query.get("fields"));
    }

    private Object multipart(HttpExchange exchange, DriveStore.Item existing, Map<String, String> query)
            throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Matcher boundaryMatch = contentType == null ? null
                : Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (boundaryMatch == null || !contentType.startsWith("multipart/related") || !boundaryMatch.find()) {
            throw new Reply(400, errorBody(400, "badContent", "global", "Expected multipart/related, got " + contentType));
        }
        byte[] body = readBody(exchange, MULTIPART_LIMIT);
        byte[] delimiter = ("--" + boundaryMatch.group(1)).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            parts.add(java.util.Arrays.copyOfRange(body, start, next));
            at = next;
        }
        if (parts.size() != 2) {
            throw new Reply(400, errorBody(400, "badContent", "global", "A multipart upload needs 2 parts, got " + parts.size()));
        }
        JsonNode metadata = MAPPER.readTree(partContent(parts.get(0)));
        byte[] media = partContent(parts.get(1));
        throttle(media.length);
        Path part = Files.createTempFile(directory.resolve("sessions"), "multipart", ".part");
        Files.write(part, media);
        return storeUpload(existing, metadata, query, part, media.length, HexFormat.of().formatHex(md5().digest(media)));
    }

    private Object media(HttpExchange exchange, DriveStore.Item existing, Map<String, String> query) throws IOException {
        Path part = Files.createTempFile(directory.resolve("sessions"), "media", ".part");
        MessageDigest md5 = md5();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = requestBody(exchange); OutputStream out = Files.newOutputStream(part)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                throttle(n);
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                size += n;
            }
        }
        return storeUpload(existing, MAPPER.createObjectNode(), query, part, size, HexFormat.of().formatHex(md5.digest()));
    }

    private Object storeUpload(DriveStore.Item existing, JsonNode metadata, Map<String, String> query, Path part,
                               long size, String md5) {
        DriveStore.Item item;
        if (existing != null) {
            if (metadata.hasNonNull("name")) {
                store.rename(existing, metadata.get("name").asText());
            }
            item = store.replaceContent(existing, part, size, md5);
        } else {
            String parentId = parentOf(metadata, query);
            item = store.create(metadata.path("name").asText("Untitled"),
                    metadata.path("mimeType").asText("application/octet-stream"), parentId, container(parentId, query),
                    part, size, md5);
        }
        return fileJson(item, query.get("fields"));
    }

    private static byte[] partContent(byte[] part) {
        byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int headersEnd = indexOf(part, separator, 0);
        int start = headersEnd < 0 ? 0 : headersEnd + separator.length;
        int end = part.length;
        // the CRLF before the next delimiter belongs to the delimiter
        if (end >= 2 && part[end - 2] == '\r' && part[end - 1] == '\n') {
            end -= 2;
        }
        return java.util.Arrays.copyOfRange(part, Math.min(start, end), end);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void throttle(long bytes) {
        long rate = uploadBytesPerSecond;
        if (rate <= 0 || bytes <= 0) {
            return;
        }
        long startAt;
        synchronized (throttleLock) {
            long now = System.nanoTime();
            if (throttleNextFreeNanos < now) {
                throttleNextFreeNanos = now;
            }
            startAt = throttleNextFreeNanos;
            throttleNextFreeNanos += bytes * 1_000_000_000L / rate;
        }
        long wait = startAt - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HangUp();
            }
        }
    }

    // ---------------------------------------------------------------- downloads

    private void download(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        DriveStore.Item item = visibleItem(id, query);
        if (item.isFolder() || item.content == null) {
            throw new Reply(403, errorBody(403, "fileNotDownloadable", "global",
                    "Only files with binary content can be downloaded. Use Export with Docs Editors files."));
        }
        Path content = item.content;
        long size = item.size;
        try (FileChannel channel = FileChannel.open(content, StandardOpenOption.READ)) {
            long first = 0;
            long last = size - 1;
            int status = 200;
            String rangeHeader = exchange.getRequestHeaders().getFirst("Range");
            Matcher range = rangeHeader == null ? null : RANGE.matcher(rangeHeader.trim());
            if (range != null && range.matches() && !(range.group(1).isEmpty() && range.group(2).isEmpty())) {
                if (range.group(1).isEmpty()) {
                    first = Math.max(0, size - Long.parseLong(range.group(2)));
                } else {
                    first = Long.parseLong(range.group(1));
                    if (!range.group(2).isEmpty()) {
                        last = Math.min(last, Long.parseLong(range.group(2)));
                    }
                }
                if (first >= size) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
            }
            long length = last - first + 1;
            exchange.getResponseHeaders().set("Content-Type", item.mimeType);
            exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            if (length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    channel.position(first);
                    InputStream in = Channels.newInputStream(channel);
                    byte[] buffer = new byte[64 * 1024];
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            break;
                        }
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- JSON

    private Map<String, Object> fileJson(DriveStore.Item item, String fields) {
        Map<String, Object> parsed = parseFields(fields);
        return fileMap(item, parsed == null ? DEFAULT_FILE_FIELDS : parsed.containsKey("*") ? null : stringKeys(parsed));
    }

    /** The file resource; {@code wanted} null = every field. */
    private Map<String, Object> fileMap(DriveStore.Item item, Set<String> wanted) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "drive#file");
        json.put("id", item.id);
        json.put("name", item.name);
        json.put("mimeType", item.mimeType);
        json.put("parents", item.parents);
        json.put("trashed", item.trashed);
        json.put("createdTime", time(item.createdTime));
        json.put("modifiedTime", time(item.modifiedTime));
        json.put("version", String.valueOf(item.version));
        if (item.driveId != null) {
            json.put("driveId", item.driveId);
        }
        if (!item.isFolder()) {
            // int64 travels as a JSON string
            json.put("size", String.valueOf(item.size));
            json.put("md5Checksum", item.md5);
        }
        if (wanted != null) {
            json.keySet().retainAll(wanted);
        }
        return json;
    }

    private static String time(Instant instant) {
        // RFC 3339 with milliseconds, as Drive writes it
        return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code "nextPageToken, files(id, name)"} → {nextPageToken=null, files={id=null, name=null}}; null when absent. */
    static Map<String, Object> parseFields(String fields) {
        if (fields == null || fields.isBlank()) {
            return null;
        }
        int[] position = {0};
        return parseFieldList(fields, position);
    }

    private static Map<String, Object> parseFieldList(String text, int[] position) {
        Map<String, Object> fields = new LinkedHashMap<>();
        StringBuilder name = new StringBuilder();
        while (position[0] < text.length()) {
            char c = text.charAt(position[0]++);
            if (c == '(') {
                Map<String, Object> sub = parseFieldList(text, position);
                putField(fields, name.toString().trim(), sub);
                name.setLength(0);
            } else if (c == ')') {
                break;
            } else if (c == ',') {
                putField(fields, name.toString().trim(), null);
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        putField(fields, name.toString().trim(), null);
        return fields;
    }

    private static void putField(Map<String, Object> fields, String name, Object sub) {
        if (name.isEmpty()) {
            return;
        }
        int slash = name.indexOf('/');
        if (slash > 0) {
            // files/id is files(id)
            Map<String, Object> nested = new LinkedHashMap<>();
            putField(nested, name.substring(slash + 1), sub);
            fields.put(name.substring(0, slash), nested);
        } else if (sub != null || !fields.containsKey(name)) {
            fields.put(name, sub);
        }
    }

    private static Set<String> stringKeys(Map<?, ?> map) {
        Set<String> keys = new java.util.HashSet<>();
        map.keySet().forEach(key -> keys.add(String.valueOf(key)));
        return keys;
    }

    private static Reply error(DriveError error, String message) {
        return new Reply(error.status(), errorBody(error.status(), error.reason(), error.domain(),
                message != null ? "Invalid Value: " + message : error.message()));
    }

    /** Google's envelope: {"error":{"code","message","errors":[{"message","domain","reason"}]}}. */
    private static Map<String, Object> errorBody(int code, String reason, String domain, String message) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", message);
        detail.put("domain", domain);
        detail.put("reason", reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("errors", List.of(detail));
        return Map.of("error", error);
    }

    private static void sendJson(HttpExchange exchange, int status, Object body, Map<String, String> headers)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---------------------------------------------------------------- request bodies

    /** The request body, un-gzipped when the client says so (the Java client gzips JSON bodies unless told not to). */
    private InputStream requestBody(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream in = exchange.getRequestBody();
        if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
            gzippedBodies.incrementAndGet();
            return new GZIPInputStream(in);
        }
        return in;
    }

    /** Request bodies the client sent gzipped since the start. */
    public int gzippedBodies() {
        return gzippedBodies.get();
    }

    private byte[] readBody(HttpExchange exchange, int limit) throws IOException {
        try (InputStream in = requestBody(exchange)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    throw new Reply(413, errorBody(413, "uploadTooLarge", "global",
                            "The request body is larger than " + limit + " bytes."));
                }
            }
            return out.toByteArray();
        }
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange, 1024 * 1024);
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Reply(400, errorBody(400, "parseError", "global", "Parse Error"));
        }
    }

    /** Reads what is left of the request so that an early answer reaches a client still sending. */
    private static void drain(HttpExchange exchange) {
        try {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // nothing to save
        }
    }

    private static boolean bool(Map<String, String> query, String name) {
        return "true".equalsIgnoreCase(query.get(name));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
