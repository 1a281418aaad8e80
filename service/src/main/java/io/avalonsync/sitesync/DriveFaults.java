package io.avalonsync.sitesync;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonErrorContainer;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.json.gson.GsonFactory;
import com.google.auth.Retryable;
import org.apache.camel.RuntimeCamelException;

/**
 * Sorts Google Drive failures into {@link FaultKind}s and describes them for the sync record.
 * <p>
 * Google's HTTP errors are {@link IOException}s too, so the cause chain is searched for an HTTP answer first; only
 * without one does an {@code IOException} count as a network fault.
 */
public final class DriveFaults {

    /** 403 reasons that mean "slow down", not "not allowed". */
    private static final Set<String> RATE_REASONS = Set.of(
            "userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded");

    private DriveFaults() {
    }

    public static FaultKind kind(Throwable failure) {
        if (failure == null) {
            return FaultKind.PERMANENT;
        }
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http != null) {
            return kindOf(http.getStatusCode(), reason(http));
        }
        // the auth library's token errors say themselves whether a retry may help
        Retryable retryable = find(failure, Retryable.class);
        if (retryable != null && retryable instanceof IOException) {
            return retryable.isRetryable() ? FaultKind.TRANSIENT : FaultKind.PERMANENT;
        }
        if (find(failure, NoSuchFileException.class) != null || find(failure, FileNotFoundException.class) != null) {
            return FaultKind.LOCAL_MISSING;
        }
        if (find(failure, IOException.class) != null) {
            return FaultKind.TRANSIENT;
        }
        return FaultKind.PERMANENT;
    }

    static FaultKind kindOf(int status, String reason) {
        if (status == 429 || status == 408 || status >= 500) {
            return FaultKind.TRANSIENT;
        }
        if (status == 403 && reason != null && RATE_REASONS.contains(reason)) {
            return FaultKind.TRANSIENT;
        }
        return FaultKind.PERMANENT;
    }

    /**
     * One line for an operator, never null, like {@code "GoogleJsonResponseException: 403
     * insufficientFilePermissions: The user does not have sufficient permissions for this file."}.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http != null) {
            GoogleJsonError details = details(http);
            StringBuilder text = new StringBuilder(http.getClass().getSimpleName()).append(": ").append(http.getStatusCode());
            String reason = reason(http);
            if (reason != null) {
                text.append(' ').append(reason);
            } else if (http.getStatusMessage() != null) {
                text.append(' ').append(http.getStatusMessage());
            }
            String message = details != null && details.getMessage() != null ? details.getMessage()
                    : firstLine(http.getContent());
            if (message != null && !message.isBlank()) {
                text.append(": ").append(message);
            }
            return text.toString();
        }
        Throwable shown = unwrap(failure);
        String message = shown.getMessage();
        return shown.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + oneLine(message));
    }

    /** The first reason in Google's error envelope, also for plain HTTP errors (media downloads) that carry one. */
    static String reason(HttpResponseException http) {
        GoogleJsonError details = details(http);
        if (details != null && details.getErrors() != null && !details.getErrors().isEmpty()) {
            return details.getErrors().get(0).getReason();
        }
        return null;
    }

    private static GoogleJsonError details(HttpResponseException http) {
        if (http instanceof GoogleJsonResponseException json && json.getDetails() != null) {
            return json.getDetails();
        }
        String content = http.getContent();
        if (content == null || !content.trim().startsWith("{")) {
            return null;
        }
        try {
            GoogleJsonErrorContainer container = GsonFactory.getDefaultInstance().createJsonParser(content)
                    .parse(GoogleJsonErrorContainer.class);
            return container == null ? null : container.getError();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Skips wrappers that add nothing (Camel's, executors', or a cause repeated as the message). */
    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        while (current.getCause() != null && seen.put(current, true) == null
                && (current instanceof RuntimeCamelException || current instanceof ExecutionException
                || current instanceof CompletionException || current instanceof java.io.UncheckedIOException
                || current.getMessage() == null || current.getMessage().equals(current.getCause().toString()))) {
            current = current.getCause();
        }
        return current;
    }

    private static <T> T find(Throwable failure, Class<T> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).trim();
    }

    private static String oneLine(String text) {
        return text.trim().replaceAll("\\s*\\R\\s*", " | ");
    }
}
