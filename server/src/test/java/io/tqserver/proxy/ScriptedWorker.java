package io.tqserver.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker on a plain {@link ServerSocket} at 127.0.0.1 whose every byte the test controls. Each
 * accepted connection runs a {@link Script} on its own thread, and every request it reads is
 * recorded as received.
 */
final class ScriptedWorker implements AutoCloseable {

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger acceptedConnections = new AtomicInteger();
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ScriptedWorker(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
    }

    /** Starts a worker that runs {@code script} on each connection it accepts. */
    static ScriptedWorker start(Script script) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ScriptedWorker worker = new ScriptedWorker(server, script);
        Thread acceptor = new Thread(worker::acceptLoop, "scripted-worker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return worker;
    }

    /** Starts a worker that answers every request on every connection with {@code response}. */
    static ScriptedWorker answeringAlways(String response) throws IOException {
        return start((connection, index) -> {
            while (connection.readRequest() != null) {
                connection.send(response);
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    int acceptedConnections() {
        return acceptedConnections.get();
    }

    /** Returns the requests read so far, in arrival order. */
    List<ReceivedRequest> requests() {
        return requests;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int index = acceptedConnections.getAndIncrement();
                Thread thread = new Thread(() -> serve(socket, index), "scripted-worker-" + index);
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int index) {
        try (socket) {
            socket.setSoTimeout(ClientConnection.READ_TIMEOUT_MS * 2);
            script.serve(new Connection(socket), index);
        } catch (IOException e) {
            // The proxy closed the connection or the worker was stopped; the test checks results.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** What a worker connection does, given the connection and its zero-based accept order. */
    @FunctionalInterface
    interface Script {
        void serve(Connection connection, int index) throws IOException;
    }

    /** One accepted connection, as a script sees it. */
    final class Connection {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads the next request head, without its body. */
        String readHead() throws IOException {
            return HttpWire.readHead(in);
        }

        /**
         * Reads the next request and its body, and records it.
         *
         * @return the request, or {@code null} when the proxy closed the connection
         */
        ReceivedRequest readRequest() throws IOException {
            String head = HttpWire.readHead(in);
            if (head == null) {
                return null;
            }
            Map<String, List<String>> headers = HttpWire.parseHeaders(head);
            byte[] body = new byte[0];
            if (HttpWire.isChunked(headers)) {
                body = HttpWire.readChunked(in);
            } else if (headers.containsKey("Content-Length")) {
                body = HttpWire.readFixed(in, Long.parseLong(headers.get("Content-Length").get(0)));
            }
            ReceivedRequest request = new ReceivedRequest(head, body);
            requests.add(request);
            return request;
        }

        /** Sends {@code text} as ISO-8859-1 bytes, exactly as written. */
        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        InputStream input() {
            return in;
        }

        OutputStream output() {
            return out;
        }

        /** Records a request whose head and body the script read itself. */
        void record(ReceivedRequest request) {
            requests.add(request);
        }

        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
