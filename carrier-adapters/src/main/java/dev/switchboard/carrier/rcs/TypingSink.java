package dev.switchboard.carrier.rcs;

/** Where a peer's typing goes: ephemeral notices to the number's devices, never stored. */
public interface TypingSink {
    void peerTyping(String number, String peer, boolean active);
}
