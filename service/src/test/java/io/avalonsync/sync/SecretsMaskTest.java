package io.avalonsync.sync;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsMaskTest {

    @Test
    void thePasswordOfEveryUriIsMaskedAndTheRestStaysReadable() {
        assertEquals("avalon.mongo-uri = mongodb://avsync:xxxxxx@db1:27017,db2:27017/?authSource=admin",
                Secrets.mask("avalon.mongo-uri = mongodb://avsync:p%40ss:w0rd@db1:27017,db2:27017/?authSource=admin"));
        assertEquals("a http://u:xxxxxx@h/x and mongodb+srv://v:xxxxxx@cluster.example",
                Secrets.mask("a http://u:one@h/x and mongodb+srv://v:two@cluster.example"));
        assertEquals("mongodb://127.0.0.1:27017/avalon", Secrets.mask("mongodb://127.0.0.1:27017/avalon"), "no user info");
        assertEquals("mongodb://user@host/", Secrets.mask("mongodb://user@host/"), "a user without a password");
        assertNull(Secrets.mask(null));
    }

    @Test
    void secretKeysAreHiddenAndOtherValuesMasked() {
        assertEquals("(value hidden)", Secrets.shown("kitsu.password", "x"));
        assertEquals("(value hidden)", Secrets.shown("shotgrid.api-key", "x"));
        assertEquals("(value hidden)", Secrets.shown("GAZU_PASSWD", "x"));
        assertEquals("'mongodb://a:xxxxxx@h'", Secrets.shown("avalon.mongo-uri", "mongodb://a:b@h"));
        assertTrue(Secrets.isSecretKey("status.password"));
    }
}
