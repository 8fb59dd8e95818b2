package io.dbops.sql;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The attributes of one slow-log entry, in log order like a {@code LinkedHashMap} (a repeated name
 * keeps its first place and takes the last value), held in two arrays: an entry has about ten, and
 * a digest reads a hundred thousand entries a second, so the hash table, its nodes and the hashing
 * of every name would cost more than the lookups they speed up. Names are usually the parser's
 * interned instances, compared by identity first.
 */
final class AttributeMap extends AbstractMap<String, String> {
    private String[] names = new String[12];
    private String[] values = new String[12];
    private int size;

    @Override
    public String put(String name, String value) {
        int i = indexOf(name);
        if (i >= 0) {
            String old = values[i];
            values[i] = value;
            return old;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
        return null;
    }

    @Override
    public String get(Object name) {
        int i = name instanceof String s ? indexOf(s) : -1;
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String s && indexOf(s) >= 0;
    }

    @Override
    public String remove(Object name) {
        int i = name instanceof String s ? indexOf(s) : -1;
        if (i < 0) {
            return null;
        }
        String old = values[i];
        removeAt(i);
        return old;
    }

    @Override
    public int size() {
        return size;
    }

    /** The name of the i-th attribute in log order. */
    String name(int i) {
        return names[i];
    }

    /** The value of the i-th attribute in log order. */
    String value(int i) {
        return values[i];
    }

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        int h = name.hashCode();
        for (int i = 0; i < size; i++) {
            String n = names[i];
            if (n.hashCode() == h && n.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        names[size] = null;
        values[size] = null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        int at = last;
                        return new SimpleEntry<>(names[at], values[at]) {
                            @Override
                            public String setValue(String value) {
                                values[at] = value;
                                return super.setValue(value);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
