/**
 * Served numbers and their linked devices: primary enrollment, WhatsApp-style QR linking of
 * companions, bearer-token authentication (tokens stored only as SHA-256 hashes), unlinking,
 * and the rule that companions go when the primary stops checking in.
 */
package dev.switchboard.inbox.devices;
