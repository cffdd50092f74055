/**
 * Carrier ports: the adapters that move messages between carriers and the unified inbox, with their
 * wire encodings — SMPP ({@code smpp}: our SMPP server and the carriers we bind to), SMS codecs and
 * rendering ({@code sms}), delivery receipts ({@code receipt}) and RCS providers with their webhooks
 * ({@code rcs}). Each adapter drains its own channel of the inbox's outbox.
 */
package dev.switchboard.carrier;
