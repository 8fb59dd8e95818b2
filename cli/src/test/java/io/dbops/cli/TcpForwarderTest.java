package io.dbops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpForwarderTest {
    /** An echo server on a free port; returns the port. */
    static int echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    }).start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean closedOrReset(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void forwardsBothWaysIncludingMoreThanOneBufferAndDiesAndComesBackLikeAHost() throws Exception {
        int echo = echoServer();
        int a = freePort();
        int b = freePort();
        try (TcpForwarder f = new TcpForwarder(Map.of(a, echo, b, echo))) {
            byte[] big = new byte[1 << 20];
            new Random(1).nextBytes(big);
            try (Socket s = new Socket("127.0.0.1", a)) {
                Thread writer = new Thread(() -> {
                    try {
                        s.getOutputStream().write(big);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                byte[] back = s.getInputStream().readNBytes(big.length);
                writer.join();
                assertThat(back).isEqualTo(big);
            }
            Socket live = new Socket("127.0.0.1", a);
            live.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(live.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
            f.down(List.of(a));
            // the live connection is reset and new ones are refused, like a host that vanished; the other port still answers
            assertThat(closedOrReset(live)).isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", a)).isInstanceOf(ConnectException.class);
            try (Socket other = new Socket("127.0.0.1", b)) {
                other.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
                assertThat(other.getInputStream().read()).isEqualTo('x');
            }
            f.up(List.of(a));
            try (Socket again = new Socket("127.0.0.1", a)) {
                again.getOutputStream().write("back".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(again.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("back");
            }
            live.close();
        }
    }
}
