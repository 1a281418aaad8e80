package io.avalonsync.status;

import java.util.Map;

import com.mongodb.client.MongoClient;
import io.avalonsync.sync.Failures;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.bson.Document;

/** Pings the Avalon MongoDB; DOWN says why (unreachable, refused, timed out). */
public final class MongoHealthCheck extends ReadinessCheck {

    private final MongoClient client;
    private final String database;

    public MongoHealthCheck(MongoClient client, String database) {
        super("mongo");
        this.client = client;
        this.database = database;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", database);
        try {
            client.getDatabase(database).runCommand(new Document("ping", 1));
            builder.up();
        } catch (RuntimeException e) {
            builder.message(Failures.describe(e)).down();
        }
    }
}
