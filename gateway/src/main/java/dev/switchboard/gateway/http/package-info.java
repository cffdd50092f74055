/**
 * The REST API over the inbox (Vert.x Web). Handlers return futures of {@link dev.switchboard.gateway.http.Reply};
 * {@link dev.switchboard.gateway.http.Replies} is the single edge that turns them, or their failure,
 * into a response.
 */
package dev.switchboard.gateway.http;
