package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A device's state on disk, as the CLI keeps it: {@code state.json} (server, credentials, key pairs
 * and the id of the current encryption key), {@code cursor} (the last sync seq handled) and
 * {@code trust.json} (see {@link #trustStore()}) and, on a primary, {@code approved.json} (the
 * companions it approved itself, see {@link #approvedDevices()}) and {@code signed-list.json} (the
 * last device list it signed that the gateway took, see {@link #signedListStore()}). Files are replaced atomically, so a crash leaves
 * the old or the new version and never half of one; they hold a bearer token and private keys, so
 * they are created owner-only ({@code rw-------}) where the filesystem has POSIX permissions, and
 * {@link #keys()} and {@link #credentials()} narrow a {@code state.json} they find readable by
 * others (restored from a backup, say) back to owner-only.
 *
 * <p>An encryption key rotation is crash-safe: {@link SwitchboardClient#rotateEncryptionKey(DeviceFolder, String)}
 * saves the new key pair as pending ({@link #savePendingEncryptionKey}) before it asks the gateway,
 * promotes it ({@link #promotePendingEncryptionKey}) once the gateway took it, and a pending key
 * found later is promoted if the gateway shows it ({@link #reconcilePendingEncryptionKey}).
 *
 * <p>Meant for one process at a time; methods are synchronized only against the sync thread.
 */
public final class DeviceFolder {

    private static final String STATE_FILE = "state.json";
    private static final String CURSOR_FILE = "cursor";
    private static final String TRUST_FILE = "trust.json";
    private static final String APPROVED_FILE = "approved.json";
    private static final String HISTORY_FILE = "history.json";
    private static final String SEEN_DEVICES_FILE = "seen-devices.json";
    private static final String SIGNED_LIST_FILE = "signed-list.json";
    /** The state field of a rotated encryption key the gateway may not have taken yet. */
    private static final String PENDING = "pendingEncryptionKey";
    private static final List<String> KEY_FIELDS =
            List.of("identityPrivate", "identityPublic", "encryptionPrivate", "encryptionPublic");
    /** Encryption keys kept after a rotation, to open messages that were sealed to them late. */
    static final int KEPT_PREVIOUS_ENCRYPTION_KEYS = 5;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final boolean posix;

    public DeviceFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.posix = OwnerOnlyFiles.posix(this.dir);
    }

    public Path dir() {
        return dir;
    }

    /** The gateway this device was enrolled or linked against. */
    public synchronized Optional<URI> server() {
        return Optional.ofNullable(Json.optionalText(readState(), "server")).map(URI::create);
    }

    /** This device's number, id and bearer token; narrows a {@code state.json} readable by others to owner-only. */
    public synchronized Optional<DeviceCredentials> credentials() {
        ObjectNode state = readState();
        String deviceId = Json.optionalText(state, "deviceId");
        String token = Json.optionalText(state, "token");
        if (deviceId == null || token == null) {
            return Optional.empty();
        }
        restrictStateFile();
        return Optional.of(new DeviceCredentials(Json.optionalText(state, "number"), deviceId, token));
    }

    /**
     * Records a new identity for this folder. The cursor restarts at 0 when the device changes: a
     * seq only means something within the number (and device history) it was read from. So does the
     * encryption key id: a new device registers its current key as {@value DeviceKeys#FIRST_ENCRYPTION_KEY_ID},
     * and keys kept from the old device's rotations are dropped.
     */
    public synchronized void saveCredentials(URI server, DeviceCredentials credentials) {
        ObjectNode state = readState();
        boolean sameDevice = credentials.deviceId().equals(Json.optionalText(state, "deviceId"));
        state.put("server", server.toString())
                .put("number", credentials.number())
                .put("deviceId", credentials.deviceId())
                .put("token", credentials.token());
        if (!sameDevice) {
            state.remove("encryptionKeyId");
            state.remove("previousEncryptionKeys");
            state.remove(PENDING);
            state.remove("historyPointer");
        }
        writeState(state);
        if (!sameDevice) {
            write(CURSOR_FILE, "0\n");
        }
    }

    /** Forgets the token (after this device was unlinked) but keeps the keys. */
    public synchronized void clearCredentials() {
        ObjectNode state = readState();
        state.remove("number");
        state.remove("deviceId");
        state.remove("token");
        writeState(state);
    }

    /**
     * This device's key pairs, generated and saved the first time they are asked for, that is when
     * {@code state.json} holds none of them.
     *
     * @throws IllegalStateException when {@code state.json} holds some of the keys but not all (a
     *         private key lost, say): new keys would silently give the device another identity, so
     *         none are generated; restore the file, or set the device up again in a new folder
     */
    public synchronized DeviceKeys keys() {
        ObjectNode state = readState();
        List<String> present = KEY_FIELDS.stream().filter(state::hasNonNull).toList();
        if (present.size() == KEY_FIELDS.size()) {
            restrictStateFile();
            return new DeviceKeys(
                    readPair(state, "Ed25519", "identityPrivate", "identityPublic"),
                    readPair(state, "X25519", "encryptionPrivate", "encryptionPublic"));
        }
        if (!present.isEmpty() || state.has("previousEncryptionKeys") || state.has(PENDING)) {
            restrictStateFile();
            List<String> missing = KEY_FIELDS.stream().filter(field -> !state.hasNonNull(field)).toList();
            throw new IllegalStateException(dir.resolve(STATE_FILE) + " holds this device's keys only in part (missing "
                    + String.join(", ", missing) + "): refusing to generate new ones, which would change the"
                    + " device's identity; restore the file from a backup, or enroll or link again in a new folder");
        }
        DeviceKeys keys = DeviceKeys.generate();
        Base64.Encoder b64 = Base64.getEncoder();
        state.put("identityPrivate", b64.encodeToString(keys.identity().getPrivate().getEncoded()))
                .put("identityPublic", b64.encodeToString(keys.identity().getPublic().getEncoded()))
                .put("encryptionPrivate", b64.encodeToString(keys.encryption().getPrivate().getEncoded()))
                .put("encryptionPublic", b64.encodeToString(keys.encryption().getPublic().getEncoded()));
        state.remove("encryptionKeyId");
        state.remove("previousEncryptionKeys");
        writeState(state);
        return keys;
    }

    /** The id the gateway knows the current encryption key by: {@value DeviceKeys#FIRST_ENCRYPTION_KEY_ID} until a rotation. */
    public synchronized String encryptionKeyId() {
        String id = Json.optionalText(readState(), "encryptionKeyId");
        return id == null ? DeviceKeys.FIRST_ENCRYPTION_KEY_ID : id;
    }

    /**
     * Keeps a rotated encryption key once the gateway accepted it
     * ({@link SwitchboardClient#rotateEncryptionKey}): it becomes the current one under
     * {@code keyId}, and the one it replaces is kept (the last {@value #KEPT_PREVIOUS_ENCRYPTION_KEYS})
     * for messages sealed to it before senders noticed. A pending key is dropped (it was this one,
     * or one the gateway never took). Prefer {@link SwitchboardClient#rotateEncryptionKey(DeviceFolder, String)},
     * which saves the key before asking the gateway.
     *
     * @throws IllegalArgumentException if {@code rotated} has another identity key than this device
     */
    public synchronized void saveRotatedEncryptionKey(DeviceKeys rotated, String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        checkRotation(rotated, keyId);
        ObjectNode state = readState();
        rotate(state, rotated, keyId);
        writeState(state);
    }

    /** A rotated encryption key saved before the gateway was asked to take it, with the id it was offered under. */
    public record PendingEncryptionKey(String keyId, DeviceKeys keys) {
    }

    /**
     * Saves {@code rotated} as the pending encryption key under {@code keyId}, before the gateway is
     * asked to take it, so that a crash in between cannot lose the private key the gateway may
     * already hand to senders. It replaces an earlier pending key. The current key stays current.
     *
     * @throws IllegalArgumentException if {@code rotated} has another identity key than this device,
     *         or {@code keyId} is the current key's id
     */
    public synchronized void savePendingEncryptionKey(DeviceKeys rotated, String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        checkRotation(rotated, keyId);
        ObjectNode state = readState();
        Base64.Encoder b64 = Base64.getEncoder();
        state.putObject(PENDING)
                .put("keyId", keyId)
                .put("private", b64.encodeToString(rotated.encryption().getPrivate().getEncoded()))
                .put("public", b64.encodeToString(rotated.encryption().getPublic().getEncoded()));
        writeState(state);
    }

    /** The pending encryption key ({@link #savePendingEncryptionKey}), if a rotation was not settled. */
    public synchronized Optional<PendingEncryptionKey> pendingEncryptionKey() {
        if (!(readState().get(PENDING) instanceof ObjectNode pending)) {
            return Optional.empty();
        }
        DeviceKeys current = keys();
        return Optional.of(new PendingEncryptionKey(Json.requiredText(pending, "keyId"),
                new DeviceKeys(current.identity(), readPair(pending, "X25519", "private", "public"))));
    }

    /**
     * Makes the pending key the current one, the gateway having taken it under {@code listedKeyId}
     * (normally the id it was saved with), in one atomic write; the key it replaces is kept as
     * {@link #saveRotatedEncryptionKey} does.
     *
     * @throws IllegalStateException when no key is pending
     */
    public synchronized void promotePendingEncryptionKey(String listedKeyId) {
        Objects.requireNonNull(listedKeyId, "listedKeyId");
        PendingEncryptionKey pending = pendingEncryptionKey().orElseThrow(() ->
                new IllegalStateException("no pending encryption key in " + dir.resolve(STATE_FILE)));
        checkRotation(pending.keys(), listedKeyId);
        ObjectNode state = readState();
        rotate(state, pending.keys(), listedKeyId);
        writeState(state);
    }

    /**
     * Settles a pending key against what the gateway shows for this device (in
     * {@code GET /v1/keys/{number}}): when it shows the pending key ({@code serverEncryptionKey},
     * raw 32 bytes, under {@code serverKeyId}), the rotation went through before a crash and the
     * key is promoted. Otherwise it stays pending: a later rotation replaces it.
     *
     * @return whether the pending key was promoted
     */
    public synchronized boolean reconcilePendingEncryptionKey(String serverKeyId, byte[] serverEncryptionKey) {
        Optional<PendingEncryptionKey> pending = pendingEncryptionKey();
        if (pending.isEmpty() || serverKeyId == null || serverEncryptionKey == null
                || !Arrays.equals(pending.get().keys().rawEncryptionKey(), serverEncryptionKey)) {
            return false;
        }
        promotePendingEncryptionKey(serverKeyId);
        return true;
    }

    private void checkRotation(DeviceKeys rotated, String keyId) {
        DeviceKeys current = keys();
        if (!Arrays.equals(current.rawIdentityKey(), rotated.rawIdentityKey())) {
            throw new IllegalArgumentException("the rotated keys belong to another identity than the device in " + dir);
        }
        if (encryptionKeyId().equals(keyId)) {
            throw new IllegalArgumentException("the new encryption key needs a new key id, not " + keyId);
        }
    }

    /** Makes {@code rotated} the current encryption key in {@code state}, keeping the one it replaces; drops a pending key. */
    private void rotate(ObjectNode state, DeviceKeys rotated, String keyId) {
        String currentId = encryptionKeyId();
        Base64.Encoder b64 = Base64.getEncoder();
        ArrayNode previous = state.has("previousEncryptionKeys") && state.get("previousEncryptionKeys").isArray()
                ? (ArrayNode) state.get("previousEncryptionKeys")
                : state.putArray("previousEncryptionKeys");
        previous.insertObject(0)
                .put("keyId", currentId)
                .put("private", Json.requiredText(state, "encryptionPrivate"))
                .put("public", Json.requiredText(state, "encryptionPublic"));
        while (previous.size() > KEPT_PREVIOUS_ENCRYPTION_KEYS) {
            previous.remove(previous.size() - 1);
        }
        state.set("previousEncryptionKeys", previous);
        state.put("encryptionPrivate", b64.encodeToString(rotated.encryption().getPrivate().getEncoded()))
                .put("encryptionPublic", b64.encodeToString(rotated.encryption().getPublic().getEncoded()))
                .put("encryptionKeyId", keyId);
        state.remove(PENDING);
    }

    /**
     * The encryption key pair with this id: the current one, one kept from before a rotation, or the
     * pending one (the gateway may have taken it before this device learned so).
     */
    public synchronized Optional<KeyPair> encryptionKey(String keyId) {
        if (encryptionKeyId().equals(keyId)) {
            return Optional.of(keys().encryption());
        }
        ObjectNode state = readState();
        for (JsonNode kept : state.path("previousEncryptionKeys")) {
            if (keyId.equals(kept.path("keyId").asText(null)) && kept instanceof ObjectNode entry) {
                return Optional.of(readPair(entry, "X25519", "private", "public"));
            }
        }
        if (state.get(PENDING) instanceof ObjectNode pending && keyId.equals(pending.path("keyId").asText(null))) {
            return Optional.of(readPair(pending, "X25519", "private", "public"));
        }
        return Optional.empty();
    }

    /**
     * The companions this device approved as its number's primary, from {@code approved.json}:
     * what {@link SwitchboardClient#publishDeviceList} may sign besides this device. Approvals are
     * kept per device id: those made under another identity of this folder (before it was enrolled
     * again, say) do not count, and none are there on a device that never approved one.
     */
    public synchronized ApprovedDevices approvedDevices() {
        String self = Json.optionalText(readState(), "deviceId");
        ObjectNode file = readApproved();
        if (self == null || !self.equals(Json.optionalText(file, "approver"))) {
            return ApprovedDevices.none();
        }
        try {
            return ApprovedDevices.fromJson(file.get("approved"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(dir.resolve(APPROVED_FILE) + " does not hold approved devices: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Records that this device, as its number's primary, approved the companion {@code deviceId}
     * ({@link SwitchboardClient#approveLink}); call it with what {@code approveLink} returned.
     *
     * @throws IllegalStateException when the folder holds no device
     */
    public synchronized void recordApproved(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        saveApproved(approvedDevices().with(deviceId));
    }

    /** As {@link #recordApproved(String)}, with the identity key (raw 32 bytes) the companion showed when approved. */
    public synchronized void recordApproved(String deviceId, byte[] identityKey) {
        Objects.requireNonNull(deviceId, "deviceId");
        saveApproved(approvedDevices().with(deviceId, identityKey));
    }

    /** Forgets the approval of {@code deviceId} (it was unlinked): shown again, it is not signed any more. */
    public synchronized void forgetApproved(String deviceId) {
        ApprovedDevices approved = approvedDevices();
        if (approved.contains(deviceId)) {
            saveApproved(approved.without(deviceId));
        }
    }

    /**
     * Keeps where this companion finds its primary's history bundle (from the provisioning message),
     * in {@code state.json}, owner-only: the pointer holds the bundle's key.
     */
    public synchronized void saveHistoryPointer(HistoryPointer pointer) {
        Objects.requireNonNull(pointer, "pointer");
        ObjectNode state = readState();
        state.putObject("historyPointer").put("mediaId", pointer.mediaId()).put("key", Base64Url.encode(pointer.key()));
        writeState(state);
    }

    /** The history pointer saved at linking, if the primary sent one. */
    public synchronized Optional<HistoryPointer> historyPointer() {
        JsonNode pointer = readState().get("historyPointer");
        if (pointer == null || !pointer.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new HistoryPointer(Json.requiredText(pointer, "mediaId"), Base64Url.decode(Json.requiredText(pointer, "key"))));
    }

    /** What this device learned about other numbers' account keys and device lists, in {@code trust.json}. */
    public TrustStore trustStore() {
        return new TrustStore(dir.resolve(TRUST_FILE));
    }

    /**
     * On a primary, the record of the last device list it signed that the gateway took, in
     * {@code signed-list.json} (owner-only): its version, the SHA-256 of its canonical bytes and its
     * devices, so that a gateway replaying an older list (one that still lists a device unlinked
     * since, say) cannot make the primary sign on top of it; see
     * {@link SwitchboardClient#withSignedListStore}. Saving a record also tells this folder's
     * {@linkplain #trustStore() trust store} about the list, so that this device's own view of its
     * number refuses the older list too.
     */
    public SignedListStore signedListStore() {
        return new SignedListStore() {
            @Override
            public Optional<SignedListRecord> load(String number) {
                synchronized (DeviceFolder.this) {
                    Path file = dir.resolve(SIGNED_LIST_FILE);
                    String text = OwnerOnlyFiles.read(file);
                    if (text == null) {
                        return Optional.empty();
                    }
                    try {
                        JsonNode entry = Json.MAPPER.readTree(text).path("lists").path(number);
                        return entry.isObject() ? Optional.of(SignedListRecord.fromJson(entry)) : Optional.empty();
                    } catch (IOException | IllegalArgumentException e) {
                        // Never start over silently: that would drop the protection the file is for.
                        throw new IllegalStateException(file + " does not hold a record of signed device lists; restore it"
                                + " from a backup", e);
                    }
                }
            }

            @Override
            public void save(SignedListRecord record) {
                synchronized (DeviceFolder.this) {
                    Path file = dir.resolve(SIGNED_LIST_FILE);
                    String text = OwnerOnlyFiles.read(file);
                    ObjectNode root;
                    try {
                        root = text == null ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.MAPPER.readTree(text);
                        ObjectNode lists = root.path("lists") instanceof ObjectNode existing ? existing : root.putObject("lists");
                        lists.set(record.number(), record.toJson());
                        write(SIGNED_LIST_FILE, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
                    } catch (IOException | ClassCastException e) {
                        throw new IllegalStateException(file + " does not hold a record of signed device lists", e);
                    }
                }
                trustStore().accept(record.number(), record.rawAccountKey(), record.version(), record.rawSha256());
            }
        };
    }

    /** The end-to-end messages imported from the primary's history bundle, in {@code history.json} (owner-only). */
    public HistoryStore historyStore() {
        return new HistoryStore(dir.resolve(HISTORY_FILE));
    }

    /**
     * Where {@link KeyDirectory} keeps the identity keys signed device lists vouched for, in
     * {@code seen-devices.json}: a directory for this device, checked against its trust store.
     */
    public KeyDirectory keyDirectory(SwitchboardClient client) {
        return new KeyDirectory(client, trustStore(), dir.resolve(SEEN_DEVICES_FILE));
    }

    /** The sync cursor in the {@code cursor} file; 0 when the file does not exist yet. */
    public CursorStore cursorStore() {
        return new CursorStore() {
            @Override
            public long load() {
                synchronized (DeviceFolder.this) {
                    String text = OwnerOnlyFiles.read(dir.resolve(CURSOR_FILE));
                    try {
                        return text == null ? 0 : Long.parseLong(text.strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException(dir.resolve(CURSOR_FILE) + " does not hold a sync seq: " + text, e);
                    }
                }
            }

            @Override
            public void save(long seq) {
                synchronized (DeviceFolder.this) {
                    write(CURSOR_FILE, seq + "\n");
                }
            }
        };
    }

    // -----------------------------------------------------------------------------------------

    private ObjectNode readState() {
        String text = OwnerOnlyFiles.read(dir.resolve(STATE_FILE));
        if (text == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (!(node instanceof ObjectNode)) {
                throw new IllegalStateException(dir.resolve(STATE_FILE) + " is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalStateException(dir.resolve(STATE_FILE) + " is not valid JSON", e);
        }
    }

    private ObjectNode readApproved() {
        String text = OwnerOnlyFiles.read(dir.resolve(APPROVED_FILE));
        if (text == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (!(node instanceof ObjectNode)) {
                throw new IllegalStateException(dir.resolve(APPROVED_FILE) + " is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalStateException(dir.resolve(APPROVED_FILE) + " is not valid JSON", e);
        }
    }

    private void saveApproved(ApprovedDevices approved) {
        String self = Json.optionalText(readState(), "deviceId");
        if (self == null) {
            throw new IllegalStateException("no device in " + dir + " to have approved anything");
        }
        ObjectNode file = Json.MAPPER.createObjectNode().put("approver", self);
        file.set("approved", approved.toJson());
        try {
            write(APPROVED_FILE, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeState(ObjectNode state) {
        try {
            write(STATE_FILE, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Private keys are readable by the owner only, even in a file that was copied in with wider permissions. */
    private void restrictStateFile() {
        if (!posix) {
            return;
        }
        Path file = dir.resolve(STATE_FILE);
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + " readable by its owner only", e);
        }
    }

    private KeyPair readPair(ObjectNode state, String algorithm, String privateField, String publicField) {
        Base64.Decoder b64 = Base64.getDecoder();
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm);
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(b64.decode(Json.requiredText(state, publicField)))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(Json.requiredText(state, privateField)))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(dir.resolve(STATE_FILE) + " holds an unreadable " + algorithm + " key pair", e);
        }
    }

    private void write(String name, String content) {
        OwnerOnlyFiles.write(dir.resolve(name), content, posix);
    }
}
