package npuc.tflite;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import npuc.graph.Buffer;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Quantization;
import npuc.graph.SignatureDef;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.schema.tflite.Model;
import npuc.schema.tflite.QuantizationParameters;
import npuc.schema.tflite.SubGraph;
import npuc.schema.tflite.TensorMap;

/**
 * Decodes one model file with the generated accessors. The accessors trust the file; this class does
 * not. It checks every vector length against the bytes the file has before allocating for it, caps
 * the total structure it decodes at a small multiple of the file size (offsets may point many
 * times at one table or string, which would otherwise multiply the work), and turns every failed
 * read into a {@link ModelFormatException} that names the table being decoded.
 */
final class ModelDecoder {
    /** The schema version npuc reads: buffers in Model.buffers, operator codes with builtin_code. */
    static final int SCHEMA_VERSION = 3;
    static final String FILE_IDENTIFIER = "TFL3";

    /** Structure bytes allowed beyond the file size, for small files with legitimately shared vectors. */
    private static final long BUDGET_SLACK = 4L << 20;

    private final ByteBuffer file;
    private final int size;
    private long budget;
    /** The table being decoded, for messages: "subgraph 0 operator 12 (CONV_2D)". */
    private String where = "model";

    ModelDecoder(ByteBuffer file) {
        this.file = file;
        this.size = file.remaining();
        this.budget = 4L * size + BUDGET_SLACK;
    }

