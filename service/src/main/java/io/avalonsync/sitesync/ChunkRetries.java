package io.avalonsync.sitesync;

import com.google.api.client.util.BackOff;
import com.google.api.client.util.ExponentialBackOff;

/**
 * How an upload chunk that failed is resumed in its session (keys {@code gdrive.chunk-retries},
 * {@code gdrive.chunk-retry-delay}, {@code gdrive.chunk-max-retry-delay}): the client asks Drive how far it got
 * and sends the rest, at most {@code retries} times per chunk request, after a wait that starts at
 * {@code firstDelayMillis} and grows by half each time (randomised by up to half, as Google's client does) up to
 * {@code maxDelayMillis}. The same count bounds the resumed requests in a row that bring no new byte to Drive.
 * What still fails is a failure of the transfer step, for the redelivery policy of routes/sitesync.camel.yaml.
 * This policy is the only retry inside the Drive client (README "Site sync").
 */
public record ChunkRetries(int retries, int firstDelayMillis, int maxDelayMillis) {

    /** The shipped values of application.properties. */
    public static final ChunkRetries DEFAULT = new ChunkRetries(5, 500, 30_000);

    public ChunkRetries {
        if (retries < 0) {
            throw new IllegalArgumentException("gdrive.chunk-retries must be 0 or more, got " + retries);
        }
        if (firstDelayMillis < 1 || maxDelayMillis < firstDelayMillis) {
            throw new IllegalArgumentException("gdrive.chunk-retry-delay must be at least 1 ms and at most"
                    + " gdrive.chunk-max-retry-delay, got " + firstDelayMillis + " and " + maxDelayMillis);
        }
    }

    /** A fresh backoff for one chunk request; the count, not the elapsed time, ends it. */
    BackOff backOff() {
        return new ExponentialBackOff.Builder()
                .setInitialIntervalMillis(firstDelayMillis)
                .setMaxIntervalMillis(maxDelayMillis)
                .setMaxElapsedTimeMillis(Integer.MAX_VALUE)
                .build();
    }
}
