package io.avalonsync.avalon;

/** A document failed validation and was not written. */
public class AvalonRejectedException extends RuntimeException {

    public AvalonRejectedException(String message) {
        super(message);
    }
}
