package dev.switchboard.bench.fanout;

import dev.switchboard.bench.support.BenchGateway.BenchDevice;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
import dev.switchboard.client.VerifiedDevice;
import dev.switchboard.client.VerifiedKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One enrolled device running the end-to-end client the way the CLI does: its own trust store and
 * key directory (in its own folder), an {@link E2eeSender} and a {@link MessageDecryptor}, and the
 * ids of the bench messages it has read.
 */
public final class FanoutDevice {
    private final String label;
    private final BenchDevice device;
    private final KeyDirectory directory;
    private final E2eeSender sender;
    private final MessageDecryptor decryptor;
    private final Set<Long> read = ConcurrentHashMap.newKeySet();

    /**
     * @param label  e.g. {@code A0} (A's primary) or {@code B3}
     * @param folder where this device keeps its trust store and the device lists it saw
     */
    public FanoutDevice(String label, BenchDevice device, URI gateway, HttpClient http, Path folder) throws Exception {
        this.label = label;
        this.device = device;
        Files.createDirectories(folder);
        SwitchboardClient client = new SwitchboardClient(gateway, http).withCredentials(device.credentials())
                .withKeys(device.keys());
        TrustStore trust = new TrustStore(folder.resolve("trust.json"));
        this.directory = new KeyDirectory(client, trust, folder.resolve("seen-devices.json"));
        this.sender = new E2eeSender(client, device.keys(), directory, trust);
        this.decryptor = new MessageDecryptor(device.credentials().deviceId(),
                MessageDecryptor.EncryptionKeys.of(device.keys(), DeviceKeys.FIRST_ENCRYPTION_KEY_ID), directory, null);
    }

    /**
     * Fetches and verifies {@code number}'s keys into this device's directory (so that neither the
     * first send nor the first read fetches them inside the measured window), and checks that the
     * number is end-to-end capable with {@code expectedDevices} devices.
     */
    public VerifiedKeys learn(String number, int expectedDevices) {
        VerifiedKeys keys = directory.keys(number).orElseThrow(() ->
                new IllegalStateException(label + ": the gateway does not serve " + number));
        boolean capable = keys.hasSignedList() && keys.devices().size() == expectedDevices
                && keys.devices().stream().allMatch(d -> d.encryptionKeySigned() && directory.vouchedFor(keys, d));
        if (!capable) {
            throw new IllegalStateException(label + ": " + number + " is not end-to-end capable with " + expectedDevices
                    + " devices: list version " + keys.listVersion() + ", devices "
                    + keys.devices().stream().map(VerifiedDevice::deviceId).toList());
        }
        return keys;
    }

    public String label() {
        return label;
    }

    public String number() {
        return device.number();
    }

    public String deviceId() {
        return device.credentials().deviceId();
    }

    public String token() {
        return device.token();
    }

    public DeviceKeys keys() {
        return device.keys();
    }

    public E2eeSender sender() {
        return sender;
    }

    public MessageDecryptor decryptor() {
        return decryptor;
    }

    /** The ids of the bench messages this device decrypted (the ledger adds to it). */
    public Set<Long> read() {
        return read;
    }
}
