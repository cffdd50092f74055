package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Tokens, enrollment codes, the database password and RCS credentials never appear in the gateway's log output. */
class SecretsStayOutOfLogsTest {
    @Test
    void noSecretIsEverLogged() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
        List<String> secrets;
        try (RbmProvider rbm = RbmProvider.start();
             TestGateway gw = TestGateway.start(Map.of("SWITCHBOARD_DATABASE_PASSWORD", "db-password-must-not-leak",
                     "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of("+390613131302"), Map.of())))) {
            String code = gw.serve("+390613131301");
            Device primary = gw.primary("+390613131302");
            Device laptop = gw.link(primary, "laptop");
            primary.client().send("+390613131301", "hello");
            gw.get("/v1/devices", "wrong-" + primary.token());
            gw.request("POST", "/v1/messages", primary.token(), "{bad json", Map.of("Idempotency-Key", "k"));
            // RCS: a send the provider refuses, a wrong handshake and a forged webhook.
            rbm.unreachable("+447700900999");
            primary.client().send("+447700900999", "over rcs?");
            Eventually.await("the capability check", java.time.Duration.ofSeconds(20),
                    () -> !rbm.capabilityChecks("+447700900999").isEmpty());
            gw.request("POST", "/hooks/rcs/" + RbmProvider.ID, null, "{\"clientToken\":\"wrong\",\"secret\":\"x\"}", Map.of());
            RbmProvider.Signed forged = RbmProvider.sign(RbmProvider.userText("+447700900998", "m1", "hi"));
            gw.request("POST", "/hooks/rcs/" + RbmProvider.ID, null, forged.body(), Map.of("X-Goog-Signature", "AAAA" + forged.signature()));
            secrets = List.of(gw.adminToken, code, primary.token(), laptop.token(), "db-password-must-not-leak",
                    RbmProvider.TOKEN, RbmProvider.CLIENT_TOKEN, forged.signature());
        } finally {
            root.detachAppender(captured);
        }
        assertTrue(captured.list.size() > 3, "the gateway did log something");
        // Positive controls, so the scan below can fail: it finds a value the gateway itself logged while
        // it ran (the RCS provider id, in the line listing the providers at start), and a planted secret
        // logged through a gateway logger, as an argument and inside a nested cause.
        assertFalse(leaks(captured.list, List.of(RbmProvider.ID)).isEmpty(), "the capture holds the gateway's own lines");
        String planted = "planted-" + java.util.UUID.randomUUID();
        String plantedInCause = "planted-" + java.util.UUID.randomUUID();
        List<ILoggingEvent> ofTheGateway = List.copyOf(captured.list);
        root.addAppender(captured);
        try {
            org.slf4j.Logger gatewayLog = LoggerFactory.getLogger("dev.switchboard.gateway.http.Replies");
            gatewayLog.warn("probe of the log scan: {}", planted);
            gatewayLog.warn("probe of the log scan", new IllegalStateException("outer", new RuntimeException(plantedInCause)));
        } finally {
            root.detachAppender(captured);
        }
        assertFalse(leaks(captured.list, List.of(planted)).isEmpty(), "the scan sees a secret given as an argument");
        assertFalse(leaks(captured.list, List.of(plantedInCause)).isEmpty(), "the scan sees a secret in a nested cause");

        assertEquals(List.of(), leaks(ofTheGateway, secrets), "no secret leaked into the log");
    }

    /** The captured lines (formatted message and the message of every throwable in the chain) that contain any of the values. */
    private static List<String> leaks(List<ILoggingEvent> events, List<String> values) {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(events)) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            if (values.stream().anyMatch(v -> line.indexOf(v) >= 0)) {
                out.add(line.toString());
            }
        }
        return out;
    }
}
