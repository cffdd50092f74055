package dev.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Tokens, enrollment codes and the database password never appear in the gateway's log output. */
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
        try (TestGateway gw = TestGateway.start(Map.of("SWITCHBOARD_DATABASE_PASSWORD", "db-password-must-not-leak"))) {
            String code = gw.serve("+390613131301");
            Device primary = gw.primary("+390613131302");
            Device laptop = gw.link(primary, "laptop");
            primary.client().send("+390613131301", "hello");
            gw.get("/v1/devices", "wrong-" + primary.token());
            gw.request("POST", "/v1/messages", primary.token(), "{bad json", Map.of("Idempotency-Key", "k"));
            secrets = List.of(gw.adminToken, code, primary.token(), laptop.token(), "db-password-must-not-leak");
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
