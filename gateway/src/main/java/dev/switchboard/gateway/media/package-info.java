/** Media bytes on disk, one file per media id, written and read without blocking the event loop. */
package dev.switchboard.gateway.media;
