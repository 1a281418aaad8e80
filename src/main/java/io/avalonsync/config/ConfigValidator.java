package io.avalonsync.config;

import java.io.PrintStream;
import java.nio.file.Path;

/** Placeholder until the validate command lands. */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    public static int run(Path folder, Settings settings, PrintStream out) {
        out.println("validate: not available");
        return 1;
    }
}
