/**
 * SMPP: the carrier protocol. {@code server} is the SMSC role (carriers and upstream systems bind
 * to Switchboard), {@code client} the ESME role; {@code SmppInbound} is what both do with a message
 * for a served number (concatenation, data_coding, the command_status of every refusal). jsmpp
 * types stay inside this package tree and every blocking jsmpp call runs on jsmpp's or our own
 * named threads, never on a Vert.x event loop.
 */
package dev.switchboard.carrier.smpp;
