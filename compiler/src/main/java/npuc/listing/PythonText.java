package npuc.listing;

import java.util.List;

/** Values written as Python's str() and repr() write them, for listings that print Python objects. */
final class PythonText {
    private PythonText() {
    }

    /** repr() of a str: single quotes unless the text holds one and no double quote. */
    static String repr(String s) {
        boolean single = s.indexOf('\'') < 0 || s.indexOf('"') >= 0;
        char q = single ? '\'' : '"';
        StringBuilder b = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == q) {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(c);
            }
        }
        return b.append(q).toString();
    }

    /** repr() of a list of str. */
    static String list(List<String> items) {
        return "[" + String.join(", ", items.stream().map(PythonText::repr).toList()) + "]";
    }

    /** str() of a list of int. */
    static String ints(List<? extends Number> items) {
        return "[" + String.join(", ", items.stream().map(String::valueOf).toList()) + "]";
    }
}
