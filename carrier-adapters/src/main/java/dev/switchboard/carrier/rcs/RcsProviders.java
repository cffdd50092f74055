package dev.switchboard.carrier.rcs;

import io.vertx.core.Vertx;
import java.time.Clock;

/** Builds the provider implementation a configuration entry asks for. */
public final class RcsProviders {
    private RcsProviders() {}

    public static RcsProvider create(Vertx vertx, RcsProviderSettings settings) {
        return create(vertx, settings, Clock.systemUTC());
    }

    public static RcsProvider create(Vertx vertx, RcsProviderSettings settings, Clock clock) {
        return switch (settings.type()) {
            case RBM -> new RbmProvider(vertx, settings, clock);
            case MAAP -> new MaapProvider(vertx, settings, clock);
        };
    }
}
