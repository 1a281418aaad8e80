package io.avalonsync.avalon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bson.Document;

/**
 * The merge update of one existing document: {@code $set} / {@code $unset} on dotted paths, never a
 * replace. Values are compared before they are recorded, so an unchanged value writes nothing.
 */
public final class DocumentChanges {

    private final Document original;
    private final Map<String, Object> sets = new LinkedHashMap<>();
    private final List<String> unsets = new ArrayList<>();

    public DocumentChanges(Document original) {
        this.original = original;
    }

    /** Records {@code $set path value} when the stored value differs (type included: 25 is not 25.0). */
    public DocumentChanges set(String path, Object value) {
        Object current = TrackerIdentity.read(original, path);
        if (!sameValue(current, value) || !hasPath(original, path)) {
            sets.put(path, value);
        }
        return this;
    }

    public DocumentChanges unset(String path) {
        if (hasPath(original, path)) {
            unsets.add(path);
        }
        return this;
    }

    public boolean isEmpty() {
        return sets.isEmpty() && unsets.isEmpty();
    }

    public Map<String, Object> sets() {
        return sets;
    }

    public List<String> unsets() {
        return unsets;
    }

    /** The update document for MongoDB. */
    public Document toUpdate() {
        Document update = new Document();
        if (!sets.isEmpty()) {
            update.put("$set", new Document(sets));
        }
        if (!unsets.isEmpty()) {
            Document unset = new Document();
            unsets.forEach(path -> unset.put(path, ""));
            update.put("$unset", unset);
        }
        return update;
    }

    /** The document as it will be after the update, for validation before anything is written. */
    public Document applied() {
        Document copy = deepCopy(original);
        sets.forEach((path, value) -> put(copy, path, value));
        unsets.forEach(path -> remove(copy, path));
        return copy;
    }

    /** Equal as MongoDB would store them: numbers must match in BSON type too (Int32 25 is not Double 25.0). */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return a.getClass() == b.getClass() && a.equals(b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!sameValue(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object key : ma.keySet()) {
                if (!sameValue(ma.get(key), mb.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static boolean hasPath(Document doc, String path) {
        Object current = doc;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (!(current instanceof Document d) || !d.containsKey(parts[i])) {
                return false;
            }
            current = d.get(parts[i]);
        }
        return true;
    }

    static void put(Document doc, String path, Object value) {
        String[] parts = path.split("\\.");
        Document current = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = current.get(parts[i]);
            if (!(next instanceof Document)) {
                next = new Document();
                current.put(parts[i], next);
            }
            current = (Document) next;
        }
        current.put(parts[parts.length - 1], value);
    }

    static void remove(Document doc, String path) {
        String[] parts = path.split("\\.");
        Object current = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(current instanceof Document d)) {
                return;
            }
            current = d.get(parts[i]);
        }
        if (current instanceof Document d) {
            d.remove(parts[parts.length - 1]);
        }
    }

    @SuppressWarnings("unchecked")
    public static Document deepCopy(Document source) {
        Document copy = new Document();
        source.forEach((key, value) -> copy.put(key, copyValue(value)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Document d) {
            return deepCopy(d);
        }
        if (value instanceof Map<?, ?> m) {
            return deepCopy(new Document((Map<String, Object>) m));
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copyValue(item)));
            return copy;
        }
        return value;
    }
}
