package dev.switchboard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.carrier.smpp.server.SmppAccount;
import dev.switchboard.inbox.model.PhoneNumber;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads {@code smpp.server.accounts}, naming the exact element when something is wrong. */
final class SmppAccountsReader {
    private static final Set<String> FIELDS = Set.of("systemId", "password", "numbers", "prefixes", "throughput", "sources");

    private SmppAccountsReader() {}

    static List<SmppAccount> read(String key, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("invalid configuration: " + key + " must be a list");
        }
        List<SmppAccount> accounts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode a = node.get(i);
            if (!a.isObject()) {
                throw new ConfigException("invalid configuration: " + at + " must be an object");
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new ConfigException("unknown configuration key '" + at + "." + f + "'");
                }
            }
            String systemId = text(a, at + ".systemId", 15);
            if (!ids.add(systemId)) {
                throw new ConfigException("invalid configuration: " + at + ".systemId '" + systemId + "' is used twice");
            }
            List<String> numbers = strings(a.get("numbers"), at + ".numbers");
            for (int n = 0; n < numbers.size(); n++) {
                if (!PhoneNumber.isValid(numbers.get(n))) {
                    throw new ConfigException("invalid configuration: " + at + ".numbers[" + n + "] must be an E.164 number");
                }
            }
            List<String> prefixes = strings(a.get("prefixes"), at + ".prefixes");
            for (int p = 0; p < prefixes.size(); p++) {
                if (!prefixes.get(p).matches("\\+[0-9]{1,15}")) {
                    throw new ConfigException("invalid configuration: " + at + ".prefixes[" + p + "] must be '+' and digits");
                }
            }
            JsonNode t = a.get("throughput");
            int throughput = 200;
            if (t != null && !t.isNull()) {
                if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1 || t.asInt() > 100_000) {
                    throw new ConfigException("invalid configuration: " + at + ".throughput must be an integer between 1 and 100000");
                }
                throughput = t.asInt();
            }
            List<java.util.regex.Pattern> sources = new ArrayList<>();
            List<String> sourceTexts = strings(a.get("sources"), at + ".sources");
            for (int s = 0; s < sourceTexts.size(); s++) {
                try {
                    sources.add(java.util.regex.Pattern.compile(sourceTexts.get(s)));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new ConfigException("invalid configuration: " + at + ".sources[" + s + "] is not a regular expression");
                }
            }
            accounts.add(new SmppAccount(systemId, text(a, at + ".password", 64), new HashSet<>(numbers), prefixes, throughput, sources));
        }
        return accounts;
    }

    private static String text(JsonNode a, String at, int max) {
        String field = at.substring(at.lastIndexOf('.') + 1);
        JsonNode v = a.get(field);
        if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
            throw new ConfigException("invalid configuration: " + at + " is required");
        }
        if (v.asText().length() > max) {
            throw new ConfigException("invalid configuration: " + at + " is longer than " + max + " characters");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode v, String at) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ConfigException("invalid configuration: " + at + " must be a list");
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }
}
