/** Starting the embedded PostgreSQL or pointing at an external one, migrating it, and opening the pool. */
package dev.switchboard.gateway.database;
