package npuc.tflite;

/**
 * A defect found while decoding, before the decoder knows where it is reported from. The decoder
 * turns it into a {@link ModelFormatException} that names the table being read. Unchecked so that
 * the many small field decoders need no throws clauses; it never leaves this package.
 */
final class FormatDefect extends RuntimeException {
    FormatDefect(String message) {
        super(message, null, false, false);
    }
}
