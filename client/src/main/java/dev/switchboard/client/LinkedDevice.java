package dev.switchboard.client;

import java.util.Objects;

/** A completed link: the new companion's credentials and what its provisioning message told it. */
public record LinkedDevice(DeviceCredentials credentials, Provisioning provisioning) {

    public LinkedDevice {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(provisioning, "provisioning");
    }
}
