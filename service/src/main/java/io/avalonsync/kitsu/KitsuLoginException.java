package io.avalonsync.kitsu;

/** Kitsu refused the configured credentials, they are missing, or Kitsu did not answer the login. */
public class KitsuLoginException extends RuntimeException {

    public KitsuLoginException(String message) {
        super(message);
    }

    /** A failure worth retrying (no answer, a 5xx): the cause is what the retry policy recognises. */
    public KitsuLoginException(String message, Throwable cause) {
        super(message, cause);
    }
}
