/**
 * Carrier ports: the SMPP and RCS adapters that move messages between carriers and the
 * unified inbox live here, with their wire encodings. The core release ships no adapter yet;
 * off-net messages wait in the inbox's outbox until an adapter takes them.
 */
package dev.switchboard.carrier;
