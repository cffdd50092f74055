/**
 * The device side of Switchboard: {@link dev.switchboard.client.SwitchboardClient} speaks the
 * gateway's HTTP and WebSocket API with nothing but {@code java.net.http}, so any JVM program can
 * act as a primary or companion device. This package owns the device's keys
 * ({@link dev.switchboard.client.DeviceKeys}), the linking handshake as seen from both ends, the
 * {@link dev.switchboard.client.SyncStream} that turns the server's event log into an exactly-once,
 * in-order feed, the verification of other numbers' keys and signed device lists
 * ({@link dev.switchboard.client.SwitchboardClient#verifiedKeys}, remembered in a
 * {@link dev.switchboard.client.TrustStore} so that rollbacks and account key changes show), and
 * the on-disk {@link dev.switchboard.client.DeviceFolder} the CLI keeps its state in. It depends on no server module: the wire contract is the only coupling.
 */
package dev.switchboard.client;
