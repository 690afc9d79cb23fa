package npuc.frontend;

/** Python's printing of integer lists, which Vela's messages carry. */
final class PythonLists {
    private PythonLists() {
    }

    static String of(int[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(values[i]);
        }
        return s.append(']').toString();
    }
}
