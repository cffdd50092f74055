package dev.switchboard.gateway.support;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.SwitchboardClient;

/** A device in a test: its keys, credentials and an authenticated client. */
public record Device(DeviceKeys keys, DeviceCredentials credentials, SwitchboardClient client) {
    public String id() { return credentials.deviceId(); }

    public String number() { return credentials.number(); }

    public String token() { return credentials.token(); }
}
