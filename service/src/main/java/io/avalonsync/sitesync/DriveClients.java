package io.avalonsync.sitesync;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.BackOff;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;

/**
 * Builds the {@link Drive} client of one remote site from a service-account key file ({@code gdrive.credentials})
 * and an optional API root ({@code gdrive.api-url}, empty = Google's).
 * <p>
 * Access tokens come from the key's {@code token_uri}; a refused token (401) is fetched again once. The one retry
 * inside the client is the upload chunk's ({@link ChunkRetries}, {@code gdrive.chunk-retries}): a retried chunk
 * turns into a status query and the upload resumes in the same session. Every other failure, token requests
 * included, reaches the caller, whose redelivery policy decides (routes/sitesync.camel.yaml, README "Site sync").
 */
public class DriveClients {

    private static final String APPLICATION_NAME = "avalon-sync";
    private static final int CONNECT_TIMEOUT_MILLIS = 20_000;

    private final String credentials;
    private final String apiUrl;
    private int readTimeoutMillis = 60_000;
    private ChunkRetries chunkRetries = ChunkRetries.DEFAULT;
    private volatile Drive client;
    private volatile HttpExecuteInterceptor requestGate;

    public DriveClients(String credentials, String apiUrl) {
        this.credentials = credentials;
        this.apiUrl = apiUrl;
    }

