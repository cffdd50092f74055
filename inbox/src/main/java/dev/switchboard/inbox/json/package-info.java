/**
 * The JSON form of the rich-message model, used for storage, the sync log and every API edge,
 * and a strict reader that names the offending field when input is wrong.
 */
package dev.switchboard.inbox.json;
