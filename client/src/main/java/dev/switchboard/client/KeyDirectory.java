package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified keys of the numbers this device talks to, as end-to-end messages need them: fetched
 * with {@link SwitchboardClient#verifiedKeys} (so every answer is checked and the {@link TrustStore}
 * sees it), kept until {@link #refresh} (a sender refreshes on a 409/410, as Signal's clients do,
 * rather than asking before every message), and a memory of which device identity keys a signed
 * device list vouched for.
 *
 * <p>That memory is what lets a device be trusted while its number's list is stale: a companion that
 * rotated its encryption key is no longer {@link VerifiedDevice#listed() listed} until the primary
 * signs again, but its new encryption key is signed by an identity key the account key did vouch
 * for, so it can still be written to; and a message from a device unlinked since can still be
 * checked against the identity key its list once carried. A device the gateway shows that no signed
 * list ever carried is never vouched for. When a file is given the memory is kept there (owner-only
 * JSON), so it survives restarts:
 * <pre>
 *   {"numbers": {"+3906...": {"accountKey": "&lt;b64url&gt;", "devices": {"dev_1": "&lt;identity key b64url&gt;"}}}}
 * </pre>
 * Thread-safe.
 */
public final class KeyDirectory {

    private final SwitchboardClient client;
    private final TrustStore trust;
    private final Path file;
    private final boolean posix;
    private final Map<String, Optional<VerifiedKeys>> cache = new HashMap<>();
    /** number -> the account key last seen, and the identity keys a list signed by it vouched for. */
    private final Map<String, Vouched> vouched = new HashMap<>();

    private record Vouched(byte[] accountKey, Map<String, byte[]> devices) {
    }

    /** A directory that remembers vouched identity keys only in memory. */
    public KeyDirectory(SwitchboardClient client, TrustStore trust) {
        this(client, trust, null);
    }

    /** A directory that keeps vouched identity keys in {@code file} (e.g. {@code seen-devices.json} of a device folder). */
    public KeyDirectory(SwitchboardClient client, TrustStore trust, Path file) {
        this.client = Objects.requireNonNull(client, "client");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.file = file == null ? null : file.toAbsolutePath().normalize();
        this.posix = this.file != null && OwnerOnlyFiles.posix(this.file.getParent());
        if (this.file != null) {
            load();
        }
    }

    /**
     * The verified keys of {@code number}, from the last fetch when there was one; empty when this
     * gateway does not serve the number (404), that is for a carrier (SMS/RCS) peer.
     *
     * @throws KeyVerificationException when the gateway's answer does not verify
     */
    public synchronized Optional<VerifiedKeys> keys(String number) {
        Optional<VerifiedKeys> cached = cache.get(number);
        return cached != null ? cached : refresh(number);
    }

    /** Fetches and verifies {@code number}'s keys again, replacing what was kept. */
    public synchronized Optional<VerifiedKeys> refresh(String number) {
        Objects.requireNonNull(number, "number");
        Optional<VerifiedKeys> fetched;
        try {
            fetched = Optional.of(client.verifiedKeys(number, trust));
        } catch (SwitchboardApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            fetched = Optional.empty();
        } catch (KeyVerificationException e) {
            cache.remove(number);
            throw e;
        }
        cache.put(number, fetched);
        fetched.ifPresent(this::remember);
        return fetched;
    }

    /** Drops what was kept of {@code number}'s keys (not the vouched identity keys): the next {@link #keys} fetches. */
    public synchronized void forget(String number) {
        cache.remove(number);
    }

    /**
     * Whether {@code device} of {@code keys} may be written to: the number's current signed list
     * lists it exactly, or its identity key is one a list signed by the same account key vouched for
     * before and its (new) encryption key is signed by that identity key.
     */
    public synchronized boolean vouchedFor(VerifiedKeys keys, VerifiedDevice device) {
        if (!device.encryptionKeySigned()) {
            return false;
        }
        if (device.listed()) {
            return true;
        }
        Vouched known = vouched.get(keys.number());
        if (known == null || keys.accountKey() == null || !Arrays.equals(known.accountKey(), keys.accountKey())) {
            return false;
        }
        byte[] identity = known.devices().get(device.deviceId());
        return identity != null && Arrays.equals(identity, device.identityKey());
    }

    /**
     * The identity key of {@code number}'s device {@code deviceId} that a signed device list vouched
     * for, now or before (a device unlinked since keeps it, for the messages it sent while linked).
     * When none is known the number's keys are fetched once more: the device may be new.
     */
    public synchronized Optional<byte[]> vouchedIdentityKey(String number, String deviceId) {
        Optional<byte[]> known = knownIdentity(number, deviceId);
        if (known.isPresent()) {
            return known;
        }
        refresh(number);
        return knownIdentity(number, deviceId);
    }

    /** As {@link #vouchedIdentityKey}, from what is known already: never fetches. */
    public synchronized Optional<byte[]> knownIdentityKey(String number, String deviceId) {
        return knownIdentity(number, deviceId);
    }

    // -----------------------------------------------------------------------------------------

    private Optional<byte[]> knownIdentity(String number, String deviceId) {
        Vouched known = vouched.get(number);
        byte[] key = known == null ? null : known.devices().get(deviceId);
        return Optional.ofNullable(key).map(byte[]::clone);
    }

    /** Identity keys of listed devices, under the account key that signed the list; a new account key starts over. */
    private void remember(VerifiedKeys keys) {
        byte[] accountKey = keys.accountKey();
        if (accountKey == null) {
            return;
        }
        Vouched known = vouched.get(keys.number());
        boolean changed = false;
        if (known == null || !Arrays.equals(known.accountKey(), accountKey)) {
            // Devices vouched for under an older account key are kept for checking what they sent,
            // but only the current account key vouches for writing to a device: see vouchedFor.
            Map<String, byte[]> devices = known == null ? new HashMap<>() : new HashMap<>(known.devices());
            known = new Vouched(accountKey, devices);
            vouched.put(keys.number(), known);
            changed = true;
        }
        for (VerifiedDevice device : keys.devices()) {
            if (device.listed()) {
                byte[] previous = known.devices().put(device.deviceId(), device.identityKey());
                changed |= previous == null || !Arrays.equals(previous, device.identityKey());
            }
        }
        if (changed) {
            save();
        }
    }

    private void load() {
        String text = OwnerOnlyFiles.read(file);
        if (text == null) {
            return;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            root.path("numbers").fields().forEachRemaining(entry -> {
                String accountKey = Json.optionalText(entry.getValue(), "accountKey");
                if (accountKey == null) {
                    return;
                }
                Map<String, byte[]> devices = new HashMap<>();
                entry.getValue().path("devices").fields()
                        .forEachRemaining(device -> devices.put(device.getKey(), Base64Url.decode(device.getValue().asText())));
                vouched.put(entry.getKey(), new Vouched(Base64Url.decode(accountKey), devices));
            });
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold the device identity keys seen before", e);
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode numbers = root.putObject("numbers");
        vouched.forEach((number, known) -> {
            ObjectNode entry = numbers.putObject(number).put("accountKey", Base64Url.encode(known.accountKey()));
            ObjectNode devices = entry.putObject("devices");
            known.devices().forEach((id, key) -> devices.put(id, Base64Url.encode(key)));
        });
        try {
            OwnerOnlyFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", posix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
