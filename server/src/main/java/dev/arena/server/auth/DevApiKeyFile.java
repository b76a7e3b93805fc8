package dev.arena.server.auth;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The development API key of a node that has none configured, kept in {@code <data-dir>/dev-api-key} (mode 600, its
 * folder 700) so that tokens minted with it stay valid across restarts. Made on first use, read afterwards.
 */
public final class DevApiKeyFile {
    public static final String FILE_NAME = "dev-api-key";

    private DevApiKeyFile() {
    }

    /** The key saved in {@code dataDir}, or a new one saved there. */
    public static ApiKeys loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return load(file);
        }
        ApiKeys keys = ApiKeys.generate();
        Files.createDirectories(dataDir, posix("rwx------"));
        Properties p = new Properties();
        p.setProperty("key", keys.primary().id());
        p.setProperty("secret", keys.primary().secret());
        try (Writer w = Files.newBufferedWriter(Files.createFile(file, posix("rw-------")), StandardCharsets.UTF_8,
                StandardOpenOption.WRITE)) {
            p.store(w, "Arena development API key: generated because none was configured. Delete to make a new one.");
        } catch (FileAlreadyExistsException e) {
            return load(file); // another node sharing the folder made it first
        }
        return keys;
    }

    /** The key saved in {@code dataDir} by a node, if there is one (for {@code ./arena token}). */
    public static Optional<ApiKeys> loadExisting(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        return Files.exists(file) ? Optional.of(load(file)) : Optional.empty();
    }

    private static ApiKeys load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return ApiKeys.development(new ApiKey(p.getProperty("key"), p.getProperty("secret")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + " does not hold a usable key (" + e.getMessage()
                    + "); delete it to generate a new one");
        }
    }

    private static FileAttribute<?>[] posix(String perms) {
        return posixSupported() ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))} : new FileAttribute<?>[0];
    }

    private static boolean posixSupported() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
