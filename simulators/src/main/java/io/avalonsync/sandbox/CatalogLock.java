package io.avalonsync.sandbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
    private final MongoBackend backend;

    private CatalogLock(MongoBackend backend) {
        this.backend = backend;
    }

    /**
     * The backend behind a lock: the wire protocol's entry points (OP_MSG, which the MongoDB driver sends, and the
     * legacy OP_QUERY reads and commands) take it, everything else goes straight through.
     */
    static MongoBackend around(MongoBackend backend) {
        CatalogLock catalog = new CatalogLock(backend);
        return (MongoBackend) Proxy.newProxyInstance(MongoBackend.class.getClassLoader(),
                new Class<?>[] {MongoBackend.class}, catalog::invoke);
    }

    private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Lock held = switch (method.getName()) {
            case "handleMessage" -> {
                MongoMessage message = (MongoMessage) args[0];
                yield lockFor(message.getDatabaseName(), message.getDocument());
            }
            // (channel, database, command, query)
            case "handleCommand" -> lockFor((String) args[1], (Document) args[3]);
            case "handleQuery" -> lock.readLock();
            default -> null;
        };
        if (held != null) {
            held.lock();
        }
        try {
            return method.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (held != null) {
                held.unlock();
            }
        }
    }

    private Lock lockFor(String database, Document query) {
        String command = query.keySet().iterator().next();
        return changesCatalog(database, command, query) ? lock.writeLock() : lock.readLock();
    }

    /**
     * A catalog command, or any command on a collection that does not exist yet: an insert or upsert makes it (the
     * check happens outside the lock, so a collection that appears meanwhile only costs a wait).
     */
    private boolean changesCatalog(String database, String command, Document query) {
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
