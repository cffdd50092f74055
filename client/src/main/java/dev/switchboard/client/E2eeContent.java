package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.AttachmentCipher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rich message inside an end-to-end encrypted payload: what the gateway would otherwise have
 * seen as {@code text} and {@code parts}. Serialized as UTF-8 JSON, version 1:
 * <pre>
 *   {"v": 1, "text": "hello" | null,
 *    "parts": [ {"type": "media", "mediaId", "contentType", "fileName", "size", "key", "digest"},
 *               any other part as the API writes it (location, richCard, ...) ]}
 * </pre>
 * An attachment part ({@link #isAttachment}) carries what the receiver needs to fetch and open it:
 * the media id of the uploaded ciphertext, the AES-256-GCM key and the SHA-256 digest of the
 * ciphertext ({@link AttachmentCipher}), base64url. Its type, name and size only exist in here.
 *
 * @param text  the message text, or null for a message of parts only
 * @param parts the parts besides the text, in order (copies)
 */
public record E2eeContent(String text, List<JsonNode> parts) {

    public static final int VERSION = 1;

    public E2eeContent {
        parts = parts == null ? List.of() : parts.stream().map(JsonNode::deepCopy).map(JsonNode.class::cast).toList();
    }

    @Override
    public List<JsonNode> parts() {
        return parts.stream().map(JsonNode::deepCopy).map(JsonNode.class::cast).toList();
    }

    /** The attachment parts, in order. */
    public List<JsonNode> attachments() {
        return parts().stream().filter(E2eeContent::isAttachment).toList();
    }

    /** Whether {@code part} is an encrypted attachment: a {@code media} part with a key and a digest. */
    public static boolean isAttachment(JsonNode part) {
        return "media".equals(part.path("type").asText()) && part.hasNonNull("key") && part.hasNonNull("digest");
    }

    /** The attachment part for an uploaded encrypted attachment. */
    public static ObjectNode attachmentPart(String mediaId, Attachment attachment, AttachmentCipher.Encrypted encrypted) {
        ObjectNode part = Json.MAPPER.createObjectNode()
                .put("type", "media")
                .put("mediaId", mediaId)
                .put("contentType", attachment.contentType());
        if (attachment.fileName() != null) {
            part.put("fileName", attachment.fileName());
        }
        return part.put("size", attachment.bytes().length)
                .put("key", Base64Url.encode(encrypted.key()))
                .put("digest", Base64Url.encode(encrypted.digest()));
    }

    public byte[] encode() {
        ObjectNode root = Json.MAPPER.createObjectNode().put("v", VERSION);
        if (text == null) {
            root.putNull("text");
        } else {
            root.put("text", text);
        }
        ArrayNode array = root.putArray("parts");
        parts.forEach(array::add);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a message", e);
        }
    }

    /** @throws IllegalArgumentException when {@code plaintext} is not a version-1 payload */
    public static E2eeContent decode(byte[] plaintext) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(plaintext);
        } catch (IOException e) {
            throw new IllegalArgumentException("the decrypted payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the decrypted payload is not a JSON object");
        }
        if (root.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("the decrypted payload has version " + root.path("v")
                    + "; this client reads version " + VERSION);
        }
        JsonNode text = root.path("text");
        if (!(text.isNull() || text.isMissingNode() || text.isTextual())) {
            throw new IllegalArgumentException("the decrypted payload's text is not a string");
        }
        JsonNode parts = root.path("parts");
        if (!(parts.isMissingNode() || parts.isArray())) {
            throw new IllegalArgumentException("the decrypted payload's parts are not an array");
        }
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode part : parts) {
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw new IllegalArgumentException("a part of the decrypted payload has no type");
            }
            list.add(part);
        }
        return new E2eeContent(text.isTextual() ? text.asText() : null, list);
    }
}
