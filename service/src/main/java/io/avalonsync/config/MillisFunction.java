package io.avalonsync.config;

import java.math.BigDecimal;

import org.apache.camel.spi.PropertiesFunction;

/**
 * The placeholder function {@code {{ms:key}}}: the value of {@code key}, a number of seconds as application.properties
 * writes it, in milliseconds, for an endpoint option that only takes milliseconds (the site sync loop's Quartz
 * trigger: {@code trigger.repeatInterval: "{{ms:sitesync.loop-delay}}"}). Camel finds it by its name
 * (META-INF/services/org/apache/camel/properties-function/ms) and hands it the key's value.
 */
public final class MillisFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "ms";
    }

    /** Camel resolves the key first and passes its value here. */
    @Override
    public boolean lookupFirst(String remainder) {
        return true;
    }

    @Override
    public String apply(String seconds) {
        try {
            return new BigDecimal(seconds.trim()).movePointRight(3).toBigInteger().toString();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("{{ms:...}}: '" + seconds.trim() + "' is not a number of seconds");
        }
    }
}
