package dev.arena.server.stage;

/** A change of room state that was refused; nothing was changed. */
public final class StageException extends Exception {
    public enum Code {
        ROOM_NOT_FOUND, ROOM_EXISTS, ROOM_FULL, SPEAKERS_FULL, NOT_FOUND
    }

    private final Code code;

    public StageException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
