package io.avalonsync.kitsu;

/** Kitsu answered something that cannot be read (malformed JSON, unexpected shape). */
public class KitsuResponseException extends RuntimeException {

    public KitsuResponseException(String message, Throwable cause) {
        super(message, cause);
    }

    public KitsuResponseException(String message) {
        super(message);
    }
}
