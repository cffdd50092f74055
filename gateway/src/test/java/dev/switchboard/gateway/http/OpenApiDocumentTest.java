package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.gateway.support.TestGateway;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the router describe the same operations, so neither can drift. */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Test
    void everyRoutedOperationIsDocumentedAndEveryDocumentedOneIsRouted() throws Exception {
        Set<String> documented = new TreeSet<>();
        JsonNode doc;
        try (var in = getClass().getResourceAsStream("/openapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        Iterator<String> paths = doc.get("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            doc.get("paths").get(path).fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    documented.add(m.toUpperCase() + " " + path.replaceAll("\\{[^}]+}", "*"));
                }
            });
        }
        Set<String> routed = new TreeSet<>();
        try (TestGateway gw = TestGateway.start()) {
            gw.gateway().operations().forEach(op -> routed.add(op.replaceAll(":[A-Za-z]+", "*")));
        }
        assertEquals(documented, routed);
    }
}
