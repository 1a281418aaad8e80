package io.avalonsync.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB wire-protocol server on loopback (mongo-java-server) for {@code demo} and the tests. The real
 * MongoDB driver and camel-mongodb talk to it over TCP. File-backed (H2) when given a path, so a demo
 * restart keeps its data. It has no transactions: the service never uses them. Collections and indexes are made
 * one command at a time, as a real MongoDB makes them (CatalogLock), so several nodes can share it.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final String uri;

    private EmbeddedMongo(MongoServer server, String host, int port) {
        this.server = server;
        this.uri = "mongodb://" + host + ":" + port;
    }

    /** In memory, on a free loopback port. */
    public static EmbeddedMongo inMemory() {
        return start(new MongoServer(CatalogLock.around(new MemoryBackend())), 0);
    }

    /** Backed by an H2 file (created when missing); port 0 picks a free one. */
    public static EmbeddedMongo file(Path file, int port) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return start(new MongoServer(CatalogLock.around(new H2Backend(file.toString()))), port);
    }

    private static EmbeddedMongo start(MongoServer server, int port) {
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, "127.0.0.1", server.getLocalAddress().getPort());
    }

    public String uri() {
        return uri;
    }

    public int port() {
        return server.getLocalAddress().getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
