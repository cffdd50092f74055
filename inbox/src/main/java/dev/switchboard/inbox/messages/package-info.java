/**
 * Sending, storing and reading messages: on-net delivery into both inboxes in one transaction,
 * the outbox for peers reached through carriers, idempotent sends, and read markers.
 */
package dev.switchboard.inbox.messages;
