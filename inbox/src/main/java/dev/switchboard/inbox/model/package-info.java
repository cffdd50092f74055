/** Immutable domain records: the internal rich-message model shared by every carrier format. */
package dev.switchboard.inbox.model;
