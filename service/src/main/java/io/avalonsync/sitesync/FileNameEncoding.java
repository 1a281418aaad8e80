package io.avalonsync.sitesync;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Site sync opens published files by name, and the JVM turns a name into bytes with {@code sun.jnu.encoding}, which
 * Java 17 takes from the locale at start (LANG, LC_ALL, LC_CTYPE) and ignores on the command line. Under LANG=C or
 * no LANG at all (many systemd units and slim images) that is ASCII, and a name such as {@code Forêt_v001.ma}
 * cannot even be made into a path. Nothing in the process can change it later, so the daemon refuses to start site
 * sync that way and says how to start it.
 */
public final class FileNameEncoding {

    private FileNameEncoding() {
    }

    /** The problem with this JVM's file-name encoding for site sync, as one line naming the fix, or null. */
    public static String problem() {
        return problem(System.getProperty("sun.jnu.encoding"));
    }

    static String problem(String encoding) {
        if (encoding != null && Charset.isSupported(encoding)
                && Charset.forName(encoding).equals(StandardCharsets.UTF_8)) {
            return null;
        }
        return "site sync: the JVM's file-name encoding is " + encoding + ", not UTF-8 (the locale is C or unset),"
               + " so published files whose names are not plain ASCII could not be opened; start java with a UTF-8"
               + " locale, e.g. LANG=C.UTF-8 in the environment (systemd: Environment=LANG=C.UTF-8, docker/Dockerfile"
               + " sets it); on Java 17 -Dsun.jnu.encoding cannot change it";
    }
}
