package dev.acgan.samples.web;

/**
 * A request that cannot be served as asked: the server answers with {@link #status()} and a JSON body
 * {@code {"error": message, "status": status}} that the pages show.
 */
public final class WebException extends RuntimeException {

    private final int status;

    /** An answer with this HTTP status and a one-line message for the user. */
    public WebException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** 400: a parameter is missing, malformed or out of range. */
    static WebException badRequest(String message) {
        return new WebException(400, message);
    }

    /** 404: nothing there. */
    static WebException notFound(String message) {
        return new WebException(404, message);
    }

    /** 409: not possible in the current state (e.g. a training is already running). */
    static WebException conflict(String message) {
        return new WebException(409, message);
    }
}
