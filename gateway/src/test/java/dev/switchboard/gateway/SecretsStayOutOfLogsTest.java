package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
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
        for (ILoggingEvent event : captured.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret leaked into: " + line);
            }
        }
    }
}
