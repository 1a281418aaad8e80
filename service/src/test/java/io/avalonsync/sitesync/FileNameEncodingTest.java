package io.avalonsync.sitesync;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileNameEncodingTest {

    @Test
    void utf8IsFineUnderEitherSpelling() {
        assertNull(FileNameEncoding.problem("UTF-8"));
        assertNull(FileNameEncoding.problem("utf8"));
    }

    @Test
    void anythingElseNamesTheEncodingAndTheFix() {
        for (String encoding : new String[] { "ANSI_X3.4-1968", "ISO-8859-1", null, "no-such-charset" }) {
            String problem = FileNameEncoding.problem(encoding);
            assertTrue(problem.contains("file-name encoding is " + encoding) && problem.contains("LANG=C.UTF-8"),
                    problem);
        }
    }
}
