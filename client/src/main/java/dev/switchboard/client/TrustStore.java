package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What this device learned about other numbers' keys, so that the gateway cannot quietly take it
 * back: per number, the highest signed device list version seen and the account key last seen. It
 * lives in a small JSON file ({@code trust.json} in the {@link DeviceFolder}), written atomically
 * and owner-only, so it survives restarts:
 * <pre>
 *   {"numbers": {"+390611111111": {"highestVersion": 3, "accountKey": "&lt;base64url&gt;"}}}
 * </pre>
 *
 * <p>Rules ({@link #accept}): under the same account key the list version may only go up (an older
 * list, or none after one was seen, is a rollback and refused). A different account key means a
 * new primary (or an impostor): it is reported as changed, remembered, and its lists are counted
 * from scratch, since versions are only comparable under the key that signed them. The first key
 * seen for a number is trusted on first use; the security code is how users check it.
 *
 * <p>Methods are synchronized per instance; use one instance per file and process.
 */
public final class TrustStore {

    /** What is remembered about one number; {@code accountKey} is base64url, or null if none was seen yet. */
    public record Peer(long highestVersion, String accountKey) {

        /** The remembered account key as raw bytes, if any. */
        public Optional<byte[]> rawAccountKey() {
            return Optional.ofNullable(accountKey).map(Base64Url::decode);
        }
    }

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
        return Optional.of(new Peer(entry.path("highestVersion").asLong(0), Json.optionalText(entry, "accountKey")));
    }

    /**
     * Overwrites what is remembered about {@code number}: for importing trust from elsewhere, or for
     * a user who re-verified a changed key out of band. {@code accountKey} may be null.
     */
    public synchronized void put(String number, long highestVersion, byte[] accountKey) {
        Objects.requireNonNull(number, "number");
        if (highestVersion < 0) {
            throw new IllegalArgumentException("highestVersion must not be negative: " + highestVersion);
        }
        ObjectNode root = load();
        ObjectNode numbers = root.path("numbers") instanceof ObjectNode existing ? existing : root.putObject("numbers");
        ObjectNode entry = numbers.putObject(number);
        entry.put("highestVersion", highestVersion);
        if (accountKey == null) {
            entry.putNull("accountKey");
        } else {
            entry.put("accountKey", Base64Url.encode(accountKey));
        }
        save(root);
    }

    /**
     * Checks a verified answer for {@code number} against what is remembered and remembers it.
     *
     * @param accountKey  the account key the answer showed (raw 32 bytes), or null if the number has no primary
     * @param listVersion the version of the signed list that verified with {@code accountKey}, 0 if none did
     * @return whether the account key differs from the one remembered (false the first time)
     * @throws KeyVerificationException ({@link KeyVerificationException.Reason#ROLLBACK}) when, under
     *         the remembered account key, {@code listVersion} is lower than the highest seen
     */
    public synchronized boolean accept(String number, byte[] accountKey, long listVersion) {
        Objects.requireNonNull(number, "number");
        if (listVersion < 0 || (accountKey == null && listVersion > 0)) {
            throw new IllegalArgumentException("a list version of " + listVersion + " with "
                    + (accountKey == null ? "no" : "an") + " account key");
        }
        Optional<Peer> stored = peer(number);
        byte[] storedKey = stored.flatMap(Peer::rawAccountKey).orElse(null);
        long storedVersion = stored.map(Peer::highestVersion).orElse(0L);
        boolean changed = storedKey != null && accountKey != null && !Arrays.equals(storedKey, accountKey);
        if (!changed && listVersion < storedVersion) {
            throw new KeyVerificationException(number, KeyVerificationException.Reason.ROLLBACK, listVersion == 0
                    ? "the gateway shows no device list of " + number + " signed by its account key, but version "
                            + storedVersion + " was seen before: refusing a rollback"
                    : "the device list of " + number + " is at version " + listVersion + ", but version "
                            + storedVersion + " was seen before: refusing a rollback");
        }
        long highest = changed ? listVersion : Math.max(storedVersion, listVersion);
        byte[] key = accountKey != null ? accountKey : storedKey;
        if (stored.isEmpty() || highest != storedVersion || !Arrays.equals(key, storedKey)) {
            put(number, highest, key);
        }
        return changed;
    }

    // -----------------------------------------------------------------------------------------

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
