package npuc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import npuc.BadInputException;
import npuc.graph.Graph;
import npuc.tflite.TfliteReader;

/** Reading model files for the commands, with errors a user can act on. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Reads a model file; a missing, unreadable or malformed file is a BadInputException naming it. */
    static Graph read(Path file) throws BadInputException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException(file + ": is a directory, not a TFLite model");
            }
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new BadInputException(file + ": " + size
                        + " bytes is larger than the 2 GiB a TFLite flatbuffer can address");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return TfliteReader.read(bytes);
        } catch (BadInputException e) {
            throw new BadInputException(file + ": not a valid TFLite model: " + e.getMessage(), e);
        }
    }

    /** The network name Vela uses for output files: the file name without its .tflite extension. */
    static String networkName(Path file) {
        return npuc.Compiler.networkName(file.getFileName().toString());
    }

    /** Every {@code .tflite} file in a folder, by name without the extension, in name order. */
    static Map<String, byte[]> inFolder(Path folder) throws IOException {
        Map<String, byte[]> models = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tflite")).sorted().toList()) {
                String name = file.getFileName().toString();
                models.put(name.substring(0, name.length() - ".tflite".length()), Files.readAllBytes(file));
            }
        }
        return models;
    }
}
