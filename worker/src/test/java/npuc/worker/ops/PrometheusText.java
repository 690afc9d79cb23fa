package npuc.worker.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The samples of a Prometheus text exposition, to read figures back from a scrape. */
public record PrometheusText(List<PrometheusText.Sample> samples) {
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inside = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : inside.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new PrometheusText(samples);
    }

    /** The value of the one sample with this name whose labels include {@code labels}. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
            .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
        if (matching.size() > 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " match " + labels + ": " + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    public double value(String name) {
        return value(name, Map.of()).orElseThrow(() -> new AssertionError("no sample " + name));
    }

    public double value(String name, String label, String labelValue) {
        return value(name, Map.of(label, labelValue))
            .orElseThrow(() -> new AssertionError("no sample " + name + "{" + label + "=" + labelValue + "}"));
    }
}
