/**
 * SMPP: the carrier protocol. {@code server} is the SMSC role (carriers and upstream systems bind
 * to Switchboard); jsmpp types stay inside this package tree and every blocking jsmpp call runs
 * on jsmpp's or our own named threads, never on a Vert.x event loop.
 */
package dev.switchboard.carrier.smpp;
