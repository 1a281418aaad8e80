package io.avalonsync.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two service nodes against one store do, at the same moment, what a real MongoDB takes in its stride: both write the
 * first documents of a new project collection and both ensure its indexes while the other writes. The embedded
 * server has to keep every document and answer every command, or the multi-node tests and a two-node demo fail for
 * reasons no real deployment has.
 */
class EmbeddedMongoConcurrencyTest {

    private static final int ROUNDS = 15;
    private static final int WRITERS = 4;
    private static final int DOCUMENTS = 50;

    @Test
    void inMemoryKeepsEveryDocumentWhileCollectionsAndIndexesAreMadeConcurrently() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory()) {
            race(mongo);
        }
    }

    @Test
    void fileBackedKeepsEveryDocumentWhileCollectionsAndIndexesAreMadeConcurrently(@TempDir Path dir) throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.file(dir.resolve("store.mv"), 0)) {
            race(mongo);
        }
    }

    private static void race(EmbeddedMongo mongo) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        List<MongoClient> clients = new ArrayList<>();
        try {
            // one client per writer: separate connections, as separate nodes have
            for (int i = 0; i <= WRITERS; i++) {
                clients.add(MongoClients.create(mongo.uri()));
            }
            for (int round = 0; round < ROUNDS; round++) {
                String name = "project_" + round;
                CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    MongoCollection<Document> collection = clients.get(w).getDatabase("avalon").getCollection(name);
                    int writer = w;
                    tasks.add(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        for (int d = 0; d < DOCUMENTS; d++) {
                            collection.insertOne(new Document("writer", writer).append("n", d));
                            collection.find(new Document("writer", writer)).first();
                        }
                        return null;
                    });
                }
                MongoDatabase indexer = clients.get(WRITERS).getDatabase("avalon");
                tasks.add(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    MongoCollection<Document> collection = indexer.getCollection(name);
                    for (int i = 0; i < 5; i++) {
                        collection.createIndex(Indexes.ascending("key_" + i),
                                new IndexOptions().name("key_" + i).unique(true).sparse(true));
                    }
                    return null;
                });
                List<Future<Void>> results = new ArrayList<>();
                for (Callable<Void> task : tasks) {
                    results.add(pool.submit(task));
                }
                for (Future<Void> result : results) {
                    result.get(60, TimeUnit.SECONDS);
                }
                assertEquals((long) WRITERS * DOCUMENTS,
                        clients.get(0).getDatabase("avalon").getCollection(name).countDocuments(),
                        "round " + round + ": documents in " + name);
            }
        } finally {
            clients.forEach(MongoClient::close);
            pool.shutdownNow();
        }
    }
}
