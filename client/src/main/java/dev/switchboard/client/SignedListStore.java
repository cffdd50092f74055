package dev.switchboard.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a primary keeps the {@linkplain SignedListRecord record} of the last device list it signed
 * and the gateway took, per number. {@link SwitchboardClient} consults it before it signs a list
 * (approving a link, unlinking, publishing) and updates it after the gateway took one. A client
 * starts with an {@linkplain #inMemory in-memory} store (protection for as long as the process
 * lives); {@link DeviceFolder#signedListStore()} keeps it on disk, owner-only.
 */
public interface SignedListStore {

    /** The record for {@code number}, if this primary ever signed a list of it here. */
    Optional<SignedListRecord> load(String number);

    /** Replaces the record for {@code record.number()}. */
    void save(SignedListRecord record);

    /** A store that forgets everything when the process ends. */
    static SignedListStore inMemory() {
        Map<String, SignedListRecord> records = new ConcurrentHashMap<>();
        return new SignedListStore() {
            @Override
            public Optional<SignedListRecord> load(String number) {
                return Optional.ofNullable(records.get(number));
            }

            @Override
            public void save(SignedListRecord record) {
                records.put(record.number(), record);
            }
        };
    }
}
