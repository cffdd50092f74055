/** PostgreSQL access: schema migrations, transactions that carry sync events, and row mapping. */
package dev.switchboard.inbox.persistence;
