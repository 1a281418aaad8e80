package io.avalonsync.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a properties file keeping the line of every entry, so {@link ConfigValidator} can point at the
 * line an operator has to fix. Each logical line (continuations included) is handed to
 * {@link Properties#load} on its own, so keys and values come out exactly as Camel and {@link Settings}
 * read them.
 */
final class PropertiesFile {

    /** One entry as written; line is where the entry starts (1-based). */
    record Entry(String key, String value, int line) {

        /** An entry {@link Properties#load} refuses (a malformed backslash-u escape): key null, value the reason. */
        boolean unreadable() {
            return key == null;
        }
    }

    private PropertiesFile() {
    }

    static List<Entry> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String first = lines.get(i).stripLeading();
            if (first.isEmpty() || first.startsWith("#") || first.startsWith("!")) {
                continue;
            }
            int start = i;
            StringBuilder logical = new StringBuilder(lines.get(i));
            while (endsWithContinuation(lines.get(i)) && i + 1 < lines.size()) {
                logical.append('\n').append(lines.get(++i));
            }
            Properties single = new Properties();
            try {
                single.load(new StringReader(logical.toString()));
            } catch (IllegalArgumentException e) {
                entries.add(new Entry(null, e.getMessage(), start + 1));
            }
            for (String key : single.stringPropertyNames()) {
                entries.add(new Entry(key, single.getProperty(key), start + 1));
            }
        }
        return entries;
    }

    /** An odd number of trailing backslashes continues the entry on the next line. */
    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
