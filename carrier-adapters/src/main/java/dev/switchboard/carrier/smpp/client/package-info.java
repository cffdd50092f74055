/**
 * The ESME role: Switchboard binds to carriers' SMSCs, drains the outbox through them within each
 * carrier's window and throughput, and turns their deliver_sm into inbound SMS and receipts.
 */
package dev.switchboard.carrier.smpp.client;
