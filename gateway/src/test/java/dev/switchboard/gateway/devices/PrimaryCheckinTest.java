package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Companions go when the primary has not checked in for primaryCheckinDays; a check-in keeps them. */
class PrimaryCheckinTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    @Test
    void companionsAreUnlinkedWhenThePrimaryStaysAwayFourteenDays() throws Exception {
        Device away = gw.primary("+390655550001");
        Device awayLaptop = gw.link(away, "laptop");
        Device active = gw.primary("+390655550002");
        Device activeLaptop = gw.link(active, "laptop");

        gw.clock.advance(Duration.ofDays(8));
        active.client().devices(); // a request from the primary is its check-in
        awayLaptop.client().devices(); // a companion's request is not
        assertEquals(List.of(), await(gw.gateway().checkinSweeper().sweep()), "nobody is past 14 days yet");

        gw.clock.advance(Duration.ofDays(7));
        var unlinked = await(gw.gateway().checkinSweeper().sweep());
        assertEquals(List.of(awayLaptop.id()), unlinked.stream().map(d -> d.id()).toList());

        assertEquals(401, gw.get("/v1/devices", awayLaptop.token()).status());
        assertEquals(200, gw.get("/v1/devices", activeLaptop.token()).status());
        var reasons = away.client().sync(0, 1000).events().stream().filter(e -> e.type().equals("device.unlinked"))
                .map(e -> e.data().get("id").asText() + ":" + e.data().get("reason").asText()).toList();
        assertEquals(List.of(awayLaptop.id() + ":primary_inactive"), reasons);
        assertEquals(200, gw.get("/v1/devices", away.token()).status(), "the primary itself stays");
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
