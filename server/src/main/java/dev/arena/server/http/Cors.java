package dev.arena.server.http;

/**
 * Cross-origin access for the routes that allow it (WHIP/WHEP and the REST API are called from pages served
 * elsewhere). Any origin may call them: they are authorised by bearer tokens, never by cookies, so a foreign page
 * can do nothing with them that its own token does not allow.
 */
final class Cors {
    static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match";
    static final String EXPOSE_HEADERS = "Location, ETag, Link, Accept-Patch, WWW-Authenticate";
    static final String MAX_AGE_SECONDS = "86400";

    private Cors() {
    }

    /** The answer to a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) or a bare OPTIONS. */
    static HttpResponse preflight(String origin) {
        return decorate(new HttpResponse(204, null, null), origin)
                .withHeader("Allow", ALLOW_METHODS)
                .withHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
                .withHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                .withHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
    }

    /** {@code response} with the headers that let a page of {@code origin} (null: any) read it. */
    static HttpResponse decorate(HttpResponse response, String origin) {
        HttpResponse r = response.withHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin)
                .withHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        // the answer depends on Origin: caches must keep one per origin
        return origin == null ? r : r.withHeader("Vary", "Origin");
    }
}
