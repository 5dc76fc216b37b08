package io.sqspii.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on a loopback port in front of a real server (PostgreSQL, SQS). {@link #cut()} makes the
 * server unreachable as a crash or a network failure does: every open connection is reset and new ones are
 * refused; {@link #restore()} accepts again on the same port. Bytes pass through unchanged.
 */
final class TcpFaultProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket listener;

    TcpFaultProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    int port() {
        return port;
    }

    /** Closes the listening socket and resets every connection through the proxy: connects are refused. */
    synchronized void cut() {
        closeQuietly(listener);
        listener = null;
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // RST, as when the peer's host vanished
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() {
        if (listener == null) {
            listener = listen(port);
            acceptOn(listener);
        }
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    private void acceptOn(ServerSocket server) {
        threads.execute(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // cut() or close()
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                threads.execute(() -> pump(client, upstream));
                threads.execute(() -> pump(upstream, client));
            }
        });
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // reset or closed: the other direction ends too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        cut();
        threads.shutdownNow();
    }
}
