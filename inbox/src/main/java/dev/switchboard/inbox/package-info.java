/**
 * The unified inbox: the domain model of numbers, devices, conversations and rich messages,
 * their persistence in PostgreSQL, and the per-number sync log that every linked device
 * follows. It knows nothing of HTTP, WebSocket or carrier protocols; those edges call the
 * services here and listen for committed sync events.
 */
package dev.switchboard.inbox;
