package npuc.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.Accelerator;
import npuc.graph.Graph;
import npuc.schedule.OperationWeightEncoder;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.tflite.TfliteReader;
import npuc.weights.BlockTraversal;
import npuc.weights.BrickOrder;
import npuc.weights.EncodedWeights;
import npuc.weights.EncodingParameters;
import npuc.weights.WeightEncoder;
import npuc.weights.WeightEncodingException;
import npuc.weights.WeightKind;
import npuc.weights.WeightVolume;

/**
 * The weights of one model as the encoder gets them: every operation with weights in the schedule of a
 * compile for the model's first single-core target of summary.csv, at the OFM block depth that schedule
 * chose, in one depth slice (the whole OFM depth), without biases. Vela's encoders are timed on the same
 * volumes and parameters.
 */
record WeightWorkload(String model, List<Encoding> encodings) {

    /** One operation's weights and the parameters they are encoded with. */
    record Encoding(WeightVolume volume, EncodingParameters parameters) {
        /** Encodes the weights, ordered into bricks and compressed, as a compile does. */
        EncodedWeights encode() throws WeightEncodingException {
            return WeightEncoder.encode(volume, null, null, parameters);
        }

        /** The volume as the hardware applies it: turned for a transpose convolution. */
        WeightVolume applied() {
            return parameters.reversedKernel() ? volume.flippedHw() : volume;
        }

        BlockTraversal traversal() {
            return parameters.kind() == WeightKind.CONVOLUTION
                    ? BlockTraversal.forConvolution(volume.height(), volume.width(), volume.ifmDepth(),
                            parameters.ifmBits())
                    : BlockTraversal.DEPTH_FIRST;
        }

        BrickOrder brickOrder() {
            return WeightEncoder.brickOrder(parameters, parameters.ofmBlockDepth(), traversal());
        }
    }

    static WeightWorkload of(ReferenceRows rows, String model) throws IOException, BadInputException {
        Graph graph = TfliteReader.read(Files.readAllBytes(rows.shared().resolve("models").resolve(model + ".tflite")));
        BadInputException last = null;
        for (ReferenceRows.Row row : rows.ofModel(model)) {
            if (row.target().accelerator().cores() != 1) {
                continue;
            }
            try {
                return of(model, Compiler.compile(model, graph, row.target(), row.options()));
            } catch (BadInputException e) {
                last = e;
            }
        }
        throw last != null ? last : new BadInputException(model + ": no single-core target to encode for");
    }

    private static WeightWorkload of(String model, CompileResult result) {
        Accelerator accelerator = result.target().accelerator();
        List<Encoding> encodings = new ArrayList<>();
        for (ScheduledSubgraph sg : result.schedule().subgraphs()) {
            for (ScheduledOp op : sg.ops()) {
                if (!op.op().hasWeights() || op.schedule().weights() == null) {
                    continue;
                }
                WeightVolume volume = OperationWeightEncoder.volumeOf(op.op(), op.op().primary().weights());
                int blockDepth = op.schedule().blockConfig().ofmBlock().depth();
                encodings.add(new Encoding(volume, OperationWeightEncoder.parameters(accelerator, op.op(), blockDepth,
                        List.of(0, volume.ofmDepth()))));
            }
        }
        return new WeightWorkload(model, List.copyOf(encodings));
    }

    long weights() {
        long n = 0;
        for (Encoding e : encodings) {
            n += (long) e.volume().ofmDepth() * e.volume().height() * e.volume().width() * e.volume().ifmDepth();
        }
        return n;
    }

    /** Writes the workload in the format of {@code vela_encoders.py}. */
    void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Encoding e : encodings) {
                WeightVolume v = e.applied();
                EncodingParameters p = e.parameters();
                short[] brick = e.brickOrder().reorder(v);
                short[] ohwi = v.toOhwi();
                ByteBuffer b = ByteBuffer.allocate(13 * 4 + 2 * (ohwi.length + brick.length))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(v.ofmDepth()).putInt(v.height()).putInt(v.width()).putInt(v.ifmDepth())
                        .putInt(p.ofmBlockDepth()).putInt(p.kind() == WeightKind.DEPTHWISE ? 1 : 0)
                        .putInt(e.traversal() == BlockTraversal.PART_KERNEL_FIRST ? 1 : 0).putInt(p.ifmBits())
                        .putInt(Accelerator.SUB_KERNEL_MAX.height() / p.dilationY())
                        .putInt(Accelerator.SUB_KERNEL_MAX.width() / p.dilationX())
                        .putInt(p.accelerator().ifmMicroBlock().depth()).putInt(p.accelerator().ofmMicroBlock().depth())
                        .putInt(brick.length);
                for (short s : ohwi) {
                    b.putShort(s);
                }
                for (short s : brick) {
                    b.putShort(s);
                }
                out.write(b.array());
            }
        }
    }
}
