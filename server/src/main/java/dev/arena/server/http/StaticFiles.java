package dev.arena.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files from a classpath folder ({@code arena-web/}: the web app, the SDK, the echo demo). Only paths made of
 * plain segments ({@code [A-Za-z0-9._-]}, none starting with a dot) and files with a known type are served, so
 * there is no way out of the folder and no directory listing; everything else is 404.
 *
 * <p>Caching: every file has a strong ETag and {@code If-None-Match} gets 304. HTML and the SDK are revalidated on
 * every use ({@code no-cache}: a new node version is picked up at once); files under {@code assets/}, which
 * bundlers name by content hash, are cached for a year.
 */
final class StaticFiles {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("ts", "text/plain; charset=utf-8"), // the SDK's typings, /sdk/arena.d.ts
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"));

    private final String folder;
    private final ClassLoader loader;

    /** @param folder a classpath folder, e.g. {@code arena-web/} */
    StaticFiles(String folder, ClassLoader loader) {
        this.folder = folder.endsWith("/") ? folder : folder + "/";
        this.loader = loader;
    }

    /** True when {@code file} (relative to the folder, e.g. {@code index.html}) is there. */
    boolean exists(String file) {
        return resolve("/" + file) != null;
    }

    /** The answer to GET or HEAD of {@code path}, or null when there is no such file. */
    HttpResponse get(String path, String ifNoneMatch) throws IOException {
        URL url = resolve(path.equals("/") ? "/index.html" : path);
        if (url == null) {
            return null;
        }
        byte[] body;
        try (InputStream in = url.openStream()) {
            body = in.readAllBytes();
        }
        String name = path.equals("/") ? "index.html" : path;
        String etag = "\"" + sha256(body) + "\"";
        String cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
        HttpResponse r = etag.equals(ifNoneMatch) ? new HttpResponse(304, null, null)
                : new HttpResponse(200, Map.of("Content-Type", TYPES.get(extension(name))), body);
        return r.withHeader("ETag", etag).withHeader("Cache-Control", cache)
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    private URL resolve(String path) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            return null;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return null;
            }
        }
        if (!TYPES.containsKey(extension(path))) {
            return null;
        }
        URL url = loader.getResource(folder + path.substring(1));
        if (url == null) {
            return null;
        }
        // a folder on a file-system classpath would otherwise be "read" as a listing
        if (url.getProtocol().equals("file")) {
            try {
                if (!Files.isRegularFile(Path.of(url.toURI()))) {
                    return null;
                }
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }
        return url;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
