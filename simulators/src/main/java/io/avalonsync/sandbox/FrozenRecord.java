package io.avalonsync.sandbox;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * How {@link KitsuData} stores a record: an ordered, read-only map whose key array is shared by every
 * record of the same shape. A task held as a LinkedHashMap costs about 1.8 KB; this way about 0.2 KB,
 * which keeps the 72,000-task benchmark production small next to the sync it is serving.
 */
final class FrozenRecord extends AbstractMap<String, Object> {

    private final String[] keys;
    private final Object[] values;

    private FrozenRecord(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * Freezes {@code record} and the maps nested in it (a shot's {@code data}), reusing a key array from
     * {@code shapes} when one with the same keys exists.
     */
    @SuppressWarnings("unchecked")
    static FrozenRecord of(Map<String, Object> record, Map<List<String>, String[]> shapes) {
        String[] keys = record.keySet().toArray(new String[0]);
        keys = shapes.computeIfAbsent(List.of(keys), k -> k.toArray(new String[0]));
        Object[] values = record.values().toArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof Map<?, ?> nested && !(nested instanceof FrozenRecord)) {
                values[i] = of((Map<String, Object>) nested, shapes);
            }
        }
        return new FrozenRecord(keys, values);
    }

    /** A mutable deep copy (LinkedHashMaps and ArrayLists), which is what callers of KitsuData get. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> thaw(Map<String, Object> record) {
        return (Map<String, Object>) thawValue(record);
    }

    static Object thawValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), thawValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(thawValue(v)));
            return copy;
        }
        return value;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int index = indexOf(key);
        return index >= 0 ? values[index] : null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> entry = new SimpleImmutableEntry<>(keys[next], values[next]);
                        next++;
                        return entry;
                    }
                };
            }
        };
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            // keys come from string literals, so identity nearly always answers first
            if (keys[i] == key || keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
