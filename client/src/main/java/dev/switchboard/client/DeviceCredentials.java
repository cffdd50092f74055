package dev.switchboard.client;

import java.util.Objects;

/**
 * What a device needs to talk to the gateway as itself: the number it belongs to, its id and its
 * bearer token. The token is a secret, so {@link #toString()} does not print it.
 */
public record DeviceCredentials(String number, String deviceId, String token) {

    public DeviceCredentials {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "DeviceCredentials[number=" + number + ", deviceId=" + deviceId + ", token=[REDACTED]]";
    }
}
