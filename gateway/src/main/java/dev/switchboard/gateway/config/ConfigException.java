package dev.switchboard.gateway.config;

/** Invalid configuration; the message names the key and never contains a secret value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }

    public ConfigException(String message, Throwable cause) { super(message, cause); }
}
