package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameSanitizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Forêt                | Foret",
            "Ça va                | Ca_va",
            "Émile Zoë            | Emile_Zoe",
            "Straße               | Strasse",
            "Ærøskøbing           | AEroskobing",
            "Łódź                 | Lodz",
            "Đorđe                | Dorde",
            "Œuvre                | OEuvre",
            "ﬁnal ｃｏｍｐ          | final_comp",
            "Bruce Wayne          | Bruce_Wayne",
            "sq010 -- sh0010!!    | sq010_sh0010",
            "\"  __hero__  \"     | hero",
            "a___b                | a_b",
            "a.b/c\\d             | a_b_c_d",
            "(Prop) [v2] {old}    | Prop_v2_old",
            "MixedCase_Name       | MixedCase_Name",
            "🎬 Shot 🎥 10         | Shot_10",
            "ep01/sq010/sh0010    | ep01_sq010_sh0010",
    })
    void foldsAndReplaces(String raw, String expected) {
        assertEquals(expected, NameSanitizer.sanitize(raw));
    }

    @Test
    void controlCharactersAreSeparators() {
        assertEquals("Tab_and_newline", NameSanitizer.sanitize("Tab\tand\nnewline\u0000"));
    }

    @Test
    void nothingUsableGivesEmpty() {
        assertEquals("", NameSanitizer.sanitize(null));
        assertEquals("", NameSanitizer.sanitize(""));
        assertEquals("", NameSanitizer.sanitize("   "));
        assertEquals("", NameSanitizer.sanitize("___"));
        assertEquals("", NameSanitizer.sanitize("!?—…"));
        assertEquals("", NameSanitizer.sanitize("🎬🎥"));
        assertEquals("", NameSanitizer.sanitize("東京"));
    }

    @Test
    void validNamesAreLeftAlone() {
        for (String name : List.of("Bruce", "ep01_sq010_sh0010", "a", "A_1_b", "0042")) {
            assertEquals(name, NameSanitizer.sanitize(name));
        }
    }

    @Test
    void isIdempotentOnKnownInputs() {
        List<String> inputs = List.of(
                "Forêt", "Straße", "__x__", "a  b", "sh 010 (v2)", "🎬 Shot", "ﬁ", "Ǆemal", "½ frame", "x²",
                "Ⅻ", "①②", "ǅ", "İstanbul", "ı", "\u0301a\u0301", "a\u200Bb", "_", "", " ", "Ω≈ç√∫", "ﾃｽﾄ",
                "Ｆｏｏ");
        for (String input : inputs) {
            assertIdempotent(input);
        }
    }

    @Test
    void isIdempotentOnRandomUnicode() {
        Random random = new Random(20240301L);
        for (int i = 0; i < 20_000; i++) {
            assertIdempotent(randomString(random));
        }
    }

    @Test
    void longNamesAreBoundedStableAndKeptApart() {
        String shared = "Hero Mask " + "ab ".repeat(5_000);
        String one = NameSanitizer.sanitize(shared + "one");
        String two = NameSanitizer.sanitize(shared + "two");
        assertTrue(one.length() <= NameSanitizer.MAX_LENGTH && one.length() >= NameSanitizer.MAX_LENGTH - 1, one);
        assertTrue(one.startsWith("Hero_Mask_ab_ab") && NameSanitizer.isValid(one), one);
        assertFalse(one.equals(two), "the suffix keeps names that start alike apart");
        assertEquals(one, NameSanitizer.sanitize(shared + "one"), "the same input always gives the same name");
        assertIdempotent(shared + "one");
        // a cut that falls on a separator leaves no "__" (sanitize would fold it on a second pass)
        for (int pad = 0; pad < 4; pad++) {
            assertIdempotent("x".repeat(50 + pad) + " " + "y".repeat(100));
        }
        String exact = "a".repeat(NameSanitizer.MAX_LENGTH);
        assertEquals(exact, NameSanitizer.sanitize(exact), "a name of the maximum length is left alone");
    }

    @Test
    void validity() {
        assertTrue(NameSanitizer.isValid("ep01_sq010_sh0010"));
        assertFalse(NameSanitizer.isValid(""));
        assertFalse(NameSanitizer.isValid(null));
        assertFalse(NameSanitizer.isValid("sh.010"));
        assertFalse(NameSanitizer.isValid("sh 010"));
        assertFalse(NameSanitizer.isValid("Forêt"));

        assertTrue(NameSanitizer.REPRESENTATION_NAME.matcher("exr").matches());
        assertTrue(NameSanitizer.REPRESENTATION_NAME.matcher("abc.gz").matches());
        assertFalse(NameSanitizer.REPRESENTATION_NAME.matcher("").matches());
        assertFalse(NameSanitizer.REPRESENTATION_NAME.matcher("a b").matches());
    }

    private static void assertIdempotent(String input) {
        String once = NameSanitizer.sanitize(input);
        assertEquals(once, NameSanitizer.sanitize(once), () -> "not idempotent for " + codePoints(input));
        assertTrue(once.isEmpty() || NameSanitizer.isValid(once), () -> "invalid result " + once);
    }

    // mostly characters a tracker could hold: ASCII, Latin accents, marks, CJK, emoji, compatibility forms
    private static String randomString(Random random) {
        int[][] ranges = {
                { 0x20, 0x7E }, { 0xA0, 0x24F }, { 0x300, 0x36F }, { 0x370, 0x3FF }, { 0x400, 0x4FF },
                { 0x1E00, 0x1EFF }, { 0x2000, 0x2BFF }, { 0x3000, 0x30FF }, { 0x4E00, 0x4E80 }, { 0xFB00, 0xFB06 },
                { 0xFF00, 0xFFEF }, { 0x1F300, 0x1F6FF }, { 0x1D400, 0x1D7FF }, { 0x0, 0x10FFFF } };
        int length = random.nextInt(24);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            int codePoint = range[0] + random.nextInt(range[1] - range[0] + 1);
            if (Character.isValidCodePoint(codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static String codePoints(String text) {
        List<String> hex = new ArrayList<>();
        text.codePoints().forEach(cp -> hex.add(String.format("U+%04X", cp)));
        return hex.toString();
    }
}
