/**
 * SMS text on the wire, without any I/O: the GSM 03.38 default alphabet and its extension table,
 * 7-bit packing, the SMPP {@code data_coding} values, segmentation of outbound text (UDH with an
 * 8- or 16-bit reference, SAR values or one {@code message_payload}) and parsing of inbound user
 * data headers.
 *
 * <p>This package owns the byte-level rules only. Sessions, PDUs and TLVs belong to the SMPP
 * package; durable reassembly of inbound segments (duplicates, timeouts, gap markers) belongs to
 * whoever stores them. Reassemblers should concatenate the raw payloads of a complete set and decode
 * once, so a peer that split an escape sequence or a surrogate pair across segments still decodes.
 *
 * <p>SMPP carries GSM 7-bit text unpacked, one septet per octet, and the SMSC packs it for the air
 * interface; packed septets are supported for carriers configured that way, never assumed.
 */
package dev.switchboard.carrier.sms;
