package dev.switchboard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.carrier.receipt.IdBase;
import dev.switchboard.carrier.smpp.client.AddressFormat;
import dev.switchboard.carrier.smpp.client.SmppCarrierSettings;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.DataCoding0;
import dev.switchboard.carrier.sms.DataCoding1;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code smpp.carriers}: the SMSCs Switchboard binds to, with a default for every field but the address and credentials. */
final class SmppCarriersReader {
    private static final Set<String> FIELDS = Set.of("id", "host", "port", "systemId", "password", "systemType", "bindType", "binds",
            "window", "throughput", "dataCoding0", "dataCoding1", "receiptIdBase", "concatenation", "enquireLinkSeconds", "addressFormat", "prefixes");

    private SmppCarriersReader() {}

    static List<SmppCarrierSettings> read(String key, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("invalid configuration: " + key + " must be a list");
        }
        List<SmppCarrierSettings> carriers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            Entry e = new Entry(key + "[" + i + "]", node.get(i));
            String id = e.text("id", null);
            if (!ids.add(id)) {
                throw new ConfigException("invalid configuration: " + e.at + ".id '" + id + "' is used twice");
            }
            String bindType = e.text("bindType", "transceiver");
            SmppCarrierSettings.BindMode mode = switch (bindType) {
                case "transceiver" -> SmppCarrierSettings.BindMode.TRANSCEIVER;
                case "transmitter+receiver" -> SmppCarrierSettings.BindMode.TRANSMITTER_RECEIVER;
                default -> throw new ConfigException("invalid configuration: " + e.at + ".bindType must be transceiver or transmitter+receiver");
            };
            carriers.add(new SmppCarrierSettings(id, e.text("host", null), e.integer("port", null, 1, 65_535),
                    e.text("systemId", null), e.text("password", null), e.text("systemType", ""), mode,
                    e.integer("binds", 1, 1, 32), e.integer("window", 10, 1, 1_000), e.integer("throughput", 100, 1, 100_000),
                    e.choice("dataCoding0", "gsm7", DataCoding0.class), e.choice("dataCoding1", "ia5", DataCoding1.class),
                    e.choice("receiptIdBase", "hex", IdBase.class),
                    e.choice("concatenation", "udh8", ConcatMode.class), e.integer("enquireLinkSeconds", 30, 5, 3_600),
                    e.choice("addressFormat", "international", AddressFormat.class),
                    e.prefixes()));
        }
        return carriers;
    }

    private static final class Entry {
        final String at;
        final JsonNode node;

        Entry(String at, JsonNode node) {
            this.at = at;
            this.node = node;
            if (!node.isObject()) {
                throw new ConfigException("invalid configuration: " + at + " must be an object");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new ConfigException("unknown configuration key '" + at + "." + f + "'");
                }
            }
        }

        String text(String field, String defaultValue) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (defaultValue == null) {
                    throw new ConfigException("invalid configuration: " + at + "." + field + " is required");
                }
                return defaultValue;
            }
            if (!v.isValueNode()) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be a single value");
            }
            return v.asText();
        }

        int integer(String field, Integer defaultValue, int min, int max) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (defaultValue == null) {
                    throw new ConfigException("invalid configuration: " + at + "." + field + " is required");
                }
                return defaultValue;
            }
            if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " must be an integer between " + min + " and " + max);
            }
            return v.asInt();
        }

        <E extends Enum<E>> E choice(String field, String defaultValue, Class<E> type) {
            String value = text(field, defaultValue);
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid configuration: " + at + "." + field + " cannot be '" + value + "'");
            }
        }

        List<String> prefixes() {
            JsonNode v = node.get("prefixes");
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new ConfigException("invalid configuration: " + at + ".prefixes must be a list");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                String p = v.get(i).asText();
                if (!p.matches("\\+[0-9]{0,15}")) {
                    throw new ConfigException("invalid configuration: " + at + ".prefixes[" + i + "] must be '+' and digits");
                }
                out.add(p);
            }
            return out;
        }
    }
}
