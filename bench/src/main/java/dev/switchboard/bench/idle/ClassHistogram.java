package dev.switchboard.bench.idle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live objects per class, from the JVM's own {@code GC.class_histogram} (a full GC first): the
 * difference of two tells what each added connection keeps alive.
 */
public record ClassHistogram(Map<String, long[]> byClass, long totalBytes) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    public static ClassHistogram take() {
        return parse(ProcessMemory.diagnosticCommand("gcClassHistogram"));
    }

    static ClassHistogram parse(String text) {
        Map<String, long[]> rows = new HashMap<>();
        long total = 0;
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                long instances = Long.parseLong(m.group(1));
                long bytes = Long.parseLong(m.group(2));
                rows.merge(m.group(3), new long[] {instances, bytes}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                total += bytes;
            }
        }
        return new ClassHistogram(Map.copyOf(rows), total);
    }

    /** What grew from {@code before} to this one, per connection of {@code connections}. */
    public Growth growthSince(ClassHistogram before, int connections) {
        int n = Math.max(1, connections);
        Map<String, double[]> growth = new HashMap<>();
        byClass.forEach((name, now) -> {
            long[] then = before.byClass.getOrDefault(name, new long[2]);
            growth.put(name, new double[] {(double) (now[0] - then[0]) / n, (double) (now[1] - then[1]) / n});
        });
        before.byClass.forEach((name, then) -> growth.putIfAbsent(name, new double[] {-(double) then[0] / n, -(double) then[1] / n}));
        return new Growth(growth);
    }

    /** Instances and bytes per connection, by class. */
    public record Growth(Map<String, double[]> perConnection) {
        /** This growth less {@code other}'s, class by class: what one connection holds here that it does not there. */
        public Growth minus(Growth other) {
            Map<String, double[]> diff = new HashMap<>();
            perConnection.forEach((name, g) -> {
                double[] o = other.perConnection.getOrDefault(name, new double[2]);
                diff.put(name, new double[] {g[0] - o[0], g[1] - o[1]});
            });
            other.perConnection.forEach((name, o) -> diff.putIfAbsent(name, new double[] {-o[0], -o[1]}));
            return new Growth(diff);
        }

        /** The {@code top} classes by bytes: {@code [{"class", "bytesPerConnection", "instancesPerConnection"}]}. */
        public JsonArray top(int top) {
            JsonArray out = new JsonArray();
            perConnection.entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[1]).reversed())
                    .limit(top)
                    .forEach(e -> out.add(new JsonObject().put("class", e.getKey()).put("bytesPerConnection", round(e.getValue()[1]))
                            .put("instancesPerConnection", round(e.getValue()[0]))));
            return out;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
