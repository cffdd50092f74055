/** Metadata of stored media and who may read it; the bytes live in files kept by the gateway. */
package dev.switchboard.inbox.media;
