package io.dbops.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Loopback TCP forwarders that stand for the servers of a simulated fleet: each listening port
 * forwards to a real server of the local stack, and {@link #down} makes a set of ports behave like
 * a dead host (live connections reset, new ones refused) until {@link #up}. One selector thread
 * serves every port and connection.
 */
final class TcpForwarder implements AutoCloseable {
    private final Map<Integer, Integer> routes;
    private final Map<Integer, ServerSocketChannel> listening = new HashMap<>();
    private final Map<Integer, List<SocketChannel>> connections = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Selector selector;
    private final Thread loop;
    private volatile boolean closed;

    /** One end of a forwarded connection: what it read waits in {@code pending} until the other end took it. */
    private static final class End {
        final SocketChannel channel;
        final ByteBuffer pending = ByteBuffer.allocate(32 * 1024);
        End peer;
        SelectionKey key;
        boolean connected;

        End(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** {@code routes}: listening port to target port, both on 127.0.0.1. */
    TcpForwarder(Map<Integer, Integer> routes) throws IOException {
        this.routes = Map.copyOf(routes);
        this.selector = Selector.open();
        for (int port : routes.keySet()) {
            listen(port);
        }
        loop = new Thread(this::run, "tcp-forwarder");
        loop.setDaemon(true);
        loop.start();
    }

    private void listen(int port) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        s.bind(new InetSocketAddress("127.0.0.1", port), 512);
        s.configureBlocking(false);
        s.register(selector, SelectionKey.OP_ACCEPT, port);
        listening.put(port, s);
    }

    /** Ports stop answering: listeners closed and every connection through them reset. Returns when done. */
    void down(Collection<Integer> ports) throws InterruptedException {
        onLoop(() -> {
            for (int port : ports) {
                ServerSocketChannel s = listening.remove(port);
                if (s != null) {
                    closeQuietly(s);
                }
                for (SocketChannel c : connections.getOrDefault(port, List.of())) {
                    try {
                        c.setOption(StandardSocketOptions.SO_LINGER, 0); // a reset, like a host that vanished
                    } catch (IOException ignored) {
                        // already closed
                    }
                    closeQuietly(c);
                }
                connections.remove(port);
            }
        });
    }

    /** Ports answer again. */
    void up(Collection<Integer> ports) throws InterruptedException {
        onLoop(() -> {
            for (int port : ports) {
                if (!listening.containsKey(port)) {
                    try {
                        listen(port);
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot listen on " + port + " again: " + e.getMessage(), e);
                    }
                }
            }
        });
    }

    private void onLoop(Runnable task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        tasks.add(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        selector.wakeup();
        done.await();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(500);
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    try {
                        handle(k);
                    } catch (IOException | CancelledKeyException e) {
                        if (k.attachment() instanceof End end) {
                            drop(end);
                        }
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("tcp forwarder: " + e);
                }
            }
        }
    }

    private void handle(SelectionKey k) throws IOException {
        if (k.isAcceptable()) {
            int port = (Integer) k.attachment();
            SocketChannel client = ((ServerSocketChannel) k.channel()).accept();
            if (client == null) {
                return;
            }
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketChannel server = SocketChannel.open();
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            End a = new End(client);
            End b = new End(server);
            a.peer = b;
            b.peer = a;
            a.connected = true;
            connections.computeIfAbsent(port, p -> new ArrayList<>()).addAll(List.of(client, server));
            b.connected = server.connect(new InetSocketAddress("127.0.0.1", routes.get(port)));
            b.key = server.register(selector, b.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, b);
            a.key = client.register(selector, b.connected ? SelectionKey.OP_READ : 0, a);
            return;
        }
        End end = (End) k.attachment();
        if (k.isConnectable()) {
            end.channel.finishConnect();
            end.connected = true;
            end.key.interestOps(SelectionKey.OP_READ);
            end.peer.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        if (k.isWritable()) {
            flush(end.peer, end);
        }
        if (k.isValid() && k.isReadable()) {
            int n = end.channel.read(end.pending);
            if (n < 0) {
                drop(end);
                return;
            }
            flush(end, end.peer);
        }
    }

    /** Writes what {@code from} read to {@code to}; a full socket pauses reading until it drains. */
    private static void flush(End from, End to) throws IOException {
        from.pending.flip();
        to.channel.write(from.pending);
        boolean left = from.pending.hasRemaining();
        from.pending.compact();
        to.key.interestOps(left ? (to.key.interestOps() | SelectionKey.OP_WRITE) : (to.key.interestOps() & ~SelectionKey.OP_WRITE));
        from.key.interestOps(left ? (from.key.interestOps() & ~SelectionKey.OP_READ) : (from.key.interestOps() | SelectionKey.OP_READ));
    }

    private void drop(End end) {
        closeQuietly(end.channel);
        closeQuietly(end.peer.channel);
        for (List<SocketChannel> l : connections.values()) {
            l.remove(end.channel);
            l.remove(end.peer.channel);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        onLoop(() -> {
            listening.values().forEach(TcpForwarder::closeQuietly);
            connections.values().forEach(l -> l.forEach(TcpForwarder::closeQuietly));
            listening.clear();
            connections.clear();
        });
        closed = true;
        selector.wakeup();
        loop.join(2000);
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
