package dev.acgan.samples.web;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to the open Train pages: each client has a queue that a request thread drains
 * into its response; a comment line every {@value #HEARTBEAT_MS} ms notices clients that went away. A
 * client that does not keep up (a full queue) is dropped, and its browser reconnects.
 */
@Singleton
final class EventHub {

    /** Open event streams at most. */
    static final int MAX_CLIENTS = 16;

    static final long HEARTBEAT_MS = 15_000;
    private static final int QUEUE = 4096;

    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");

    /** One open stream. */
    static final class Client {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
    }

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A new client whose first event is {@code event}; 503 when there are too many or the server stops. */
    Client register(String event, Object data) {
        if (closed) {
            throw new WebException(503, "the server is stopping");
        }
        if (clients.size() >= MAX_CLIENTS) {
            throw new WebException(503, "too many open Train pages (" + MAX_CLIENTS + "); close some");
        }
        Client c = new Client();
        c.queue.add(format(event, data)); // a new queue has room
        clients.add(c);
        return c;
    }

    /** Sends an event to every client. */
    void broadcast(String event, Object data) {
        if (clients.isEmpty()) {
            return;
        }
        String msg = format(event, data);
        for (Client c : clients) {
            if (!c.queue.offer(msg)) {
                drop(c);
            }
        }
    }

    private void drop(Client c) {
        clients.remove(c);
        // A broadcast may still be offering to it: clear until the end marker fits.
        do {
            c.queue.clear();
        } while (!c.queue.offer(END));
    }

    /** Writes the client's events to the response until it goes away or the hub closes. */
    void pump(Client c, OutputStream out) throws IOException {
        try {
            write(out, "retry: 2000\n\n");
            while (true) {
                String msg;
                try {
                    msg = c.queue.poll(HEARTBEAT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (msg == END) {
                    return;
                }
                write(out, msg == null ? ": ping\n\n" : msg);
            }
        } finally {
            clients.remove(c);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String format(String event, Object data) {
        return "event: " + event + "\ndata: " + Json.write(data) + "\n\n";
    }

    /** Open streams. */
    int clients() {
        return clients.size();
    }

    /** Ends every stream; no new ones are accepted. */
    void close() {
        closed = true;
        for (Client c : clients) {
            drop(c);
        }
    }
}
