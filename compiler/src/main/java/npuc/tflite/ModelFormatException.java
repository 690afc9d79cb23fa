package npuc.tflite;

import npuc.BadInputException;

/**
 * The bytes given are not a TFLite model npuc can read: truncated, out of range, inconsistent. The
 * message says what is wrong and where (the table, field or index).
 */
public class ModelFormatException extends BadInputException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
