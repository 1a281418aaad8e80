package io.avalonsync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The simulated Drive's files, folders and shared drives. Metadata lives in memory behind one lock; content lives
 * in files under a directory, one per head revision, so that large uploads never sit in memory.
 */
final class DriveStore {

    static final String FOLDER = "application/vnd.google-apps.folder";
    static final String MY_DRIVE = "My Drive";
    private static final String ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

    /** One file or folder. Mutable, guarded by the store's lock. */
    static final class Item implements DriveQuery.Subject {
        final String id;
        String name;
        String mimeType;
        List<String> parents;
        final String driveId;
        final Instant createdTime;
        Instant modifiedTime;
        boolean trashed;
        long size;
        String md5;
        Path content;
        long version = 1;

        Item(String id, String name, String mimeType, List<String> parents, String driveId, Instant createdTime) {
            this.id = id;
            this.name = name;
            this.mimeType = mimeType;
            this.parents = parents;
            this.driveId = driveId;
            this.createdTime = createdTime;
            this.modifiedTime = createdTime;
        }

        boolean isFolder() {
            return FOLDER.equals(mimeType);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String mimeType() {
            return mimeType;
        }

        @Override
        public boolean trashed() {
            return trashed;
        }

        @Override
        public List<String> parents() {
            return parents;
        }
    }

    record SharedDrive(String id, String name, Instant createdTime) {
    }

    private final Object lock = new Object();
    private final SecureRandom random = new SecureRandom();
    private final Path contentDir;
    private final Map<String, Item> items = new LinkedHashMap<>();
    // parent id -> children, so that a listing within a folder looks at that folder only (as Drive's index does)
    private final Map<String, Set<Item>> children = new HashMap<>();
    private final Map<String, SharedDrive> drives = new LinkedHashMap<>();
    private final String rootId;
    private Instant lastCreated = Instant.EPOCH;

    DriveStore(Path contentDir) {
        this.contentDir = contentDir;
        this.rootId = "0A" + randomId(17);
    }

    String rootId() {
        return rootId;
    }

    Path contentDir() {
        return contentDir;
    }

    String newId() {
        return "1" + randomId(32);
    }

    String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /** Strictly increasing creation times, so that "the oldest" is always well defined. */
    private Instant nextCreatedTime() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plusMillis(1);
        return lastCreated;
    }

    // ---------------------------------------------------------------- shared drives

    SharedDrive createSharedDrive(String name) {
        synchronized (lock) {
            SharedDrive drive = new SharedDrive("0A" + randomId(17), name, nextCreatedTime());
            drives.put(drive.id(), drive);
            return drive;
        }
    }

    List<SharedDrive> sharedDrives() {
        synchronized (lock) {
            return new ArrayList<>(drives.values());
        }
    }

    // ---------------------------------------------------------------- lookups

    /** {@code root} is My Drive's alias, as in Drive. */
    String canonical(String id) {
        return "root".equals(id) ? rootId : id;
    }

    Item get(String id) {
        synchronized (lock) {
            return items.get(canonical(id));
        }
    }

    /** Whether {@code id} names a place files can be put in: My Drive, a shared drive, or a live folder. */
    String driveOfContainer(String id, boolean[] exists) {
        synchronized (lock) {
            String canonical = canonical(id);
            exists[0] = true;
            if (canonical.equals(rootId)) {
                return null;
            }
            if (drives.containsKey(canonical)) {
                return canonical;
            }
            Item folder = items.get(canonical);
            if (folder != null && folder.isFolder() && !folder.trashed) {
                return folder.driveId;
            }
            exists[0] = false;
            return null;
        }
    }

    List<Item> list(Predicate<Item> filter) {
        return list(null, filter);
    }

    /** The items matching {@code filter}, oldest first; with a {@code parent}, only among its children. */
    List<Item> list(String parent, Predicate<Item> filter) {
        synchronized (lock) {
            List<Item> found = new ArrayList<>();
            Collection<Item> candidates = parent == null ? items.values()
                    : children.getOrDefault(canonical(parent), Set.of());
            for (Item item : candidates) {
                if (filter.test(item)) {
                    found.add(item);
                }
            }
            found.sort(Comparator.comparing((Item item) -> item.createdTime).thenComparing(item -> item.id));
            return found;
        }
    }

    String pathOf(String id) {
        synchronized (lock) {
            String canonical = canonical(id);
            if (canonical.equals(rootId)) {
                return "/" + MY_DRIVE;
            }
            if (drives.containsKey(canonical)) {
                return "/" + drives.get(canonical).name();
            }
            Item item = items.get(canonical);
            if (item == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            Map<String, Boolean> seen = new HashMap<>();
            while (item != null && seen.put(item.id, true) == null) {
                names.add(0, item.name);
                String parent = item.parents.isEmpty() ? null : item.parents.get(0);
                if (parent == null) {
                    return "?/" + String.join("/", names);
                }
                if (parent.equals(rootId)) {
                    return "/" + MY_DRIVE + "/" + String.join("/", names);
                }
                if (drives.containsKey(parent)) {
                    return "/" + drives.get(parent).name() + "/" + String.join("/", names);
                }
                item = items.get(parent);
            }
            return "?/" + String.join("/", names);
        }
    }

    // ---------------------------------------------------------------- changes

    Item create(String name, String mimeType, String parentId, String driveId, Path content, long size, String md5) {
        synchronized (lock) {
            Item item = new Item(newId(), name, mimeType, List.of(canonical(parentId)), driveId, nextCreatedTime());
            if (content != null) {
                item.content = keep(item.id, 1, content);
                item.size = size;
                item.md5 = md5;
            }
            items.put(item.id, item);
            adopt(item);
            return item;
        }
    }

    /** A new head revision for an existing file; the previous content is dropped. */
    Item replaceContent(Item item, Path content, long size, String md5) {
        synchronized (lock) {
            Path previous = item.content;
            item.version++;
            item.content = keep(item.id, item.version, content);
            item.size = size;
            item.md5 = md5;
            item.modifiedTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            if (previous != null) {
                try {
                    Files.deleteIfExists(previous);
                } catch (IOException e) {
                    // a leftover revision in a temp directory harms nobody
                }
            }
            return item;
        }
    }

    void rename(Item item, String name) {
        synchronized (lock) {
            item.name = name;
            item.modifiedTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
    }

    void setTrashed(Item item, boolean trashed) {
        synchronized (lock) {
            item.trashed = trashed;
        }
    }

    void move(Item item, List<String> add, List<String> remove) {
        synchronized (lock) {
            List<String> parents = new ArrayList<>(item.parents);
            remove.forEach(id -> parents.remove(canonical(id)));
            add.forEach(id -> parents.add(canonical(id)));
            disown(item);
            item.parents = List.copyOf(parents);
            adopt(item);
        }
    }

    void delete(Item item) {
        synchronized (lock) {
            items.remove(item.id);
            disown(item);
            if (item.content != null) {
                try {
                    Files.deleteIfExists(item.content);
                } catch (IOException e) {
                    // as above
                }
            }
        }
    }

    private void adopt(Item item) {
        for (String parent : item.parents) {
            children.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(item);
        }
    }

    private void disown(Item item) {
        for (String parent : item.parents) {
            Set<Item> siblings = children.get(parent);
            if (siblings != null) {
                siblings.remove(item);
            }
        }
    }

    private Path keep(String id, long version, Path content) {
        try {
            return Files.move(content, contentDir.resolve(id + ".v" + version), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep uploaded content " + content, e);
        }
    }
}