    /** The site's client, built on first use from the key file; the same instance every time. */
    public Drive client() {
        Drive built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    if (credentials == null || credentials.isBlank()) {
                        throw new IllegalArgumentException("gdrive.credentials is not set: the path of a Google"
                                + " service-account key file (JSON) is needed to reach Google Drive");
                    }
                    client = built = build(readCredentials(Path.of(credentials.trim())));
                }
            }
        }
        return built;
    }

    /** A client from a key file, with default timeouts and retries. */
    public static Drive create(Path credentialsFile, String apiUrl) {
        return new DriveClients(credentialsFile.toString(), apiUrl).client();
    }

    private static GoogleCredentials readCredentials(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("gdrive.credentials: no service-account key file at "
                    + file.toAbsolutePath(), new NoSuchFileException(file.toString()));
        }
        try (InputStream in = Files.newInputStream(file)) {
            // fromStream keeps the key's token_uri, so token requests go where the key says; the library's own
            // retries of token requests are off: a failed one is the transfer's fault, redelivered by the route
            return ServiceAccountCredentials.fromStream(in).toBuilder().setDefaultRetriesEnabled(false).build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("gdrive.credentials: " + file.toAbsolutePath()
                    + " is not a usable service-account key: " + e.getMessage(), e);
        }
    }

    private Drive build(GoogleCredentials key) {
        GoogleCredentials scoped = key.createScopedRequired() || key instanceof ServiceAccountCredentials
                ? key.createScoped(List.of(DriveScopes.DRIVE)) : key;
        // Apache HttpClient rather than HttpURLConnection: pooled connections are checked for staleness only after
        // being idle, where HttpURLConnection probes every kept-alive connection with a blocking read before each
        // request, a few ms per request when many small files go out
        Drive.Builder builder = new Drive.Builder(new ApacheHttpTransport(), GsonFactory.getDefaultInstance(),
                new Initializer(new HttpCredentialsAdapter(scoped)))
                .setApplicationName(APPLICATION_NAME)
                // request bodies are a few hundred bytes of JSON (file metadata, upload initiations): gzipping
                // them saves nothing and cost a Deflater per file (bench/README.md "Site sync CPU per byte")
                .setGoogleClientRequestInitializer(request -> request.setDisableGZipContent(true));
        if (apiUrl != null && !apiUrl.isBlank()) {
            String root = apiUrl.trim();
            builder.setRootUrl(root.endsWith("/") ? root : root + "/");
        }
        return builder.build();
    }

    /** Authorization, timeouts, the stop gate, and the resume policy of upload chunks. */
    private final class Initializer implements HttpRequestInitializer {
        private final HttpCredentialsAdapter credentials;

        Initializer(HttpCredentialsAdapter credentials) {
            this.credentials = credentials;
        }

        @Override
        public void initialize(HttpRequest request) throws IOException {
            // sets the bearer token and itself as handler (refresh once on 401)
            credentials.initialize(request);
            HttpExecuteInterceptor gate = requestGate;
            if (gate != null) {
                // checked before every request, chunks included: a stopping service sends nothing more
                HttpExecuteInterceptor auth = request.getInterceptor();
                request.setInterceptor(r -> {
                    gate.intercept(r);
                    if (r.getContent() != null && !(r.getContent() instanceof GatedContent)) {
                        // and while a chunk goes out: on a slow link one chunk may take longer than the stop allows
                        r.setContent(new GatedContent(r.getContent(), gate, r));
                    }
                    if (auth != null) {
                        auth.intercept(r);
                    }
                });
            }
            request.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            request.setReadTimeout(readTimeoutMillis);
            request.setNumberOfRetries(chunkRetries.retries());
            BackOff backOff = chunkRetries.backOff();
            HttpBackOffUnsuccessfulResponseHandler serverErrors = new HttpBackOffUnsuccessfulResponseHandler(backOff);
            HttpBackOffIOExceptionHandler networkErrors = new HttpBackOffIOExceptionHandler(backOff);
            request.setUnsuccessfulResponseHandler(new UnsuccessfulResponseHandler(credentials, serverErrors));
            // MediaHttpUploader wraps these handlers per chunk: a handled failure becomes a "bytes */total" query
            request.setIOExceptionHandler((req, supportsRetry) ->
                    isUploadChunk(req) && !refused(gate, req) && networkErrors.handleIOException(req, supportsRetry));
        }
    }

    private static final class UnsuccessfulResponseHandler implements HttpUnsuccessfulResponseHandler {
        private final HttpCredentialsAdapter credentials;
        private final HttpBackOffUnsuccessfulResponseHandler serverErrors;

        UnsuccessfulResponseHandler(HttpCredentialsAdapter credentials, HttpBackOffUnsuccessfulResponseHandler serverErrors) {
            this.credentials = credentials;
            this.serverErrors = serverErrors;
        }

        private boolean refreshed;

        @Override
        public boolean handleResponse(HttpRequest request, HttpResponse response, boolean supportsRetry) throws IOException {
            if (response.getStatusCode() == 401) {
                if (refreshed) {
                    // a second 401 right after a fresh token will not go away by asking again
                    return false;
                }
                refreshed = true;
                boolean retry = credentials.handleResponse(request, response, supportsRetry);
                // the adapter re-initialises the request and installs itself as handler: put this one back
                if (request.getUnsuccessfulResponseHandler() == credentials) {
                    request.setUnsuccessfulResponseHandler(this);
                }
                return retry;
            }
            return isUploadChunk(request) && serverErrors.handleResponse(request, response, supportsRetry);
        }
    }

    /** True when the gate refuses the request: a chunk cut by a stopping service is not retried. */
    private static boolean refused(HttpExecuteInterceptor gate, HttpRequest request) {
        if (gate == null) {
            return false;
        }
        try {
            gate.intercept(request);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A request body that asks the gate before each block it writes. */
    private record GatedContent(HttpContent content, HttpExecuteInterceptor gate, HttpRequest request)
            implements HttpContent {

        @Override
        public long getLength() throws IOException {
            return content.getLength();
        }

        @Override
        public String getType() {
            return content.getType();
        }

        @Override
        public boolean retrySupported() {
            return content.retrySupported();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            content.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    gate.intercept(request);
                    out.write(b, off, len);
                }
            });
        }
    }

    /** Only resumable-session requests use PUT with the Drive API. */
    private static boolean isUploadChunk(HttpRequest request) {
        return "PUT".equals(request.getRequestMethod());
    }

    /** Asked before every Drive request; throws to refuse it (see SiteSyncShutdown). */
    public void setRequestGate(HttpExecuteInterceptor requestGate) {
        this.requestGate = requestGate;
    }

    /** A shorter wait for an answer (tests of a stalled Drive). */
    void setReadTimeoutMillis(int readTimeoutMillis) {
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** The resume policy of upload chunks ({@code gdrive.chunk-retries} and its delays). */
    public ChunkRetries getChunkRetries() {
        return chunkRetries;
    }

    public void setChunkRetries(ChunkRetries chunkRetries) {
        this.chunkRetries = java.util.Objects.requireNonNull(chunkRetries, "chunkRetries");
    }
}
