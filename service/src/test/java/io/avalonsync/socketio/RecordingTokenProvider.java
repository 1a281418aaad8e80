package io.avalonsync.socketio;

import java.util.ArrayList;
import java.util.List;

/** Hands out the given tokens in turn: {@code token(true)} moves to the next one (the last one repeats). */
final class RecordingTokenProvider implements TokenProvider {

    private final List<String> tokens;
    private final List<Boolean> calls = new ArrayList<>();
    private int current;

    RecordingTokenProvider(String... tokens) {
        this.tokens = List.of(tokens);
    }

    @Override
    public synchronized String token(boolean renew) {
        calls.add(renew);
        if (renew && current < tokens.size() - 1) {
            current++;
        }
        return tokens.get(current);
    }

    /** The renew flag of every call, in order. */
    synchronized List<Boolean> calls() {
        return List.copyOf(calls);
    }

    synchronized long renewals() {
        return calls.stream().filter(renew -> renew).count();
    }
}
