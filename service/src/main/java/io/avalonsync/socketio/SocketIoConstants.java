package io.avalonsync.socketio;

/** Header names and the pseudo event names of the lifecycle signals. */
public final class SocketIoConstants {

    /** The Socket.IO event name, or one of the signals below. */
    public static final String EVENT = "SocketIoEvent";
    /** The namespace with its leading slash, e.g. {@code /events}. */
    public static final String NAMESPACE = "SocketIoNamespace";
    /** Epoch milliseconds when the client received the event (taken on the library thread, before any queueing). */
    public static final String RECEIVED_AT = "SocketIoReceivedAt";
    /** Why the connection ended; only on {@link #DISCONNECTED}. */
    public static final String REASON = "SocketIoReason";

    /** Sent after every successful connect and reconnect: events may have been missed, so a route can catch up. */
    public static final String CONNECTED = "socketio:connected";
    /** Sent when an established connection ends (not on route stop). */
    public static final String DISCONNECTED = "socketio:disconnected";

    private SocketIoConstants() {
    }
}
