package dev.switchboard.gateway.http;

import dev.switchboard.gateway.config.Secret;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Hashes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** Bearer-token checks: device tokens against their stored hashes, the admin token in constant time. */
public final class Authenticator {
    private static final String DEVICE = "device";
    public static final String WS_PROTOCOL_PREFIX = "bearer.";

    private final DeviceService devices;
    private final Secret adminToken;

    public Authenticator(DeviceService devices, Secret adminToken) {
        this.devices = devices;
        this.adminToken = adminToken;
    }

    /** Route handler: authenticates the device and stores it on the context for the handlers after it. */
    public void requireDevice(RoutingContext ctx) {
        // Hold the body back while the token is checked, so a body handler after this one still sees all of it.
        boolean ended = ctx.request().isEnded();
        if (!ended) {
            ctx.request().pause();
        }
        devices.authenticate(bearer(ctx.request()))
                .onSuccess(device -> {
                    ctx.put(DEVICE, device);
                    ctx.next();
                    if (!ended) {
                        ctx.request().resume();
                    }
                })
                .onFailure(e -> {
                    if (!ended) {
                        ctx.request().resume();
                    }
                    Replies.fail(ctx, e);
                });
    }

    public void requireAdmin(RoutingContext ctx) {
        String token = bearer(ctx.request());
        byte[] presented = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        // Hash both sides so the comparison time does not depend on the token's length either.
        if (Hashes.constantTimeEquals(Hashes.sha256(presented), Hashes.sha256(adminToken.value()))) {
            ctx.next();
        } else {
            Replies.error(ctx, 401, "unauthorized", "the admin token is required");
        }
    }

    public Future<Device> webSocketDevice(HttpServerRequest request) {
        String token = bearer(request);
        if (token == null) {
            String protocols = request.getHeader("Sec-WebSocket-Protocol");
            if (protocols != null) {
                for (String p : protocols.split(",")) {
                    if (p.trim().startsWith(WS_PROTOCOL_PREFIX)) {
                        token = p.trim().substring(WS_PROTOCOL_PREFIX.length());
                    }
                }
            }
        }
        return devices.authenticate(token);
    }

    public static Device device(RoutingContext ctx) {
        Device device = ctx.get(DEVICE);
        if (device == null) {
            throw new InboxException(InboxException.Kind.UNAUTHORIZED, "unauthorized", "a valid device token is required");
        }
        return device;
    }

    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
