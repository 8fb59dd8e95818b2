package io.dbops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A Redis server or Sentinel of the demo set. The config file is written only once: after a
 * failover, Sentinel rewrites it (who replicates from whom) and that must survive a restart.
 */
final class RedisServer extends ServerComponent {
    private final boolean sentinel;
    private final Integer replicaOf;
    private final int masterPort;

    /** A data node; {@code replicaOf} is the primary's port, or null for the primary. */
    static RedisServer node(StackConfig config, String name, Integer replicaOf) {
        return new RedisServer(config, name, false, replicaOf, 0);
    }

    /** A Sentinel watching the primary on {@code masterPort}. */
    static RedisServer sentinel(StackConfig config, String name, int masterPort) {
        return new RedisServer(config, name, true, null, masterPort);
    }

    private RedisServer(StackConfig config, String name, boolean sentinel, Integer replicaOf, int masterPort) {
        super(config, name);
        this.sentinel = sentinel;
        this.replicaOf = replicaOf;
        this.masterPort = masterPort;
    }

    Path conf() {
        return dir().resolve(sentinel ? "sentinel.conf" : "redis.conf");
    }

    @Override
    void prepare() throws Exception {
        if (Files.exists(conf())) {
            return;
        }
        StringBuilder c = new StringBuilder();
        c.append("port ").append(port()).append('\n')
         .append("bind 127.0.0.1\n")
         .append("daemonize no\n")
         .append("logfile \"\"\n")
         .append("dir ").append(dir()).append('\n')
         // keep the config path in the process title: it is how down recognises its own processes
         .append("proc-title-template \"{title} {listen-addr} {server-mode} {config-file}\"\n");
        if (sentinel) {
            String m = StackConfig.REDIS_MASTER_NAME;
            c.append("sentinel monitor ").append(m).append(" 127.0.0.1 ").append(masterPort).append(" 2\n")
             // 1.5 s without an answer makes the master subjectively down: the failover completes within
             // about 3 s of a crash (the stack's Redis runs on one host; across hosts allow more)
             .append("sentinel down-after-milliseconds ").append(m).append(" 1500\n")
             .append("sentinel failover-timeout ").append(m).append(" 60000\n")
             .append("sentinel parallel-syncs ").append(m).append(" 1\n");
        } else {
            c.append("save \"\"\n")
             .append("appendonly no\n")
             .append("repl-diskless-sync yes\n")
             .append("repl-diskless-sync-delay 0\n");
            if (replicaOf != null) {
                c.append("replicaof 127.0.0.1 ").append(replicaOf).append('\n');
            }
        }
        write(conf(), c.toString());
    }

    @Override
    List<String> command() {
        return List.of(sentinel ? "redis-sentinel" : "redis-server", conf().toString());
    }

    Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port()),
                DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build());
    }

    @Override
    boolean ready() {
        try (Jedis j = client()) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    Health health() {
        try (Jedis j = client()) {
            if (sentinel) {
                List<String> master = j.sentinelGetMasterAddrByName(StackConfig.REDIS_MASTER_NAME);
                int others = Integer.parseInt(j.sentinelMaster(StackConfig.REDIS_MASTER_NAME).get("num-other-sentinels"));
                return others >= 2
                        ? Health.ok("master " + String.join(":", master) + ", sees " + others + " other sentinels")
                        : Health.bad("master " + String.join(":", master) + ", sees only " + others + " other sentinels");
            }
            String info = j.info("replication");
            String role = field(info, "role");
            if ("slave".equals(role)) {
                String link = field(info, "master_link_status");
                String detail = "replica of " + field(info, "master_host") + ":" + field(info, "master_port") + ", link " + link;
                return "up".equals(link) ? Health.ok(detail) : Health.bad(detail);
            }
            return Health.ok(role + ", " + field(info, "connected_slaves") + " replica(s)");
        } catch (RuntimeException e) {
            return Health.bad("does not answer: " + e.getMessage());
        }
    }

    static String field(String info, String key) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return null;
    }
}
