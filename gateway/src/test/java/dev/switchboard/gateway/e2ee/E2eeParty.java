package dev.switchboard.gateway.e2ee;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.HistoryStore;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.TrustStore;
import dev.switchboard.gateway.support.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One device as an end-to-end client runs it: its own trust store and key directory (so what it
 * learned about keys is its own), a sender and a decryptor over its current and kept encryption
 * keys, and a history store. Nothing here is a stand-in: the same classes the CLI uses.
 */
final class E2eeParty {

    final Device device;
    final String name;
    final TrustStore trust;
    final KeyDirectory directory;
    final E2eeSender sender;
    final HistoryStore history;
    final MessageDecryptor decryptor;
    /** This device's encryption key pairs by key id: the first, and any rotated to later. */
    private final Map<String, KeyPair> encryptionKeys = new ConcurrentHashMap<>();

    E2eeParty(String name, Device device) {
        this.name = name;
        this.device = device;
        Path dir;
        try {
            dir = Files.createTempDirectory("e2ee-" + name.replaceAll("[^A-Za-z0-9]", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        encryptionKeys.put(DeviceKeys.FIRST_ENCRYPTION_KEY_ID, device.keys().encryption());
        trust = new TrustStore(dir.resolve("trust.json"));
        directory = new KeyDirectory(device.client(), trust, dir.resolve("seen-devices.json"));
        sender = new E2eeSender(device.client(), device.keys(), directory, trust);
        history = new HistoryStore(dir.resolve("history.json"));
        decryptor = new MessageDecryptor(device.id(), keyId -> Optional.ofNullable(encryptionKeys.get(keyId)), directory,
                history);
    }

    String id() {
        return device.id();
    }

    String number() {
        return device.number();
    }

    /** Rotates this device's encryption key with the gateway, keeping the old one to read late messages. */
    void rotateEncryptionKey(String keyId) {
        DeviceKeys rotated = device.keys().withNewEncryptionKey();
        encryptionKeys.put(keyId, rotated.encryption());
        device.client().rotateEncryptionKey(rotated, keyId);
    }

    @Override
    public String toString() {
        return name + "(" + device.id() + ")";
    }
}
