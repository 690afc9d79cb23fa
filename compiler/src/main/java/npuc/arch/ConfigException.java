package npuc.arch;

import npuc.BadInputException;

/**
 * A target the user asked for cannot be built: an unknown accelerator, system config or memory mode, or a
 * configuration file that is malformed or describes a system the NPU cannot use. The message names the file
 * and line where that applies, and the valid choices.
 */
public class ConfigException extends BadInputException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
