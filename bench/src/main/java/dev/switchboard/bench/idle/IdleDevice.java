package dev.switchboard.bench.idle;

/**
 * One enrolled device that will sit idle on the stream: its place in the run, its number (and that
 * number's index, which names the event it waits for), the stream cursor it connects with and its token.
 */
public record IdleDevice(int index, String number, int numberIndex, long since, String token) {}
