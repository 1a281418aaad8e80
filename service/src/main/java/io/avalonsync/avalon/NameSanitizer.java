package io.avalonsync.avalon;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns tracker names into Avalon names ({@code ^[a-zA-Z0-9_]+$}).
 * <p/>
 * The mapping is pure and idempotent ({@code sanitize(sanitize(x)).equals(sanitize(x))}): names derived on every sync
 * must come out the same each time, or each run would create a new asset. The raw name belongs in {@code data.label}.
 */
public final class NameSanitizer {

    /** Asset, task, subset and project names: session variables are {@code ^\w*$} and task names are Mongo keys. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_]+$");

    /**
     * The longest name this gives. Avalon names become folder and file names (a 255-byte limit per name, and
     * Windows workstations' path limits over the whole work path), so a longer one is cut and given a stable suffix
     * of 8 hex digits from the whole name, which keeps two long names that start alike apart. The raw name stays in
     * {@code data.label}. A name that must be prefixed to resolve a clash can reach twice this plus one.
     */
    public static final int MAX_LENGTH = 64;
    private static final int SUFFIX_LENGTH = 9; // "_" and 8 hex digits

    /** Representation names are conventionally extensions, so dots are kept. */
    public static final Pattern REPRESENTATION_NAME = Pattern.compile("^[a-zA-Z0-9_.]+$");

    // letters Unicode does not decompose into a base letter plus marks, so NFKD alone would lose them
    private static final Map<Character, String> LETTER_FOLDS = Map.ofEntries(
            Map.entry('ß', "ss"), Map.entry('ẞ', "SS"),
            Map.entry('æ', "ae"), Map.entry('Æ', "AE"),
            Map.entry('œ', "oe"), Map.entry('Œ', "OE"),
            Map.entry('ø', "o"), Map.entry('Ø', "O"),
            Map.entry('đ', "d"), Map.entry('Đ', "D"),
            Map.entry('ð', "d"), Map.entry('Ð', "D"),
            Map.entry('ł', "l"), Map.entry('Ł', "L"),
            Map.entry('þ', "th"), Map.entry('Þ', "Th"),
            Map.entry('ħ', "h"), Map.entry('Ħ', "H"),
            Map.entry('ŧ', "t"), Map.entry('Ŧ', "T"),
            Map.entry('ı', "i"), Map.entry('ĸ', "k"),
            Map.entry('ŋ', "n"), Map.entry('Ŋ', "N"));

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private NameSanitizer() {
    }

    /**
     * Folds accents and special letters to ASCII, turns every run of other characters into one {@code _} and trims
     * {@code _} from both ends. Case is kept. A result longer than {@link #MAX_LENGTH} is cut and suffixed (see
     * there). The result may be empty (nothing usable in the input): callers must reject it.
     *
     * @param  raw the tracker name, may be {@code null}
     * @return     a name matching {@link #NAME}, or {@code ""}
     */
    public static String sanitize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String folded = foldLetters(raw);
        folded = Normalizer.normalize(folded, Normalizer.Form.NFKD);
        folded = COMBINING_MARKS.matcher(folded).replaceAll("");

        StringBuilder name = new StringBuilder(folded.length());
        boolean separatorPending = false;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (isAsciiLetterOrDigit(c)) {
                // a separator is only written between two kept characters: runs collapse and both ends are trimmed
                if (separatorPending && name.length() > 0) {
                    name.append('_');
                }
                separatorPending = false;
                name.append(c);
            } else {
                separatorPending = true;
            }
        }
        return name.length() <= MAX_LENGTH ? name.toString() : bounded(name.toString());
    }

    /** The first characters, without a trailing {@code _} (sanitize would fold it into the next), then the suffix. */
    private static String bounded(String name) {
        String head = name.substring(0, MAX_LENGTH - SUFFIX_LENGTH);
        while (head.endsWith("_")) {
            head = head.substring(0, head.length() - 1);
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return head + "_" + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** {@code true} when {@code name} is a usable asset, task, subset or project name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static String foldLetters(String raw) {
        StringBuilder folded = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String replacement = LETTER_FOLDS.get(c);
            if (replacement != null && folded == null) {
                folded = new StringBuilder(raw.length() + 8).append(raw, 0, i);
            }
            if (folded != null) {
                folded.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return folded != null ? folded.toString() : raw;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** The key two names that differ only in case share (Avalon names are unique per project ignoring case). */
    static String caseKey(String name) {
        return name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    }
}
