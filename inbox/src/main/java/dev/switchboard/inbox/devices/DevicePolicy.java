package dev.switchboard.inbox.devices;

import java.time.Duration;

/** The limits of a number's device set, from configuration. */
public record DevicePolicy(int maxCompanions, Duration primaryCheckin, Duration linkTtl, Duration enrollmentTtl) {}
