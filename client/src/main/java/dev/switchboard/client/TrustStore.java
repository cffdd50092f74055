package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What this device learned about other numbers' keys, so that the gateway cannot quietly take it
 * back: per number, the account key last seen, whether a change to it is still unacknowledged, and
 * the highest signed device list version seen under each account key the number ever showed. It
 * lives in a small JSON file ({@code trust.json} in the {@link DeviceFolder}), written atomically
 * and owner-only, so it survives restarts:
 * <pre>
 *   {"numbers": {"+390611111111": {"highestVersion": 3, "accountKey": "&lt;base64url&gt;",
 *                                  "changeUnacknowledged": false,
 *                                  "versions": {"&lt;base64url&gt;": 3, "&lt;an earlier key&gt;": 5},
 *                                  "digests": {"&lt;base64url&gt;": {"2": "&lt;sha-256&gt;", "3": "&lt;sha-256&gt;"}}}}}
 * </pre>
 * ({@code highestVersion} is the entry of {@code versions} for {@code accountKey}; entries written
 * before {@code versions} existed count as a map of that one key.)
 *
 * <p>Rules ({@link #accept}): under an account key the list version may only go up (an older
 * list, or none after one was seen, is a rollback and refused), and this holds per key across
 * changes: switching to another key and back does not reset the old key's highest version. A
 * different account key than the one last seen means a new primary (or an impostor): it is
 * remembered and reported as changed on every check until the user {@linkplain #acknowledge
 * acknowledges} it, having compared the security code again. The first key seen for a number is
 * trusted on first use; the security code is how users check it. Per account key, the SHA-256 of
 * the canonical bytes of each list version accepted (the last {@value #KEPT_DIGESTS}) is kept too: a
 * different list with a version already accepted is not a newer list but a second one the account
 * key never meant (a gateway showing different lists to different devices, or replaying one the
 * primary replaced), and is refused ({@link KeyVerificationException.Reason#EQUIVOCATION}).
 *
 * <p>Methods are synchronized per instance; use one instance per file and process.
 */
public final class TrustStore {

    /**
     * What is remembered about one number.
     *
     * @param highestVersion       the highest list version seen under {@code accountKey}
     * @param accountKey           base64url, or null if none was seen yet
     * @param changeUnacknowledged the account key changed and the user did not {@linkplain #acknowledge acknowledge} it yet
     */
    public record Peer(long highestVersion, String accountKey, boolean changeUnacknowledged) {

        public Peer(long highestVersion, String accountKey) {
            this(highestVersion, accountKey, false);
        }

        /** The remembered account key as raw bytes, if any. */
        public Optional<byte[]> rawAccountKey() {
            return Optional.ofNullable(accountKey).map(Base64Url::decode);
        }
    }

    /** How many list digests are kept per account key. */
    static final int KEPT_DIGESTS = 32;

    private final Path file;
    private final boolean posix;

    public TrustStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.posix = OwnerOnlyFiles.posix(this.file.getParent());
    }

    public Path file() {
        return file;
    }

    /** What is remembered about {@code number}; empty if its keys were never verified here. */
    public synchronized Optional<Peer> peer(String number) {
        JsonNode entry = load().path("numbers").path(number);
        if (!entry.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Peer(entry.path("highestVersion").asLong(0), Json.optionalText(entry, "accountKey"),
                entry.path("changeUnacknowledged").asBoolean(false)));
    }

    /**
     * Overwrites what is remembered about {@code number}: for importing trust from elsewhere, or for
     * a user who re-verified a changed key out of band. {@code accountKey} may be null. The highest
     * version of {@code accountKey} becomes {@code highestVersion}; those remembered for other keys
     * are kept (they only ever protect against rollbacks). A pending account key change counts as
     * acknowledged.
     */
    public synchronized void put(String number, long highestVersion, byte[] accountKey) {
        Objects.requireNonNull(number, "number");
        if (highestVersion < 0) {
            throw new IllegalArgumentException("highestVersion must not be negative: " + highestVersion);
        }
        ObjectNode root = load();
        Map<String, Long> versions = versions(root.path("numbers").path(number));
        String key = accountKey == null ? null : Base64Url.encode(accountKey);
        if (key != null) {
            versions.put(key, highestVersion);
        }
        Map<String, Map<Long, String>> digests = digests(root.path("numbers").path(number));
        putEntry(root, number, highestVersion, key, false, versions);
        putDigests(root, number, digests);
        save(root);
    }

    /**
     * Acknowledges a change of {@code number}'s account key: the user compared the security code
     * under the key last seen (the one {@link #peer} shows), and {@link #accept} stops reporting the
     * change. Nothing is fetched: what is acknowledged is exactly the key remembered here, so a key
     * that changed again since is reported again.
     *
     * @return whether there was an unacknowledged change (false for a number never seen, too)
     */
    public synchronized boolean acknowledge(String number) {
        Objects.requireNonNull(number, "number");
        ObjectNode root = load();
        if (!(root.path("numbers").path(number) instanceof ObjectNode entry)
                || !entry.path("changeUnacknowledged").asBoolean(false)) {
            return false;
        }
        entry.put("changeUnacknowledged", false);
        save(root);
        return true;
    }

    /**
     * Checks a verified answer for {@code number} against what is remembered and remembers it.
     *
     * @param accountKey  the account key the answer showed (raw 32 bytes), or null if the number has no primary
     * @param listVersion the version of the signed list that verified with {@code accountKey}, 0 if none did
     * @return whether the account key changed from one remembered before and the user did not
     *         {@linkplain #acknowledge acknowledge} it yet (false the first time): true from the
     *         answer that shows a new key on, until acknowledged
     * @throws KeyVerificationException ({@link KeyVerificationException.Reason#ROLLBACK}) when
     *         {@code listVersion} is lower than the highest seen under {@code accountKey} (under the
     *         remembered key when {@code accountKey} is null), even if other keys were seen since
     */
    public synchronized boolean accept(String number, byte[] accountKey, long listVersion) {
        return accept(number, accountKey, listVersion, null);
    }

    /**
     * {@link #accept(String, byte[], long)}, remembering also the SHA-256 of the list's canonical
     * bytes ({@code listDigest}, null when unknown) for its version under {@code accountKey}.
     *
     * @throws KeyVerificationException ({@link KeyVerificationException.Reason#EQUIVOCATION}) when
     *         a list with the same version but another digest was accepted before under that key
     */
    public synchronized boolean accept(String number, byte[] accountKey, long listVersion, byte[] listDigest) {
        Objects.requireNonNull(number, "number");
        if (listVersion < 0 || (accountKey == null && listVersion > 0)) {
            throw new IllegalArgumentException("a list version of " + listVersion + " with "
                    + (accountKey == null ? "no" : "an") + " account key");
        }
        ObjectNode root = load();
        JsonNode entry = root.path("numbers").path(number);
        boolean known = entry.isObject();
        String storedKey = Json.optionalText(entry, "accountKey");
        long storedVersion = entry.path("highestVersion").asLong(0);
        boolean unacknowledged = entry.path("changeUnacknowledged").asBoolean(false);
        Map<String, Long> versions = versions(entry);

        boolean changed = storedKey != null && accountKey != null
                && !Arrays.equals(Base64Url.decode(storedKey), accountKey);
        String key = accountKey != null ? Base64Url.encode(accountKey) : storedKey;
        long floor = key == null ? storedVersion : versions.getOrDefault(key, 0L);
        if (listVersion < floor) {
            String under = changed ? " under the account key it shows now (seen before the last change)" : "";
            throw new KeyVerificationException(number, KeyVerificationException.Reason.ROLLBACK, listVersion == 0
                    ? "the gateway shows no device list of " + number + " signed by its account key, but version "
                            + floor + " was seen before" + under + ": refusing a rollback"
                    : "the device list of " + number + " is at version " + listVersion + ", but version "
                            + floor + " was seen before" + under + ": refusing a rollback");
        }
        Map<String, Map<Long, String>> digests = digests(entry);
        boolean newDigest = false;
        if (listDigest != null && key != null && listVersion > 0) {
            String digest = Base64Url.encode(listDigest);
            Map<Long, String> ofKey = digests.computeIfAbsent(key, k -> new java.util.TreeMap<>());
            String seen = ofKey.get(listVersion);
            if (seen != null && !seen.equals(digest)) {
                throw new KeyVerificationException(number, KeyVerificationException.Reason.EQUIVOCATION,
                        "the gateway shows a device list of " + number + " with version " + listVersion
                                + " that differs from the version " + listVersion + " seen before: two different lists"
                                + " with one version are not something the account key signs; the gateway is showing"
                                + " different lists to different devices or replaying a replaced one: refusing it");
            }
            if (seen == null) {
                ofKey.put(listVersion, digest);
                while (ofKey.size() > KEPT_DIGESTS) {
                    ofKey.remove(((java.util.TreeMap<Long, String>) ofKey).firstKey());
                }
                newDigest = true;
            }
        }
        long highest = Math.max(floor, listVersion);
        boolean nowUnacknowledged = unacknowledged || changed;
        boolean legacy = known && key != null && !entry.path("versions").isObject();
        if (!known || changed || legacy || newDigest || highest != storedVersion || !Objects.equals(key, storedKey)
                || (key != null && versions.get(key) == null)) {
            if (key != null) {
                versions.put(key, highest);
            }
            putEntry(root, number, highest, key, nowUnacknowledged, versions);
            putDigests(root, number, digests);
            save(root);
        }
        return nowUnacknowledged;
    }

    // -----------------------------------------------------------------------------------------

    /** The highest version seen per account key; an entry from before the map counts its one key. */
    private static Map<String, Long> versions(JsonNode entry) {
        Map<String, Long> versions = new LinkedHashMap<>();
        JsonNode map = entry.path("versions");
        if (map.isObject()) {
            map.fields().forEachRemaining(field -> versions.put(field.getKey(), field.getValue().asLong(0)));
        } else {
            String key = Json.optionalText(entry, "accountKey");
            if (key != null) {
                versions.put(key, entry.path("highestVersion").asLong(0));
            }
        }
        return versions;
    }

    /** The list digests remembered per account key and version. */
    private static Map<String, Map<Long, String>> digests(JsonNode entry) {
        Map<String, Map<Long, String>> digests = new LinkedHashMap<>();
        entry.path("digests").fields().forEachRemaining(ofKey -> {
            Map<Long, String> versions = new java.util.TreeMap<>();
            ofKey.getValue().fields().forEachRemaining(version -> {
                try {
                    versions.put(Long.parseLong(version.getKey()), version.getValue().asText());
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("a trust store entry has a digest for version '" + version.getKey() + "'");
                }
            });
            digests.put(ofKey.getKey(), versions);
        });
        return digests;
    }

    private static void putDigests(ObjectNode root, String number, Map<String, Map<Long, String>> digests) {
        if (digests.isEmpty()) {
            return;
        }
        ObjectNode map = ((ObjectNode) root.path("numbers").path(number)).putObject("digests");
        digests.forEach((key, versions) -> {
            ObjectNode ofKey = map.putObject(key);
            versions.forEach((version, digest) -> ofKey.put(Long.toString(version), digest));
        });
    }

    private static void putEntry(ObjectNode root, String number, long highestVersion, String accountKey,
            boolean changeUnacknowledged, Map<String, Long> versions) {
        ObjectNode numbers = root.path("numbers") instanceof ObjectNode existing ? existing : root.putObject("numbers");
        ObjectNode entry = numbers.putObject(number);
        entry.put("highestVersion", highestVersion);
        if (accountKey == null) {
            entry.putNull("accountKey");
        } else {
            entry.put("accountKey", accountKey);
        }
        entry.put("changeUnacknowledged", changeUnacknowledged);
        ObjectNode map = entry.putObject("versions");
        versions.forEach(map::put);
    }

    private ObjectNode load() {
        String text = OwnerOnlyFiles.read(file);
        if (text == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (!(node instanceof ObjectNode root) || !(root.path("numbers").isObject() || root.path("numbers").isMissingNode())) {
                throw new IllegalStateException(file + " is not a trust store");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON", e);
        }
    }

    private void save(ObjectNode root) {
        try {
            OwnerOnlyFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", posix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
