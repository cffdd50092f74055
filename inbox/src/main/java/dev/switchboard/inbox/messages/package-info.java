/**
 * Sending, storing and reading messages: on-net delivery into both inboxes in one transaction,
 * the outbox for peers reached through carriers, idempotent sends, and read markers; messages
 * carriers bring in, whole ({@code InboundService}) or segment by segment ({@code FragmentStore},
 * which keeps segments until their set is complete or its reassembly timeout has passed).
 */
package dev.switchboard.inbox.messages;
