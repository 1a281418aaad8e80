package io.avalonsync.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.mongodb.event.CommandEvent;
import com.mongodb.event.CommandStartedEvent;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoCommandTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoCommandTagsProvider;

/**
 * The labels of {@code mongodb_driver_commands_seconds}: the command, the collection and whether it succeeded.
 * Micrometer's default labels also carry the driver's cluster id, a new random value at every start, which would make
 * each restart a new series.
 */
public final class MongoCommandTags implements MongoCommandTagsProvider {

    private static final Set<String> KEPT = Set.of("command", "collection", "status");
    private final DefaultMongoCommandTagsProvider defaults = new DefaultMongoCommandTagsProvider();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        defaults.commandStarted(event); // remembers the collection of the request
    }

    @Override
    public Iterable<Tag> commandTags(CommandEvent event) {
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : defaults.commandTags(event)) {
            if (KEPT.contains(tag.getKey())) {
                tags.add(tag);
            }
        }
        return tags;
    }
}