    Graph decode() throws ModelFormatException {
        try {
            return decodeModel();
        } catch (FormatDefect e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            throw new ModelFormatException(where + ": an offset or length points past the end of the file ("
                    + size + " bytes)", e);
        } catch (IllegalArgumentException e) {
            // ByteBuffer.position/limit on a vector outside the file, or bytes that are not UTF-8.
            throw new ModelFormatException(where + ": malformed data (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new ModelFormatException(where + ": malformed data (" + e + ")", e);
        }
    }

    private Graph decodeModel() {
        checkHeader();
        Model model = Model.getRootAsModel(file.duplicate().order(file.order()));
        long version = model.version();
        if (version != SCHEMA_VERSION) {
            throw new FormatDefect("schema version " + version + ", but npuc reads version " + SCHEMA_VERSION);
        }
        String description = string(model.description());

        List<OperatorCode> operatorCodes = new ArrayList<>(count(model.operatorCodesLength(), "operator_codes"));
        npuc.schema.tflite.OperatorCode codeTable = new npuc.schema.tflite.OperatorCode();
        for (int i = 0; i < model.operatorCodesLength(); i++) {
            where = "operator code " + i;
            operatorCodes.add(operatorCode(model.operatorCodes(codeTable, i)));
        }

        List<Buffer> buffers = new ArrayList<>(count(model.buffersLength(), "buffers"));
        npuc.schema.tflite.Buffer bufferTable = new npuc.schema.tflite.Buffer();
        for (int i = 0; i < model.buffersLength(); i++) {
            where = "buffer " + i;
            buffers.add(buffer(model.buffers(bufferTable, i)));
        }

        List<Subgraph> subgraphs = new ArrayList<>(count(model.subgraphsLength(), "subgraphs"));
        SubGraph subgraphTable = new SubGraph();
        for (int i = 0; i < model.subgraphsLength(); i++) {
            where = "subgraph " + i;
            subgraphs.add(subgraph(model.subgraphs(subgraphTable, i), i, operatorCodes));
        }

        List<Metadata> metadata = new ArrayList<>(count(model.metadataLength(), "metadata"));
        npuc.schema.tflite.Metadata metadataTable = new npuc.schema.tflite.Metadata();
        for (int i = 0; i < model.metadataLength(); i++) {
            where = "metadata " + i;
            npuc.schema.tflite.Metadata m = present(model.metadata(metadataTable, i));
            metadata.add(new Metadata(string(m.name()), uint32(m.buffer(), "buffer")));
        }

        List<SignatureDef> signatures = new ArrayList<>(count(model.signatureDefsLength(), "signature_defs"));
        npuc.schema.tflite.SignatureDef signatureTable = new npuc.schema.tflite.SignatureDef();
        for (int i = 0; i < model.signatureDefsLength(); i++) {
            where = "signature def " + i;
            signatures.add(signature(present(model.signatureDefs(signatureTable, i))));
        }
        where = "model";
        return new Graph((int) version, description, operatorCodes, subgraphs, buffers, metadata, signatures);
    }

    private void checkHeader() {
        if (size < 8) {
            throw new FormatDefect("the file is " + size + " bytes, too short for a TFLite model "
                    + "(a root offset and the \"" + FILE_IDENTIFIER + "\" identifier need 8)");
        }
        byte[] identifier = new byte[4];
        file.get(4, identifier);
        String id = new String(identifier, StandardCharsets.ISO_8859_1);
        if (!id.equals(FILE_IDENTIFIER)) {
            throw new FormatDefect("not a TFLite model: the file identifier is " + printable(identifier)
                    + ", expected \"" + FILE_IDENTIFIER + "\"");
        }
        long root = Integer.toUnsignedLong(file.getInt(0));
        if (root < 8 || root > size - 4L) {
            throw new FormatDefect("the root table offset " + root + " lies outside the file (" + size + " bytes)");
        }
    }

    private OperatorCode operatorCode(npuc.schema.tflite.OperatorCode table) {
        present(table);
        // Old files only have the byte field; new files cap it at 127 and put the real code in the int.
        int code = Math.max(table.deprecatedBuiltinCode(), table.builtinCode());
        if (code < 0) {
            throw new FormatDefect("builtin code " + code + " is negative");
        }
        spend(16);
        return new OperatorCode(code, string(table.customCode()), table.version());
    }

    private Buffer buffer(npuc.schema.tflite.Buffer table) {
        present(table);
        long offset = table.offset();
        if (offset > 1) {
            // Data stored after the flatbuffer, as TFLite writes models over 2 GiB.
            long length = table.size();
            return new Buffer(ConstantData.wrap(outOfLine(offset, length, "data")));
        }
        ByteBuffer data = table.dataAsByteBuffer();
        if (data == null) {
            return Buffer.EMPTY;
        }
        int length = table.dataLength();
        checkVector(data.position(), length, 1, "data");
        spend(16);
        return new Buffer(ConstantData.wrap(file.slice(data.position(), length)));
    }

    private ByteBuffer outOfLine(long offset, long length, String field) {
        if (length < 0 || offset > size || length > size - offset) {
            throw new FormatDefect(field + " stored after the flatbuffer at offset " + offset + ", size "
                    + Long.toUnsignedString(length) + " lies outside the file (" + size + " bytes)");
        }
        spend(16);
        return file.slice((int) offset, (int) length);
    }

    private Subgraph subgraph(SubGraph table, int index, List<OperatorCode> operatorCodes) {
        present(table);
        String name = string(table.name());
        String subgraphWhere = "subgraph " + index;

        List<Tensor> tensors = new ArrayList<>(count(table.tensorsLength(), "tensors"));
        npuc.schema.tflite.Tensor tensorTable = new npuc.schema.tflite.Tensor();
        QuantizationParameters quantTable = new QuantizationParameters();
        for (int i = 0; i < table.tensorsLength(); i++) {
            where = subgraphWhere + " tensor " + i;
            tensors.add(tensor(present(table.tensors(tensorTable, i)), quantTable));
        }
        where = subgraphWhere;
        List<Integer> inputs = orEmpty(ints(table.inputsAsByteBuffer(), table.inputsLength(), "inputs"));
        List<Integer> outputs = orEmpty(ints(table.outputsAsByteBuffer(), table.outputsLength(), "outputs"));

        List<Operator> operators = new ArrayList<>(count(table.operatorsLength(), "operators"));
        npuc.schema.tflite.Operator operatorTable = new npuc.schema.tflite.Operator();
        for (int i = 0; i < table.operatorsLength(); i++) {
            where = subgraphWhere + " operator " + i;
            operators.add(operator(present(table.operators(operatorTable, i)), operatorCodes, where));
        }
        where = subgraphWhere;
        return new Subgraph(name, tensors, inputs, outputs, operators);
    }

    private Tensor tensor(npuc.schema.tflite.Tensor table, QuantizationParameters quantTable) {
        List<Integer> shape = orEmpty(ints(table.shapeAsByteBuffer(), table.shapeLength(), "shape"));
        DataType type = DataType.fromCode(table.type());
        if (type == null) {
            throw new FormatDefect("unknown tensor type " + table.type());
        }
        int buffer = uint32(table.buffer(), "buffer");
        String name = string(table.name());
        Quantization quantization = null;
        QuantizationParameters q = table.quantization(quantTable);
        if (q != null) {
            quantization = new Quantization(
                    orEmpty(floats(q.minAsByteBuffer(), q.minLength(), "quantization min")),
                    orEmpty(floats(q.maxAsByteBuffer(), q.maxLength(), "quantization max")),
                    orEmpty(floats(q.scaleAsByteBuffer(), q.scaleLength(), "quantization scale")),
                    orEmpty(longs(q.zeroPointAsByteBuffer(), q.zeroPointLength(), "quantization zero_point")),
                    q.quantizedDimension());
        }
        List<Integer> signature = ints(table.shapeSignatureAsByteBuffer(), table.shapeSignatureLength(),
                "shape_signature");
        spend(32);
        return new Tensor(name == null ? "" : name, shape, signature, type, buffer, quantization,
                table.isVariable(), table.hasRank());
    }

    private Operator operator(npuc.schema.tflite.Operator table, List<OperatorCode> operatorCodes,
                              String operatorWhere) {
        long opcodeIndex = table.opcodeIndex();
        if (opcodeIndex >= operatorCodes.size()) {
            throw new FormatDefect("refers to operator code " + opcodeIndex + ", but the model has "
                    + operatorCodes.size() + " operator codes");
        }
        where = operatorWhere + " (" + operatorCodes.get((int) opcodeIndex).displayName() + ")";
        List<Integer> inputs = orEmpty(ints(table.inputsAsByteBuffer(), table.inputsLength(), "inputs"));
        List<Integer> outputs = orEmpty(ints(table.outputsAsByteBuffer(), table.outputsLength(), "outputs"));
        List<Integer> intermediates = orEmpty(ints(table.intermediatesAsByteBuffer(), table.intermediatesLength(),
                "intermediates"));
        List<Boolean> mutating = bools(table.mutatingVariableInputsAsByteBuffer(),
                table.mutatingVariableInputsLength(), "mutating_variable_inputs");

        ConstantData customOptions = null;
        long largeOffset = table.largeCustomOptionsOffset();
        if (largeOffset > 1) {
            customOptions = ConstantData.wrap(outOfLine(largeOffset, table.largeCustomOptionsSize(),
                    "custom options"));
        } else {
            ByteBuffer custom = table.customOptionsAsByteBuffer();
            if (custom != null) {
                int length = table.customOptionsLength();
                checkVector(custom.position(), length, 1, "custom_options");
                customOptions = ConstantData.wrap(file.slice(custom.position(), length));
            }
        }
        if (table.customOptionsFormat() != 0) {
            throw new FormatDefect("unknown custom_options_format " + table.customOptionsFormat()
                    + " (only 0, FlexBuffers, exists)");
        }

        BuiltinOptions options = null;
        int unionType = table.builtinOptionsType() & 0xFF;
        if (unionType != 0) {
            String operatorName = where;
            where = operatorName + " builtin options";
            options = BuiltinOptionsReader.read(table, unionType, this);
            where = operatorName;
        }
        spend(32);
        return new Operator((int) opcodeIndex, inputs, outputs, intermediates, options, customOptions, mutating);
    }

    private SignatureDef signature(npuc.schema.tflite.SignatureDef table) {
        String key = string(table.signatureKey());
        int subgraph = uint32(table.subgraphIndex(), "subgraph_index");
        TensorMap mapTable = new TensorMap();
        List<SignatureDef.TensorMap> inputs = new ArrayList<>(count(table.inputsLength(), "inputs"));
        for (int i = 0; i < table.inputsLength(); i++) {
            inputs.add(tensorMap(present(table.inputs(mapTable, i))));
        }
        List<SignatureDef.TensorMap> outputs = new ArrayList<>(count(table.outputsLength(), "outputs"));
        for (int i = 0; i < table.outputsLength(); i++) {
            outputs.add(tensorMap(present(table.outputs(mapTable, i))));
        }
        return new SignatureDef(key, subgraph, inputs, outputs);
    }

    private SignatureDef.TensorMap tensorMap(TensorMap table) {
        spend(8);
        return new SignatureDef.TensorMap(string(table.name()), uint32(table.tensorIndex(), "tensor_index"));
    }

    // ---- Checked primitives ------------------------------------------------------------------------

    /** A vector of table offsets: its length, once checked against the file size. */
    private int count(int length, String field) {
        if (length < 0 || 4L * length > size) {
            throw new FormatDefect("vector " + field + " claims " + length + " entries, more than a file of "
                    + size + " bytes holds");
        }
        spend(4L * length);
        return length;
    }

    private void checkVector(int start, int length, int elementSize, String field) {
        if (length < 0) {
            throw new FormatDefect("vector " + field + " has negative length " + length);
        }
        if ((long) start + (long) length * elementSize > size) {
            throw new FormatDefect("vector " + field + " of " + length + " elements at offset " + start
                    + " runs past the end of the file (" + size + " bytes)");
        }
    }

    /** A vector of int32, or null when the field is absent. */
    List<Integer> ints(ByteBuffer view, int length, String field) {
        if (view == null) {
            return null;
        }
        int start = view.position();
        checkVector(start, length, 4, field);
        spend(4L * length);
        Integer[] values = new Integer[length];
        for (int i = 0; i < length; i++) {
            values[i] = file.getInt(start + 4 * i);
        }
        return Arrays.asList(values);
    }

    private List<Float> floats(ByteBuffer view, int length, String field) {
        if (view == null) {
            return null;
        }
        int start = view.position();
        checkVector(start, length, 4, field);
        spend(4L * length);
        Float[] values = new Float[length];
        for (int i = 0; i < length; i++) {
            values[i] = file.getFloat(start + 4 * i);
        }
        return Arrays.asList(values);
    }

    private List<Long> longs(ByteBuffer view, int length, String field) {
        if (view == null) {
            return null;
        }
        int start = view.position();
        checkVector(start, length, 8, field);
        spend(8L * length);
        Long[] values = new Long[length];
        for (int i = 0; i < length; i++) {
            values[i] = file.getLong(start + 8 * i);
        }
        return Arrays.asList(values);
    }

    private List<Boolean> bools(ByteBuffer view, int length, String field) {
        if (view == null) {
            return List.of();
        }
        int start = view.position();
        checkVector(start, length, 1, field);
        spend(length);
        Boolean[] values = new Boolean[length];
        for (int i = 0; i < length; i++) {
            values[i] = file.get(start + i) != 0;
        }
        return Arrays.asList(values);
    }

    private String string(String decoded) {
        if (decoded != null) {
            spend(4L + decoded.length());
        }
        return decoded;
    }

    private static int uint32(long value, String field) {
        if (value > Integer.MAX_VALUE) {
            throw new FormatDefect(field + " " + value + " is out of range");
        }
        return (int) value;
    }

    private static <T> T present(T table) {
        if (table == null) {
            throw new FormatDefect("a required table is missing");
        }
        return table;
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }

    /** Charges decoded structure against the budget; see the class comment. */
    private void spend(long bytes) {
        budget -= bytes;
        if (budget < 0) {
            throw new FormatDefect("the model's tables refer to far more data than the file holds (" + size
                    + " bytes): offsets point repeatedly at the same data");
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f) {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return s.append('"').toString();
    }
}
