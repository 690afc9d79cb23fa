package npuc.weights;

import npuc.BadInputException;

/**
 * Weights, biases or scales the NPU cannot take: a weight outside 9 bits after the zero point, a bias
 * outside 40 bits, a scale whose shift does not fit, an IFM type with no rescale rule.
 */
public class WeightEncodingException extends BadInputException {
    public WeightEncodingException(String message) {
        super(message);
    }
}
