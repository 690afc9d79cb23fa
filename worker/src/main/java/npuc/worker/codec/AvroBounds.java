package npuc.worker.codec;

import java.util.List;

import org.apache.avro.Schema;

/**
 * Walks an Avro binary datum with its writer schema before it is decoded, and refuses one whose length fields
 * promise more than the message holds: a string, byte array, array or map block longer than the bytes left,
 * an enum or union index out of range, a varint longer than ten bytes. Avro's own decoder trusts those fields
 * and allocates for them first (an array count of two billion in a 67-byte message is an OutOfMemoryError);
 * after this walk, decoding allocates at most in proportion to the message. The walk also counts the items
 * of one top-level array field, the job's targets.
 */
final class AvroBounds {
    /** Nesting of records, arrays, maps and unions; far beyond any npuc schema, short of any stack's depth. */
    private static final int MAX_DEPTH = 64;

    private final byte[] bytes;
    private final int end;
    private final String countedField;
    private int pos;
    private long emptyItems;
    private long counted;

    private AvroBounds(byte[] bytes, int offset, String countedField) {
        this.bytes = bytes;
        this.pos = offset;
        this.end = bytes.length;
        this.countedField = countedField;
    }

    /**
     * Checks the datum of {@code writer} that starts at {@code offset} and runs to the end of {@code bytes};
     * returns the number of items of the top-level array field {@code countedField}.
     */
    static long check(Schema writer, byte[] bytes, int offset, String countedField) throws MalformedMessageException {
        AvroBounds walk = new AvroBounds(bytes, offset, countedField);
        walk.walk(writer, "", 0);
        return walk.counted;
    }

    private void walk(Schema schema, String path, int depth) throws MalformedMessageException {
        if (depth > MAX_DEPTH) {
            throw refuse(path, "nested more than " + MAX_DEPTH + " levels deep");
        }
        switch (schema.getType()) {
            case NULL -> {
            }
            case BOOLEAN -> skip(1, path);
            case INT, LONG -> varLong(path);
            case FLOAT -> skip(4, path);
            case DOUBLE -> skip(8, path);
            case FIXED -> skip(schema.getFixedSize(), path);
            case STRING, BYTES -> lengthPrefixed(path);
            case ENUM -> index(schema.getEnumSymbols().size(), path);
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                walk(branches.get(index(branches.size(), path)), path, depth + 1);
            }
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), path.isEmpty() ? field.name() : path + "." + field.name(), depth + 1);
                }
            }
            case ARRAY -> blocks(schema.getElementType(), false, path, depth);
            case MAP -> blocks(schema.getValueType(), true, path, depth);
        }
    }

    /** Array or map blocks: a count (negative: followed by the block's byte size), the items, until a zero count. */
    private void blocks(Schema item, boolean map, String path, int depth) throws MalformedMessageException {
        long itemBytes = minimumBytes(item, 0) + (map ? 1 : 0);
        while (true) {
            long count = varLong(path);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw refuse(path, "an item count out of range");
                }
                count = -count;
                varLong(path);
            }
            if (itemBytes > 0 ? count > remaining() / itemBytes : emptyItems + count > MessageLimits.MAX_EMPTY_ITEMS) {
                throw refuse(path, count + " items, more than the " + remaining() + " bytes left can hold");
            }
            if (itemBytes == 0) {
                emptyItems += count;
            }
            if (path.equals(countedField)) {
                counted += count;
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    lengthPrefixed(path);
                }
                walk(item, path, depth + 1);
            }
        }
    }

    /** The fewest bytes a value of this schema takes; records count their fields, recursion stops at a depth. */
    private static long minimumBytes(Schema schema, int depth) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case RECORD -> {
                long sum = 0;
                if (depth < MAX_DEPTH) {
                    for (Schema.Field field : schema.getFields()) {
                        sum += minimumBytes(field.schema(), depth + 1);
                    }
                }
                yield sum;
            }
            // A varint, a length, an index or a block count: at least one byte each.
            default -> 1;
        };
    }

    private void lengthPrefixed(String path) throws MalformedMessageException {
        long length = varLong(path);
        if (length < 0 || length > remaining()) {
            throw refuse(path, "a length of " + length + " with " + remaining() + " bytes left");
        }
        pos += (int) length;
    }

    private int index(int size, String path) throws MalformedMessageException {
        long index = varLong(path);
        if (index < 0 || index >= size) {
            throw refuse(path, "index " + index + " of " + size + " choices");
        }
        return (int) index;
    }

    private void skip(int count, String path) throws MalformedMessageException {
        if (count > remaining()) {
            throw refuse(path, "the message ends early");
        }
        pos += count;
    }

    /** A zig-zag varint of at most ten bytes. */
    private long varLong(String path) throws MalformedMessageException {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw refuse(path, "the message ends early");
            }
            int b = bytes[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw refuse(path, "a number longer than ten bytes");
    }

    private long remaining() {
        return end - pos;
    }

    private MalformedMessageException refuse(String path, String what) {
        return new MalformedMessageException("corrupt Avro message: " + (path.isEmpty() ? "" : "field " + path + ": ")
            + what + " (at byte " + pos + " of " + end + ")");
    }
}
