package npuc.graph;

/** TFLite tensor element types, with their schema codes and storage sizes. */
public enum DataType {
    FLOAT32(0, 32), FLOAT16(1, 16), INT32(2, 32), UINT8(3, 8), INT64(4, 64), STRING(5, 0), BOOL(6, 8),
    INT16(7, 16), COMPLEX64(8, 64), INT8(9, 8), FLOAT64(10, 64), COMPLEX128(11, 128), UINT64(12, 64),
    RESOURCE(13, 0), VARIANT(14, 0), UINT32(15, 32), UINT16(16, 16), INT4(17, 4), BFLOAT16(18, 16);

    private static final DataType[] BY_CODE = values();

    private final int code;
    private final int bits;

    DataType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    public int code() {
        return code;
    }

    /** Bits per element; 0 for types without a fixed element size (strings, resources, variants). */
    public int bits() {
        return bits;
    }

    /** Bytes per element, rounded up; 0 for types without a fixed element size. */
    public int bytes() {
        return (bits + 7) / 8;
    }

    public boolean isInteger() {
        return switch (this) {
            case INT4, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    /** The type with this schema code, or null when the code is unknown. */
    public static DataType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
