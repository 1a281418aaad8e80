package io.avalonsync.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    @Test
    void doublesUpToTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(1000, 30000);
        assertEquals(1000, backoff.ceiling(0));
        assertEquals(2000, backoff.ceiling(1));
        assertEquals(16000, backoff.ceiling(4));
        assertEquals(30000, backoff.ceiling(5));
        assertEquals(30000, backoff.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void delaysAreJitteredWithinTheUpperHalf() {
        ReconnectBackoff backoff = new ReconnectBackoff(1000, 30000);
        Set<Long> distinct = new HashSet<>();
        for (int attempt = 0; attempt < 200; attempt++) {
            long ceiling = backoff.ceiling(attempt);
            long delay = backoff.nextDelay();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + attempt + ": " + delay);
            distinct.add(delay);
        }
        assertTrue(distinct.size() > 10, "jittered: " + distinct.size() + " distinct delays");
        assertEquals(200, backoff.attempts());
    }

    @Test
    void resetStartsOverFromTheMinimum() {
        ReconnectBackoff backoff = new ReconnectBackoff(100, 1000);
        for (int i = 0; i < 5; i++) {
            backoff.nextDelay();
        }
        backoff.reset();
        long delay = backoff.nextDelay();
        assertTrue(delay >= 50 && delay <= 100, "after reset: " + delay);
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(100, 10));
    }
}
