package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * A device's state on disk, as the CLI keeps it: {@code state.json} (server, credentials and key
 * pairs) and {@code cursor} (the last sync seq handled). Files are replaced atomically, so a crash
 * leaves the old or the new version and never half of one; they hold a bearer token and private
 * keys, so they are created owner-only where the filesystem has POSIX permissions.
 *
 * <p>Meant for one process at a time; methods are synchronized only against the sync thread.
 */
public final class DeviceFolder {

    private static final String STATE_FILE = "state.json";
    private static final String CURSOR_FILE = "cursor";

    private final Path dir;
    private final boolean posix;

    public DeviceFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        Path probe = this.dir;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        this.posix = probe != null && probe.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public Path dir() {
        return dir;
    }

    /** The gateway this device was enrolled or linked against. */
    public synchronized Optional<URI> server() {
        return Optional.ofNullable(Json.optionalText(readState(), "server")).map(URI::create);
    }

    public synchronized Optional<DeviceCredentials> credentials() {
        ObjectNode state = readState();
        String deviceId = Json.optionalText(state, "deviceId");
        String token = Json.optionalText(state, "token");
        if (deviceId == null || token == null) {
            return Optional.empty();
        }
        return Optional.of(new DeviceCredentials(Json.optionalText(state, "number"), deviceId, token));
    }

    /**
     * Records a new identity for this folder. The cursor restarts at 0 when the device changes: a
     * seq only means something within the number (and device history) it was read from.
     */
    public synchronized void saveCredentials(URI server, DeviceCredentials credentials) {
        ObjectNode state = readState();
        boolean sameDevice = credentials.deviceId().equals(Json.optionalText(state, "deviceId"));
        state.put("server", server.toString())
                .put("number", credentials.number())
                .put("deviceId", credentials.deviceId())
                .put("token", credentials.token());
        writeState(state);
        if (!sameDevice) {
            writeAtomically(CURSOR_FILE, "0\n");
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

    /** This device's key pairs, generated and saved the first time they are asked for. */
    public synchronized DeviceKeys keys() {
        ObjectNode state = readState();
        if (state.hasNonNull("identityPrivate") && state.hasNonNull("encryptionPrivate")) {
            return new DeviceKeys(
                    readPair(state, "Ed25519", "identityPrivate", "identityPublic"),
                    readPair(state, "X25519", "encryptionPrivate", "encryptionPublic"));
        }
        DeviceKeys keys = DeviceKeys.generate();
        Base64.Encoder b64 = Base64.getEncoder();
        state.put("identityPrivate", b64.encodeToString(keys.identity().getPrivate().getEncoded()))
                .put("identityPublic", b64.encodeToString(keys.identity().getPublic().getEncoded()))
                .put("encryptionPrivate", b64.encodeToString(keys.encryption().getPrivate().getEncoded()))
                .put("encryptionPublic", b64.encodeToString(keys.encryption().getPublic().getEncoded()));
        writeState(state);
        return keys;
    }

    /** The sync cursor in the {@code cursor} file; 0 when the file does not exist yet. */
    public CursorStore cursorStore() {
        return new CursorStore() {
            @Override
            public long load() {
                synchronized (DeviceFolder.this) {
                    String text = read(CURSOR_FILE);
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
                    writeAtomically(CURSOR_FILE, seq + "\n");
                }
            }
        };
    }

    // -----------------------------------------------------------------------------------------

    private ObjectNode readState() {
        String text = read(STATE_FILE);
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

    private void writeState(ObjectNode state) {
        try {
            writeAtomically(STATE_FILE, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temp file in the same directory, flushed to disk, then renamed over the old one. */
    private void writeAtomically(String name, String content) {
        try {
            createDirectory();
            Path temp = posix
                    ? Files.createTempFile(dir, "." + name, ".tmp", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + name, ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(StandardCharsets.UTF_8.encode(content));
                    channel.force(true);
                }
                move(temp, dir.resolve(name));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        try {
            // Only the leaf is owner-only; parents created on the way keep the default permissions.
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            Files.createDirectory(dir, ownerOnly);
        } catch (FileAlreadyExistsException raced) {
            // Another process created it first; fine.
        }
    }
}
