package io.avalonsync.sitesync;

import java.io.IOException;

/**
 * A transfer not started, or cut between two chunks, because the service is stopping. Not a failure of the file:
 * the route gives its claim back without counting an attempt (onException in routes/sitesync.camel.yaml).
 */
public class TransferStoppedException extends IOException {

    public TransferStoppedException(String message) {
        super(message);
    }
}
