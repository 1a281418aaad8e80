package io.avalonsync;

import java.io.IOException;
import java.util.Map;

import com.mongodb.client.model.Filters;
import io.avalonsync.config.Settings;
import io.avalonsync.sandbox.KitsuData;
import io.avalonsync.sandbox.KitsuSimulator;
import io.avalonsync.sandbox.SampleProduction;
import io.avalonsync.sync.SyncRun;
import org.bson.Document;

/**
 * End-to-end test bench for Kitsu: the Kitsu simulator and an embedded Mongo-protocol server on loopback, and
 * the service itself started against them (see {@link ServiceHarness}).
 */
public final class SyncHarness extends ServiceHarness {

    public final KitsuSimulator kitsu;

    public SyncHarness(KitsuData data, Map<String, String> extra) throws IOException {
        super(extra);
        this.kitsu = KitsuSimulator.start(0, data);
    }

    public static SyncHarness demo() throws IOException {
        return demo(Map.of());
    }

    public static SyncHarness demo(Map<String, String> extra) throws IOException {
        KitsuData data = new KitsuData();
        SampleProduction.generate(data, SampleProduction.Spec.demo());
        return new SyncHarness(data, extra);
    }

    @Override
    protected void trackerSettings(Settings settings) {
        settings.override("kitsu.url", kitsu.baseUrl());
        settings.override("kitsu.user", KitsuSimulator.EMAIL);
        settings.override("kitsu.password", KitsuSimulator.PASSWORD);
        settings.override("kitsu.retry-delay", "50");
        settings.override("kitsu.retries", "2");
        settings.override("kitsu.timeout", "3000");
    }

    @Override
    protected void eventSettings(Settings settings) {
        settings.override("kitsu.full-sync.at-start", "false");
        settings.override("kitsu.events-url", kitsu.eventsUrl());
        settings.override("kitsu.events.poll-interval", "1000");
    }

    @Override
    protected void closeTracker() {
        kitsu.close();
    }

    /**
     * Waits until the condition holds, polling; fails with the message after the timeout. A condition that throws
     * (a document not there yet) counts as not yet holding; the last such error is reported with the timeout.
     */
    public static void await(String what, long timeoutMillis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        await(what, timeoutMillis, condition, () -> null);
    }

    /** As {@link #await(String, long, java.util.function.BooleanSupplier)}, reporting what {@code seen} shows at the timeout. */
    public static void await(String what, long timeoutMillis, java.util.function.BooleanSupplier condition,
            java.util.function.Supplier<?> seen) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        RuntimeException last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            Thread.sleep(50);
        }
        Object observed;
        try {
            observed = seen.get();
        } catch (RuntimeException e) {
            observed = "(could not read: " + e + ")";
        }
        AssertionError timedOut = new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what
                + (observed == null ? "" : "; saw " + observed) + (last == null ? "" : "; last check failed with " + last));
        if (last != null) {
            timedOut.initCause(last);
        }
        throw timedOut;
    }

    public SyncRun fullSync() throws Exception {
        return app().context().createProducerTemplate().requestBody("direct:kitsu-full-sync", null, SyncRun.class);
    }

    public Document byZouId(String collection, String zouId) {
        return collection(collection).find(Filters.eq("data.zou.id", zouId)).first();
    }
}
