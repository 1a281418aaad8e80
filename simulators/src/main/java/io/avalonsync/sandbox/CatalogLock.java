package io.avalonsync.sandbox;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;

/**
 * Runs commands that change a database's catalog (its collections and their indexes) alone, every other command side
 * by side as before. mongo-java-server changes a collection's index list and a database's collection map without a
 * lock: an index made while another connection writes fails that write ("Unknown error: null", a
 * ConcurrentModificationException in the server), and two first writes into a new collection can each make it, the
 * second replacing the first with its documents. A real MongoDB serialises both, and two service nodes do both at
 * once (a full sync ensures its identity indexes; see EmbeddedMongoConcurrencyTest).
 */
final class CatalogLock {

    /** Commands that make or drop a collection or an index, lower-case. */
    private static final Set<String> CATALOG_COMMANDS = Set.of(
            "create", "createindexes", "drop", "dropdatabase", "dropindexes", "deleteindexes", "renamecollection");

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Runs one command (the wire protocol's OP_MSG, which the MongoDB driver sends) under the lock its kind needs. */
    <T> T run(MongoBackend backend, MongoMessage message, Supplier<T> handler) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        Lock held = changesCatalog(backend, message.getDatabaseName(), command, query) ? lock.writeLock() : lock.readLock();
        held.lock();
        try {
            return handler.get();
        } finally {
            held.unlock();
        }
    }

    /** Runs a legacy OP_QUERY read beside other commands. */
    <T> T read(Supplier<T> handler) {
        lock.readLock().lock();
        try {
            return handler.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A catalog command, or any command on a collection that does not exist yet: an insert or upsert makes it (the
     * check happens outside the lock, so a collection that appears meanwhile only costs a wait).
     */
    private static boolean changesCatalog(MongoBackend backend, String database, String command, Document query) {
        if (CATALOG_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (!(query.get(command) instanceof String collection) || "admin".equals(database)) {
            return false;
        }
        try {
            return backend.resolveDatabase(database).resolveCollection(collection, false) == null;
        } catch (RuntimeException invalidName) {
            // the command itself answers with the server's error
            return true;
        }
    }
}
