/**
 * The runnable gateway: configuration, the embedded or external database, the Vert.x HTTP and
 * WebSocket API over the inbox, and {@link dev.switchboard.gateway.Main}, which wires the graph.
 */
package dev.switchboard.gateway;
