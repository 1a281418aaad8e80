package io.avalonsync.sitesync;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
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
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.drive.GoogleDriveClientFactory;
import org.apache.camel.support.ResourceHelper;

/**
 * Builds the {@link Drive} client of one remote site from a service-account key file ({@code gdrive.credentials})
 * and an optional API root ({@code gdrive.api-url}, empty = Google's). As the {@code google-drive} component's
 * client factory it hands the component the same client our own beans use.
 * <p>
 * Access tokens come from the key's {@code token_uri}. Only resumable-upload chunk requests are retried inside the
 * client (with backoff), because a retried chunk turns into a status query and the upload resumes in the same
 * session; every other failure reaches the caller, whose redelivery policy decides.
 */
public class DriveClients implements GoogleDriveClientFactory {

    public static final String DEFAULT_APPLICATION_NAME = "avalon-sync";

    private String credentials;
    private String apiUrl;
    private String applicationName = DEFAULT_APPLICATION_NAME;
    private int connectTimeoutMillis = 20_000;
    private int readTimeoutMillis = 60_000;
    private int uploadRetries = 5;
    private int retryInitialDelayMillis = 500;
    private volatile Drive client;
    private volatile HttpExecuteInterceptor requestGate;

    public DriveClients() {
    }

    public DriveClients(String credentials, String apiUrl) {
        this.credentials = credentials;
        this.apiUrl = apiUrl;
    }

    /** The site's client, built on first use from {@link #getCredentials()}; the same instance every time. */
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

    /** The component's OAuth client-id path: our service account is used regardless. */
    @Override
    public Drive makeClient(String clientId, String clientSecret, Collection<String> scopes, String applicationName,
                            String refreshToken, String accessToken) {
        return client();
    }

    /**
     * The component's service-account path: our key file if one is configured, else the component's
     * {@code serviceAccountKey} (a {@code file:}, {@code classpath:} or {@code base64:} resource).
     */
    @Override
    public Drive makeClient(CamelContext camelContext, String serviceAccountKey, Collection<String> scopes,
                            String applicationName, String delegate) {
        if (credentials != null && !credentials.isBlank()) {
            return client();
        }
        synchronized (this) {
            if (client == null) {
                try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, serviceAccountKey)) {
                    GoogleCredentials key = GoogleCredentials.fromStream(in);
                    if (delegate != null && !delegate.isBlank()) {
                        key = key.createDelegated(delegate);
                    }
                    client = build(key);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the google-drive component's serviceAccountKey "
                            + serviceAccountKey + ": " + e.getMessage(), e);
                }
            }
            return client;
        }
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
            // fromStream keeps the key's token_uri, so token requests go where the key says
            return ServiceAccountCredentials.fromStream(in);
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
                .setApplicationName(applicationName);
        if (apiUrl != null && !apiUrl.isBlank()) {
            String root = apiUrl.trim();
            builder.setRootUrl(root.endsWith("/") ? root : root + "/");
        }
        return builder.build();
    }

    /** Authorization, timeouts, and the retry-and-resume policy for upload chunks. */
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
            request.setConnectTimeout(connectTimeoutMillis);
            request.setReadTimeout(readTimeoutMillis);
            request.setNumberOfRetries(uploadRetries);
            ExponentialBackOff backOff = new ExponentialBackOff.Builder()
                    .setInitialIntervalMillis(retryInitialDelayMillis)
                    .setMaxIntervalMillis(Math.max(retryInitialDelayMillis, 30_000))
                    .setMaxElapsedTimeMillis(5 * 60_000)
                    .build();
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

    public String getCredentials() {
        return credentials;
    }

    public void setCredentials(String credentials) {
        this.credentials = credentials;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    public String getApplicationName() {
        return applicationName;
    }

    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    public int getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public int getReadTimeoutMillis() {
        return readTimeoutMillis;
    }

    public void setReadTimeoutMillis(int readTimeoutMillis) {
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** How often one upload chunk is retried (as a status query + resume) after a 5xx or a network error. */
    public int getUploadRetries() {
        return uploadRetries;
    }

    public void setUploadRetries(int uploadRetries) {
        this.uploadRetries = uploadRetries;
    }

    public int getRetryInitialDelayMillis() {
        return retryInitialDelayMillis;
    }

    public void setRetryInitialDelayMillis(int retryInitialDelayMillis) {
        this.retryInitialDelayMillis = retryInitialDelayMillis;
    }
}
