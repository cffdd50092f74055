package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --quick} plus {@code --key value} / {@code --key=value} options. */
public record Options(boolean quick, Map<String, String> values) {
    public static Options parse(List<String> args) {
        boolean quick = false;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--") && a.contains("=")) {
                values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--") && i + 1 < args.size()) {
                values.put(a.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
        }
        return new Options(quick, Map.copyOf(values));
    }

    public int integer(String key, int quickDefault, int fullDefault) {
        String v = values.get(key);
        return v == null ? (quick ? quickDefault : fullDefault) : Integer.parseInt(v);
    }

    /** Where result files go: {@code --results DIR}, by default {@code bench/results} (run from the repository root). */
    public Path resultsDir() {
        return Path.of(values.getOrDefault("results", "bench/results"));
    }
}
