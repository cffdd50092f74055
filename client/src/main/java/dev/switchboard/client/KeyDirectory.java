package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.ListedDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The verified keys of the numbers this device talks to, as end-to-end messages need them: fetched
 * with {@link SwitchboardClient#verifiedKeys} (so every answer is checked and the {@link TrustStore}
 * sees it), kept until {@link #refresh} (a sender refreshes on a 409/410, as Signal's clients do,
 * rather than asking before every message), and a memory of every signed device list seen.
 *
 * <p>The gateway is the adversary here, so the two uses of that memory are kept apart:
 * <ul>
 *   <li><b>Writing</b> ({@link #vouchedFor}): a device is written to only if the signed list the
 *       number's keys verified with (the latest version this device saw under the number's current
 *       account key) carries its identity key. Its encryption key may differ from the listed one (a
 *       rotation the primary did not sign yet) if the listed identity key signed it. A device that a
 *       newer list dropped (unlinked), or that only a list under an earlier account key carried, is
 *       never written to again, whatever the gateway shows.</li>
 *   <li><b>Reading</b> ({@link #senderKey}, {@link #listedAt}): the identity key of a sending device
 *       comes from any list seen, with its {@link Standing} (still listed, unlinked since, or only
 *       under a previous account key), and the device set of every list version seen is kept so that
 *       the targets of a message can be checked against the versions its header names.</li>
 * </ul>
 * When a file is given the memory is kept there (owner-only JSON), so it survives restarts:
 * <pre>
 *   {"numbers": {"+3906...": {"accountKey": "&lt;current account key b64url&gt;",
 *                            "lists": {"&lt;account key b64url&gt;": {"7": {"dev_1": "&lt;identity key b64url&gt;"}}}}}}
 * </pre>
 * (a file of the earlier format, {@code {"accountKey", "devices": {id: identity key}}}, is read as
 * the identity keys of a list of unknown version under that account key). At most
 * {@value #MAX_VERSIONS} versions are kept per account key, the newest. Thread-safe.
 */
public final class KeyDirectory {

    /** The most list versions remembered per account key of a number. */
    static final int MAX_VERSIONS = 256;

    /** How a device that sent a message stands with its number's signed lists, as this device saw them. */
    public enum Standing {
        /** In the latest signed list seen under the number's current account key. */
        LISTED,
        /** Listed under the number's current account key before, but not in the latest list: unlinked since. */
        UNLINKED,
        /** Listed only under an account key the number does not show any more (a previous primary). */
        PREVIOUS_ACCOUNT_KEY
    }

    /**
     * The identity key a signed list carried for a device, and how that device stands now.
     *
     * @param listVersion the version of the newest list that carried it (0: from an older memory, version unknown)
     */
    public record SenderKey(byte[] identityKey, Standing standing, long listVersion) {

        public SenderKey {
            identityKey = identityKey.clone();
            Objects.requireNonNull(standing, "standing");
        }

        @Override
        public byte[] identityKey() {
            return identityKey.clone();
        }
    }

    private final SwitchboardClient client;
    private final TrustStore trust;
    private final Path file;
    private final boolean posix;
    private final Map<String, Optional<VerifiedKeys>> cache = new HashMap<>();
    /** number -> the lists seen. */
    private final Map<String, Lists> lists = new HashMap<>();
    /** number -> the highest list version a fetch was made for already (a header may name one the gateway never shows). */
    private final Map<String, Long> fetchedFor = new HashMap<>();

    /** The signed lists of one number seen here: per account key (b64url), per version, device id -> identity key. */
    private static final class Lists {
        String accountKey;
        final Map<String, TreeMap<Long, Map<String, byte[]>>> byKey = new LinkedHashMap<>();

        TreeMap<Long, Map<String, byte[]>> under(String key) {
            return key == null ? null : byKey.get(key);
        }

        /** The newest version seen under {@code key} (0 when only an older memory's list, -1 when none). */
        long latest(String key) {
            TreeMap<Long, Map<String, byte[]>> versions = under(key);
            return versions == null || versions.isEmpty() ? -1 : versions.lastKey();
        }
    }

    /** A directory that remembers the lists seen only in memory. */
    public KeyDirectory(SwitchboardClient client, TrustStore trust) {
        this(client, trust, null);
    }

    /** A directory that keeps the lists seen in {@code file} (e.g. {@code seen-devices.json} of a device folder). */
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
     * gateway says it does not serve the number (404). Whether that may be believed is the caller's
     * decision: see {@link #hadSignedList}.
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

    /** Drops what was kept of {@code number}'s keys (not the lists seen): the next {@link #keys} fetches. */
    public synchronized void forget(String number) {
        cache.remove(number);
    }

    /**
     * Whether this device ever verified a device list of {@code number} signed by its account key
     * (under any account key). Such a number was end-to-end capable; a gateway answer saying
     * otherwise (404, a device without a signed key) is no reason to write to it in the clear.
     */
    public synchronized boolean hadSignedList(String number) {
        Lists known = lists.get(number);
        return known != null && known.byKey.values().stream().anyMatch(versions -> !versions.isEmpty());
    }

    /**
     * Whether {@code device} of {@code keys} may be written to: its encryption key is signed by its
     * identity key, and the signed list {@code keys} verified with (not older than the newest this
     * directory saw under the same account key) carries the device under that identity key. Devices
     * the gateway shows that this list does not carry (never linked, or unlinked since, or listed only
     * under a previous account key) are not vouched for.
     */
    public synchronized boolean vouchedFor(VerifiedKeys keys, VerifiedDevice device) {
        byte[] accountKey = keys.accountKey();
        if (!device.encryptionKeySigned() || !keys.hasSignedList() || accountKey == null) {
            return false;
        }
        Lists known = lists.get(keys.number());
        if (known != null && keys.listVersion() < known.latest(Base64Url.encode(accountKey))) {
            return false;
        }
        Optional<ListedDevice> listed = keys.listedDevice(device.deviceId());
        return listed.isPresent()
                && Arrays.equals(listed.get().identityKey(), device.identityKey())
                && listed.get().kind().equals(device.kind());
    }

    /**
     * The identity key that a signed list of {@code number} carried for {@code deviceId}, and how
     * the device stands now. The number's keys are fetched first when they were not fetched yet by
     * this directory, when this device knows no list of {@code listVersion} or later under the current
     * account key (the sender's header names a newer list), or when it does not know the device at
     * all (it may be new).
     */
    public synchronized Optional<SenderKey> senderKey(String number, String deviceId, long listVersion) {
        // Fetched at least once per process, so that a list that dropped the device is seen.
        if (!cache.containsKey(number) || find(number, deviceId).isEmpty() || behind(number, listVersion)) {
            refresh(number);
        }
        return find(number, deviceId);
    }

    /**
     * Whether {@code number}'s signed list at {@code version} (under the current account key when
     * this device saw that version under it, else under an earlier one) carries {@code deviceId};
     * empty when this device never saw that version, so it cannot tell. A version newer than any
     * seen is fetched first.
     */
    public synchronized Optional<Boolean> listedAt(String number, long version, String deviceId) {
        if (version <= 0) {
            return Optional.empty();
        }
        Lists known = lists.get(number);
        if (behind(number, version)) {
            try {
                refresh(number);
            } catch (SwitchboardApiException | UncheckedIOException e) {
                // Cannot look: what is known decides.
            }
            known = lists.get(number);
        }
        if (known == null) {
            return Optional.empty();
        }
        Map<String, byte[]> devices = null;
        TreeMap<Long, Map<String, byte[]>> current = known.under(known.accountKey);
        if (current != null) {
            devices = current.get(version);
        }
        if (devices == null) {
            for (TreeMap<Long, Map<String, byte[]>> versions : known.byKey.values()) {
                Map<String, byte[]> other = versions.get(version);
                if (other != null) {
                    devices = other;
                    if (other.containsKey(deviceId)) {
                        break;
                    }
                }
            }
        }
        return devices == null ? Optional.empty() : Optional.of(devices.containsKey(deviceId));
    }

    // -----------------------------------------------------------------------------------------

    /**
     * Whether no list of {@code version} or later is known under {@code number}'s current account key
     * and none was fetched for it yet: worth one fetch, not one per message.
     */
    private boolean behind(String number, long version) {
        Lists known = lists.get(number);
        if (known != null && known.latest(known.accountKey) >= version) {
            return false;
        }
        if (fetchedFor.getOrDefault(number, -1L) >= version) {
            return false;
        }
        fetchedFor.merge(number, version, Math::max);
        return true;
    }

    private Optional<SenderKey> find(String number, String deviceId) {
        Lists known = lists.get(number);
        if (known == null) {
            return Optional.empty();
        }
        TreeMap<Long, Map<String, byte[]>> current = known.under(known.accountKey);
        if (current != null && !current.isEmpty()) {
            Map.Entry<Long, Map<String, byte[]>> latest = current.lastEntry();
            byte[] key = latest.getValue().get(deviceId);
            if (key != null && latest.getKey() > 0) {
                return Optional.of(new SenderKey(key, Standing.LISTED, latest.getKey()));
            }
            for (Map.Entry<Long, Map<String, byte[]>> version : current.descendingMap().entrySet()) {
                byte[] earlier = version.getValue().get(deviceId);
                if (earlier != null) {
                    return Optional.of(new SenderKey(earlier, Standing.UNLINKED, version.getKey()));
                }
            }
        }
        for (Map.Entry<String, TreeMap<Long, Map<String, byte[]>>> other : known.byKey.entrySet()) {
            if (other.getKey().equals(known.accountKey)) {
                continue;
            }
            for (Map.Entry<Long, Map<String, byte[]>> version : other.getValue().descendingMap().entrySet()) {
                byte[] earlier = version.getValue().get(deviceId);
                if (earlier != null) {
                    return Optional.of(new SenderKey(earlier, Standing.PREVIOUS_ACCOUNT_KEY, version.getKey()));
                }
            }
        }
        return Optional.empty();
    }

    /** The account key shown and, when a list verified with it, the devices that list carries at its version. */
    private void remember(VerifiedKeys keys) {
        byte[] accountKey = keys.accountKey();
        Lists known = lists.computeIfAbsent(keys.number(), number -> new Lists());
        String key = accountKey == null ? null : Base64Url.encode(accountKey);
        boolean changed = !Objects.equals(known.accountKey, key);
        known.accountKey = key;
        if (key != null && keys.hasSignedList() && !keys.listedDevices().isEmpty()) {
            TreeMap<Long, Map<String, byte[]>> versions = known.byKey.computeIfAbsent(key, k -> new TreeMap<>());
            if (!versions.containsKey(keys.listVersion())) {
                Map<String, byte[]> devices = new TreeMap<>();
                for (ListedDevice device : keys.listedDevices()) {
                    devices.put(device.deviceId(), device.identityKey());
                }
                versions.put(keys.listVersion(), devices);
                while (versions.size() > MAX_VERSIONS) {
                    versions.pollFirstEntry();
                }
                changed = true;
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
                Lists known = new Lists();
                known.accountKey = Json.optionalText(entry.getValue(), "accountKey");
                entry.getValue().path("lists").fields().forEachRemaining(byKey -> {
                    TreeMap<Long, Map<String, byte[]>> versions = new TreeMap<>();
                    byKey.getValue().fields().forEachRemaining(version -> versions.put(Long.parseLong(version.getKey()),
                            devices(version.getValue())));
                    known.byKey.put(byKey.getKey(), versions);
                });
                JsonNode legacy = entry.getValue().path("devices");
                if (legacy.isObject() && known.accountKey != null && !known.byKey.containsKey(known.accountKey)) {
                    TreeMap<Long, Map<String, byte[]>> versions = new TreeMap<>();
                    versions.put(0L, devices(legacy));
                    known.byKey.put(known.accountKey, versions);
                }
                lists.put(entry.getKey(), known);
            });
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold the device lists seen before", e);
        }
    }

    private static Map<String, byte[]> devices(JsonNode node) {
        Map<String, byte[]> devices = new TreeMap<>();
        node.fields().forEachRemaining(device -> devices.put(device.getKey(), Base64Url.decode(device.getValue().asText())));
        return devices;
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode numbers = root.putObject("numbers");
        new TreeMap<>(lists).forEach((number, known) -> {
            ObjectNode entry = numbers.putObject(number);
            if (known.accountKey == null) {
                entry.putNull("accountKey");
            } else {
                entry.put("accountKey", known.accountKey);
            }
            ObjectNode byKey = entry.putObject("lists");
            known.byKey.forEach((key, versions) -> {
                ObjectNode out = byKey.putObject(key);
                versions.forEach((version, devices) -> {
                    ObjectNode listed = out.putObject(Long.toString(version));
                    devices.forEach((id, identity) -> listed.put(id, Base64Url.encode(identity)));
                });
            });
        });
        try {
            OwnerOnlyFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", posix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
