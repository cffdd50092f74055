/**
 * Live delivery to devices: committed sync events and ephemeral typing notices travel on the
 * event bus to each device's WebSocket, which always catches up from the database so a device
 * sees every event once, in seq order, whatever it missed.
 */
package dev.switchboard.gateway.stream;
