package io.avalonsync.kitsu;

/** Kitsu refused the configured credentials, or they are missing. */
public class KitsuLoginException extends RuntimeException {

    public KitsuLoginException(String message) {
        super(message);
    }
}
