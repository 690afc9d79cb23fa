package npuc.codegen;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Target;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.ScheduledSubgraph;

/** The command stream of one NPU subgraph: high-level commands, then NPU operations, then register commands. */
public final class CommandStreamGenerator {
    private CommandStreamGenerator() {
    }

    /** The NPU operations of {@code subgraph}, with the addresses {@code placement} gives. */
    public static List<NpuOperation> operations(ScheduledSubgraph subgraph, Target target,
                                                MemoryPlacement placement) {
        List<HighLevelCommand> commands = HighLevelCommandStream.of(subgraph, target);
        NpuOperationBuilder builder = new NpuOperationBuilder(target, placement, subgraph, commands);
        List<NpuOperation> ops = new ArrayList<>();
        for (HighLevelCommand c : commands) {
            NpuOperation op = builder.build(c);
            if (op != null) {
                ops.add(op);
            }
        }
        return ops;
    }

    /** One command stream per NPU subgraph of {@code schedule}, in order. */
    public static List<CommandStream> generate(NetworkSchedule schedule, Target target, MemoryPlacement placement) {
        List<CommandStream> out = new ArrayList<>();
        for (ScheduledSubgraph sg : schedule.subgraphs()) {
            out.add(generate(sg, target, placement));
        }
        return out;
    }

    public static CommandStream generate(ScheduledSubgraph subgraph, Target target, MemoryPlacement placement) {
        List<Command> commands = RegisterCommandStream.generate(operations(subgraph, target, placement),
                target.accelerator());
        return new CommandStream(subgraph.name(), target.accelerator(), CommandStreamDecoder.encode(commands));
    }
}
