package io.avalonsync.config;

import java.util.List;

import io.avalonsync.avalon.Flavour;

/** The Avalon database: {@code avalon.*} of application.properties (its section "Avalon"). */
public final class AvalonSettings {

    static final Key MONGO_URI = Key.mongoUri("avalon.mongo-uri").env("AVALON_MONGO");
    static final Key DB = Key.text("avalon.db").env("AVALON_DB");
    static final Key FLAVOUR = Key.choice("avalon.flavour", true, "openpype", "pype2", "avalon-core");
    static final Key MONGO_TIMEOUT = Key.whole("avalon.mongo-timeout", 0).env("MONGO_TIMEOUT");

    static final List<Key> KEYS = List.of(MONGO_URI, DB, FLAVOUR, MONGO_TIMEOUT);

    private final Settings settings;

    AvalonSettings(Settings settings) {
        this.settings = settings;
    }

    /** Null when neither the file, -D nor AVALON_MONGO sets it (only the demo runs so). */
    public String mongoUri() {
        return settings.get(MONGO_URI.name());
    }

    public String db() {
        return settings.get(DB.name());
    }

    public Flavour flavour() {
        return Flavour.fromKey(settings.get(FLAVOUR.name()));
    }

    /** Server selection and connect timeout. */
    public int mongoTimeoutMillis() {
        return settings.intValue(MONGO_TIMEOUT);
    }

    void check(Checks checks) {
        if (mongoUri() == null) {
            checks.problem(checks.lineOr(MONGO_URI.name(), 0),
                    "avalon.mongo-uri is not set (set it here or in the environment variable AVALON_MONGO)");
        }
    }
}
