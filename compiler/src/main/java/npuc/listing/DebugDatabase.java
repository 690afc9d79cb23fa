package npuc.listing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.CompileResult;
import npuc.codegen.Command;
import npuc.codegen.HighLevelCommand;
import npuc.codegen.HighLevelCommandStream;
import npuc.frontend.GraphSnapshot;
import npuc.frontend.Shape4;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.schema.tflite.Model;
import npuc.schema.tflite.Operator;
import npuc.schema.tflite.SubGraph;

/**
 * Vela's debug database ({@code --enable-debug-db}, {@code <network>_debug.xml}): four CSV tables in an XML
 * document. {@code source}: the model's operators; {@code optimised}: the NPU operations of the final schedules,
 * each naming the source operator it came from; {@code queue}: for every NPU operation, the command-stream offset
 * just past its operation command; {@code cmdstream}: where each command stream starts in the optimised file.
 */
public final class DebugDatabase {
    private static final Set<String> NOT_OPERATORS = Set.of("Const", "Placeholder", "SubgraphInput");

    private DebugDatabase() {
    }

    /**
     * @param source     the input model's file name, as given
     * @param optimised  the optimised model's file name, as written
     * @param written    the optimised model's bytes (null when it was not written: no stream offsets then)
     */
    public static String xml(CompileResult result, List<GraphSnapshot> read, String source, String optimised,
            byte[] written) {
        List<String> sourceRows = new ArrayList<>();
        Map<Integer, Integer> sourceIds = new HashMap<>();
        for (GraphSnapshot sg : read.isEmpty() ? List.<GraphSnapshot>of() : read.subList(0, 1)) {
            for (GraphSnapshot.Op op : sg.ops()) {
                if (NOT_OPERATORS.contains(op.type()) || op.outputs().isEmpty() || op.outputs().get(0) == null) {
                    continue;
                }
                int id = sourceRows.size();
                if (op.opIndex() != null) {
                    sourceIds.put(op.opIndex(), id);
                }
                List<Integer> ofm = full3(op.outputs().get(0).shape());
                sourceRows.add(id + ",\"" + op.type() + "\"," + op.kernel().width() + "," + op.kernel().height() + ","
                        + ofm.get(1) + "," + ofm.get(0) + "," + ofm.get(2));
            }
        }
        List<String> optimisedRows = new ArrayList<>();
        List<String> queueRows = new ArrayList<>();
        Map<ScheduledOp, Integer> optimisedIds = new HashMap<>();
        List<ScheduledSubgraph> subgraphs = result.schedule().subgraphs();
        for (int streamId = 0; streamId < subgraphs.size(); streamId++) {
            ScheduledSubgraph sg = subgraphs.get(streamId);
            for (ScheduledOp op : sg.ops()) {
                int id = optimisedRows.size();
                optimisedIds.put(op, id);
                Integer index = op.op().primary().opIndex();
                int sourceId = index == null ? -1 : sourceIds.getOrDefault(index, -1);
                Shape4 ofm = op.op().ofm().shape();
                optimisedRows.add(id + "," + sourceId + ",\"" + op.op().type().name() + "\"," + op.op().kernel().width()
                        + "," + op.op().kernel().height() + "," + ofm.width() + "," + ofm.height() + "," + ofm.depth());
            }
            List<Integer> ends = operationEnds(result.streams().get(streamId).commands());
            int k = 0;
            for (HighLevelCommand c : HighLevelCommandStream.of(sg, result.target())) {
                if (c instanceof HighLevelCommand.NpuStripe && k < ends.size()) {
                    queueRows.add(ends.get(k++) + "," + streamId + "," + optimisedIds.get(c.op()));
                }
            }
        }
        List<String> streamRows = new ArrayList<>();
        if (written != null) {
            List<Integer> offsets = commandStreamOffsets(written);
            for (int i = 0; i < offsets.size() && i < subgraphs.size(); i++) {
                streamRows.add(i + "," + offsets.get(i));
            }
        }
        StringBuilder s = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>\n");
        s.append("<debug source=\"").append(attribute(source)).append("\" optimised=\"").append(attribute(optimised))
                .append("\">\n");
        table(s, "source", "\"id\",\"operator\",\"kernel_w\",\"kernel_h\",\"ofm_w\",\"ofm_h\",\"ofm_d\"", sourceRows);
        table(s, "optimised", "\"id\",\"source_id\",\"operator\",\"kernel_w\",\"kernel_h\",\"ofm_w\",\"ofm_h\",\"ofm_d\"",
                optimisedRows);
        table(s, "queue", "\"offset\",\"cmdstream_id\",\"optimised_id\"", queueRows);
        table(s, "cmdstream", "\"id\",\"file_offset\"", streamRows);
        return s.append("</debug>\n").toString();
    }

    /** The shape padded to 3-D with leading 1s, its last three dimensions: height, width, depth. */
    private static List<Integer> full3(List<Integer> shape) {
        List<Integer> s = new ArrayList<>(shape);
        while (s.size() < 3) {
            s.add(0, 1);
        }
        return s.subList(s.size() - 3, s.size());
    }

    /** Byte offsets just past each block operation's command (not DMAs, not the final stop). */
    private static List<Integer> operationEnds(List<Command> commands) {
        List<Integer> ends = new ArrayList<>();
        int offset = 0;
        for (Command c : commands) {
            offset += c.size() * 4;
            if (c.command().isOperation() && !c.command().isDma()
                    && c.command() != npuc.codegen.NpuCommand.NPU_OP_STOP) {
                ends.add(offset);
            }
        }
        return ends;
    }

    /** Where the data of each custom operator's first input (its command stream) starts in the file, in order. */
    private static List<Integer> commandStreamOffsets(byte[] file) {
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        Model model = Model.getRootAsModel(bb);
        List<Integer> offsets = new ArrayList<>();
        for (int g = 0; g < model.subgraphsLength(); g++) {
            SubGraph sg = model.subgraphs(g);
            for (int o = 0; o < sg.operatorsLength(); o++) {
                Operator op = sg.operators(o);
                if (model.operatorCodes((int) op.opcodeIndex()).customCode() != null) {
                    int tensor = op.inputs(0);
                    ByteBuffer data = model.buffers((int) sg.tensors(tensor).buffer()).dataAsByteBuffer();
                    if (data != null) {
                        offsets.add(data.position());
                    }
                }
            }
        }
        offsets.sort(Integer::compare);
        return offsets;
    }

    private static void table(StringBuilder s, String name, String header, List<String> rows) {
        s.append("  <table name=\"").append(name).append("\"><![CDATA[").append(header).append("\r\n");
        rows.forEach(r -> s.append(r).append("\r\n"));
        s.append("]]></table>\n");
    }

    private static String attribute(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
