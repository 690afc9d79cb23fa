package npuc.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counts a model's operators straight from the flatbuffer, without npuc's reader, so the inspect test
 * compares against an independent count. Offsets follow the TFLite schema: Model.subgraphs is field 2,
 * SubGraph.operators is field 3.
 */
final class RawFlatbuffer {
    private RawFlatbuffer() {
    }

    static int operatorCount(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int model = b.getInt(0);
        int subgraphs = vector(b, model, 2);
        int count = 0;
        for (int i = 0, n = b.getInt(subgraphs); i < n; i++) {
            int element = subgraphs + 4 + 4 * i;
            int subgraph = element + b.getInt(element);
            int ops = vector(b, subgraph, 3);
            count += ops < 0 ? 0 : b.getInt(ops);
        }
        return count;
    }

    /** Position of the length word of a table's vector field, or -1 when absent. */
    private static int vector(ByteBuffer b, int table, int field) {
        int vtable = table - b.getInt(table);
        int vtableSize = b.getShort(vtable) & 0xffff;
        int slot = 4 + 2 * field;
        if (slot >= vtableSize) {
            return -1;
        }
        int offset = b.getShort(vtable + slot) & 0xffff;
        if (offset == 0) {
            return -1;
        }
        int at = table + offset;
        return at + b.getInt(at);
    }
}
