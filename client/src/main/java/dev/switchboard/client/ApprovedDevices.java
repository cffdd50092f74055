package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The companions a primary approved itself ({@link SwitchboardClient#approveLink}): besides the
 * primary, the only devices {@link SwitchboardClient#publishDeviceList} signs with the account key.
 * What the gateway shows is not enough, since a gateway can add a device of its own. Each approval
 * is the companion's device id and, when it was known at approval time, its identity key; a device
 * shown later under that id with another identity key is not the approved one.
 *
 * <p>Immutable; {@link DeviceFolder#approvedDevices()} keeps them on disk for the CLI.
 */
public final class ApprovedDevices {

    private static final ApprovedDevices NONE = new ApprovedDevices(Map.of());

    /** One approved companion; {@code identityKey} is empty when the approval did not show it. */
    public record Approval(String deviceId, Optional<byte[]> identityKey) {

        public Approval {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(identityKey, "identityKey");
            identityKey = identityKey.map(byte[]::clone);
        }

        @Override
        public Optional<byte[]> identityKey() {
            return identityKey.map(byte[]::clone);
        }

        @Override
        public String toString() {
            return "Approval[" + deviceId + identityKey.map(k -> " " + Base64Url.encode(k)).orElse("") + "]";
        }
    }

    private final Map<String, Approval> approvals;

    private ApprovedDevices(Map<String, Approval> approvals) {
        this.approvals = Collections.unmodifiableMap(approvals);
    }

    /** No device approved: a primary with it publishes a list of itself alone. */
    public static ApprovedDevices none() {
        return NONE;
    }

    /** These approvals, plus {@code deviceId}, approved with no identity key known. */
    public ApprovedDevices with(String deviceId) {
        return with(new Approval(deviceId, Optional.empty()));
    }

    /**
     * These approvals, plus {@code deviceId} with the identity key it showed when it was approved
     * (raw 32 bytes). A device approved again replaces its earlier approval.
     */
    public ApprovedDevices with(String deviceId, byte[] identityKey) {
        Objects.requireNonNull(identityKey, "identityKey");
        if (identityKey.length != DeviceKeys.RAW_KEY_BYTES) {
            throw new IllegalArgumentException("an identity key is " + DeviceKeys.RAW_KEY_BYTES + " bytes, not "
                    + identityKey.length);
        }
        return with(new Approval(deviceId, Optional.of(identityKey)));
    }

    /** These approvals without {@code deviceId} (after it was unlinked, say). */
    public ApprovedDevices without(String deviceId) {
        if (!approvals.containsKey(deviceId)) {
            return this;
        }
        Map<String, Approval> copy = new LinkedHashMap<>(approvals);
        copy.remove(deviceId);
        return new ApprovedDevices(copy);
    }

    /**
     * These approvals and those of {@code other}; for a device in both, this one's approval wins
     * unless only {@code other}'s knows the identity key.
     */
    public ApprovedDevices union(ApprovedDevices other) {
        ApprovedDevices merged = this;
        for (Approval approval : other.approvals.values()) {
            Approval mine = approvals.get(approval.deviceId());
            if (mine == null || (mine.identityKey().isEmpty() && approval.identityKey().isPresent())) {
                merged = merged.with(approval);
            }
        }
        return merged;
    }

    public boolean contains(String deviceId) {
        return approvals.containsKey(deviceId);
    }

    public Optional<Approval> approval(String deviceId) {
        return Optional.ofNullable(approvals.get(deviceId));
    }

    /** The approved device ids, in the order they were approved. */
    public Set<String> deviceIds() {
        return approvals.keySet();
    }

    public boolean isEmpty() {
        return approvals.isEmpty();
    }

    @Override
    public String toString() {
        return "ApprovedDevices" + approvals.values();
    }

    // -----------------------------------------------------------------------------------------

    private ApprovedDevices with(Approval approval) {
        Map<String, Approval> copy = new LinkedHashMap<>(approvals);
        copy.remove(approval.deviceId());
        copy.put(approval.deviceId(), approval);
        return new ApprovedDevices(copy);
    }

    /** {@code [{"deviceId":..., "identityKey":<base64url>|null}, ...]} */
    ArrayNode toJson() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Approval approval : approvals.values()) {
            ObjectNode entry = array.addObject().put("deviceId", approval.deviceId());
            Optional<byte[]> key = approval.identityKey();
            if (key.isPresent()) {
                entry.put("identityKey", Base64Url.encode(key.get()));
            } else {
                entry.putNull("identityKey");
            }
        }
        return array;
    }

    /** @throws IllegalArgumentException when {@code array} is not what {@link #toJson()} writes */
    static ApprovedDevices fromJson(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("approved devices are not a JSON array");
        }
        ApprovedDevices approved = none();
        for (JsonNode entry : array) {
            String deviceId = Json.optionalText(entry, "deviceId");
            if (deviceId == null || deviceId.isEmpty()) {
                throw new IllegalArgumentException("an approved device has no deviceId");
            }
            String key = Json.optionalText(entry, "identityKey");
            approved = key == null ? approved.with(deviceId) : approved.with(deviceId, Base64Url.decode(key));
        }
        return approved;
    }
}
