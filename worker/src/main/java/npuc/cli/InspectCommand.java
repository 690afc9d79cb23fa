package npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import npuc.graph.Graph;
import npuc.graph.ModelStatistics;
import npuc.graph.Subgraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code npuc inspect MODEL [--json]}: what a model contains, without compiling it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model's subgraphs, tensor and operator counts, operator histogram and constant bytes.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "TFLite model file")
    Path model;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Graph graph = ModelFiles.read(model);
        ModelStatistics stats = ModelStatistics.of(graph);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(stats));
        } else {
            printText(out, stats);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private String toJson(ModelStatistics stats) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", ModelFiles.networkName(model));
        root.put("file", model.toString());
        root.put("schema_version", stats.graph().version());
        root.put("description", stats.graph().description());
        root.put("subgraph_count", stats.graph().subgraphs().size());
        root.put("tensor_count", stats.tensorCount());
        root.put("operator_count", stats.operatorCount());
        root.put("operator_histogram", stats.operatorHistogram());
        root.put("constant_bytes", stats.constantBytes());
        root.put("buffer_count", stats.graph().buffers().size());
        List<Map<String, Object>> subgraphs = new ArrayList<>();
        for (Subgraph sg : stats.graph().subgraphs()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", sg.name());
            s.put("tensors", sg.tensors().size());
            s.put("operators", sg.operators().size());
            s.put("inputs", sg.inputs());
            s.put("outputs", sg.outputs());
            subgraphs.add(s);
        }
        root.put("subgraphs", subgraphs);
        root.put("metadata", stats.graph().metadata().stream().map(m -> m.name()).toList());
        root.put("signature_defs", stats.graph().signatureDefs().stream().map(s -> s.key()).toList());
        return new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    private void printText(PrintWriter out, ModelStatistics stats) {
        Graph g = stats.graph();
        out.printf("Model %s: schema version %d, %d subgraph(s)%n", ModelFiles.networkName(model), g.version(),
                g.subgraphs().size());
        if (g.description() != null && !g.description().isEmpty()) {
            out.printf("Description: %s%n", g.description());
        }
        for (int i = 0; i < g.subgraphs().size(); i++) {
            Subgraph sg = g.subgraphs().get(i);
            out.printf("Subgraph %d %s: %d tensors, %d operators, inputs %s, outputs %s%n", i,
                    sg.name() == null || sg.name().isEmpty() ? "(unnamed)" : '"' + sg.name() + '"',
                    sg.tensors().size(), sg.operators().size(), sg.inputs(), sg.outputs());
        }
        out.printf("Tensors: %d%n", stats.tensorCount());
        out.printf("Operators: %d%n", stats.operatorCount());
        int width = stats.operatorHistogram().keySet().stream().mapToInt(String::length).max().orElse(0);
        stats.operatorHistogram().forEach((name, count) -> out.printf("  %-" + width + "s %6d%n", name, count));
        out.printf("Constant bytes: %d in %d buffers%n", stats.constantBytes(), stats.constantBuffers());
        if (!g.metadata().isEmpty()) {
            out.printf("Metadata: %s%n", g.metadata().stream().map(m -> m.name()).toList());
        }
        if (!g.signatureDefs().isEmpty()) {
            out.printf("Signatures: %s%n", g.signatureDefs().stream().map(s -> s.key()).toList());
        }
    }
}
