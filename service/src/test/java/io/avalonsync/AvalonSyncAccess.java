package io.avalonsync;

import java.util.List;

import io.avalonsync.config.Settings;

/** Test access to the package-private command entry points. */
public final class AvalonSyncAccess {

    private AvalonSyncAccess() {
    }

    public static int syncOnce(Settings settings, List<String> sources) throws Exception {
        return AvalonSync.syncOnce(settings, sources);
    }
}
