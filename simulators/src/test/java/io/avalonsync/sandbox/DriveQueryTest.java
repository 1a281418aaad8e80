package io.avalonsync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The simulator's q parser: what a query matches, and when a listing may look at one folder's children only. */
class DriveQueryTest {

    record File(String name, String mimeType, boolean trashed, List<String> parents) implements DriveQuery.Subject {
    }

    private static DriveQuery.Parsed parse(String q) {
        return DriveQuery.parseQuery(q, id -> "root".equals(id) ? "ROOT" : id);
    }

    @Test
    void aTopLevelParentTermNamesTheFolder() {
        DriveQuery.Parsed q = parse("'F1' in parents and mimeType != 'application/vnd.google-apps.folder'"
                + " and trashed = false and (name = 'a.exr' or name = 'b.exr')");
        assertEquals("F1", q.parent());
        assertTrue(q.matches().test(new File("b.exr", "image/x-exr", false, List.of("F1"))));
        assertFalse(q.matches().test(new File("b.exr", "image/x-exr", false, List.of("F2"))));
        assertFalse(q.matches().test(new File("c.exr", "image/x-exr", false, List.of("F1"))));
        assertEquals("ROOT", parse("name = 'x' and 'root' in parents").parent(), "aliases resolved, any position");
        assertEquals("F1", parse("('F1' in parents and trashed = false) and name = 'x'").parent());
    }

    @Test
    void noFolderWhenAMatchMayLieOutsideIt() {
        assertNull(parse("'F1' in parents or name = 'x'").parent());
        assertNull(parse("not 'F1' in parents").parent());
        assertNull(parse("name = 'x' and ('F1' in parents or 'F2' in parents)").parent());
        assertNull(parse("trashed = false").parent());
        assertNull(parse("").parent());
        DriveQuery.Parsed either = parse("'F1' in parents or name = 'x'");
        assertTrue(either.matches().test(new File("x", "text/plain", false, List.of("F9"))));
    }

    @Test
    void whatItCannotParseIsRefused() {
        assertThrows(DriveQuery.InvalidQueryException.class, () -> parse("'F1' in owners"));
        assertThrows(DriveQuery.InvalidQueryException.class, () -> parse("name = 'x' and"));
    }
}
