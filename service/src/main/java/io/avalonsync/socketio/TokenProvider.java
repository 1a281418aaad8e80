package io.avalonsync.socketio;

/**
 * Supplies the bearer token sent on the Socket.IO handshake. Zou checks the JWT only at connect, so the consumer asks
 * for a renewed token whenever the server refuses or drops the connection.
 */
@FunctionalInterface
public interface TokenProvider {

    /**
     * @param renew {@code false}: the current (possibly cached) token; {@code true}: the last one was refused or the
     *              server dropped us, log in again and return a fresh token
     */
    String token(boolean renew) throws Exception;
}
