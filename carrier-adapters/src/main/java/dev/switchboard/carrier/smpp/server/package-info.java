/**
 * The SMPP server (SMSC role): accounts bind with their system_id and password, and a submit_sm
 * to a served number becomes an inbound SMS that is committed before submit_sm_resp goes out.
 */
package dev.switchboard.carrier.smpp.server;
