/**
 * The per-number sync log: every change to an inbox as an event with a gapless, commit-ordered
 * sequence number, which is what lets a device resume from the last event it saw.
 */
package dev.switchboard.inbox.sync;
