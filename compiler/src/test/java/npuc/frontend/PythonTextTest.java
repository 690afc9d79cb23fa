package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Values print as Python and numpy print them in Vela's messages. */
class PythonTextTest {

    @Test
    void floatsPrintTheShortestDigitsThatReadBack() {
        assertEquals("-1.0", PythonText.pythonFloat(-1.0));
        assertEquals("0.10000000149011612", PythonText.pythonFloat(0.1f));
        assertEquals("1e-05", PythonText.pythonFloat(1e-5));
        assertEquals("0.0001", PythonText.pythonFloat(1e-4));
        assertEquals("1e+16", PythonText.pythonFloat(1e16));
        assertEquals("1234567.0", PythonText.pythonFloat(1234567.0));
    }

    @Test
    void float32ScalarsPrintAsNumpyDoes() {
        assertEquals("0.1", PythonText.float32(0.1f));
        assertEquals("1.1754944e-38", PythonText.float32(Float.MIN_NORMAL));
        assertEquals("1e-45", PythonText.float32(Float.MIN_VALUE));
        assertEquals("inf", PythonText.float32(Float.POSITIVE_INFINITY));
        assertEquals("[0.1 0.2]", PythonText.float32Values(List.of(0.1f, 0.2f)));
    }

    @Test
    void integerArraysAlignTheirElements() {
        assertEquals("[ 1 10 10  3]", PythonText.array(new long[] {1, 10, 10, 3}, List.of(4)));
        assertEquals("[-1 -1  4]", PythonText.array(new long[] {-1, -1, 4}, List.of(3)));
        assertEquals("3", PythonText.array(new long[] {3}, List.of()));
        assertEquals("[[0 0]\n [1 1]]", PythonText.array(new long[] {0, 0, 1, 1}, List.of(2, 2)));
        assertEquals("None", PythonText.array(null, List.of(2)));
    }

    @Test
    void longArraysWrapAtNumpysLineWidth() {
        long[] values = new long[30];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 + i;
        }
        String text = PythonText.array(values, List.of(30));
        // 18 four-character words fit in numpy's 75 columns, the rest go on a line indented by one space.
        assertEquals("[100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117\n"
                + " 118 119 120 121 122 123 124 125 126 127 128 129]", text);
    }

    @Test
    void listsAndBooleans() {
        assertEquals("[1, 2, 3]", PythonText.list(List.of(1, 2, 3)));
        assertEquals("[]", PythonText.list(List.of()));
        assertEquals("True", PythonText.bool(true));
    }
}
