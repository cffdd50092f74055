package dev.switchboard.gateway;

import dev.switchboard.gateway.config.ConfigException;
import dev.switchboard.gateway.config.ConfigLoader;
import dev.switchboard.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;

/** {@code java -jar switchboard-gateway.jar [--config FILE]}: loads configuration and runs the gateway until SIGTERM. */
public final class Main {
    static final Path DEFAULT_CONFIG = Path.of("config", "gateway.yaml");

    private Main() {}

    public static void main(String[] args) {
        Path configFile = DEFAULT_CONFIG;
        boolean explicit = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
                explicit = true;
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: java -jar switchboard-gateway.jar [--config FILE]   (default " + DEFAULT_CONFIG + ")");
                return;
            } else {
                System.err.println("switchboard: unknown argument '" + args[i] + "' (try --help)");
                System.exit(2);
            }
        }
        GatewayConfig config;
        try {
            config = new ConfigLoader(System.getenv()).load(configFile, explicit);
        } catch (ConfigException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config, Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("switchboard: failed to start: " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (Exception e) {
                System.err.println("switchboard: unclean shutdown: " + e);
            }
        }, "shutdown"));
    }
}
