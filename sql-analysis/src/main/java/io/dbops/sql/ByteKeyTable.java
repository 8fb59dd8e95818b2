package io.dbops.sql;

import java.util.Arrays;

/**
 * A hash table keyed by byte strings, looked up with a {@link ByteText} without making a key
 * object: a digest finds each entry's class by its fingerprint's bytes. Grows as needed.
 */
final class ByteKeyTable<V> {
    private byte[][] keys = new byte[1024][];
    private int[] hashes = new int[1024];
    private Object[] values = new Object[1024];
    private int size;

    private static int hash(ByteText key) {
        int h = 1;
        byte[] b = key.bytes;
        for (int i = 0, n = key.length; i < n; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    V get(ByteText key) {
        int h = hash(key);
        int mask = keys.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            byte[] k = keys[slot];
            if (k == null) {
                return null;
            }
            if (hashes[slot] == h && key.contentEquals(k, 0, k.length)) {
                return (V) values[slot];
            }
        }
    }

    /** Adds a key that is not in the table yet. */
    void put(ByteText key, V value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(Arrays.copyOf(key.bytes, key.length), hash(key), value);
        size++;
    }

    private void insert(byte[] key, int h, Object value) {
        int mask = keys.length - 1;
        int slot = h & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        hashes[slot] = h;
        values[slot] = value;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        Object[] oldValues = values;
        keys = new byte[oldKeys.length * 2][];
        hashes = new int[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldHashes[i], oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }
}
