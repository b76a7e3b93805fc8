package dev.arena.server.config;

/** A setting is unknown or has a bad value; the message names the setting and where it came from. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
