-- The compose fleet in the inventory (docs/deployment.md): applied by the fleet-init service once
-- the services' migrations created the tables. INSERT IGNORE: a second run changes nothing.
INSERT IGNORE INTO business_lines (name, description) VALUES ('demo', 'The compose deployment''s fleet');
INSERT IGNORE INTO servers (name, address, rack, dc, hardware, mem_total_gb, disk_total_gb, cpu_cores) VALUES
  ('mysql-primary', 'mysql-primary', 'rack-1', 'dc-1', 'container', 8, 100, 2),
  ('mysql-replica', 'mysql-replica', 'rack-2', 'dc-1', 'container', 8, 100, 2),
  ('redis-primary', 'redis-primary', 'rack-1', 'dc-1', 'container', 4, 20, 1),
  ('redis-replica', 'redis-replica', 'rack-2', 'dc-1', 'container', 4, 20, 1),
  ('sentinel-1', 'sentinel-1', 'rack-1', 'dc-1', 'container', 1, 5, 1),
  ('sentinel-2', 'sentinel-2', 'rack-2', 'dc-1', 'container', 1, 5, 1),
  ('sentinel-3', 'sentinel-3', 'rack-3', 'dc-1', 'container', 1, 5, 1),
  ('mongo-1', 'mongo-1', 'rack-1', 'dc-1', 'container', 4, 50, 1),
  ('mongo-2', 'mongo-2', 'rack-2', 'dc-1', 'container', 4, 50, 1),
  ('mongo-3', 'mongo-3', 'rack-3', 'dc-1', 'container', 4, 50, 1);
INSERT IGNORE INTO clusters (name, engine, business_line, description) VALUES
  ('demo-mysql', 'mysql', 'demo', 'MySQL 8 primary + replica'),
  ('demo-redis', 'redis', 'demo', 'Redis primary + replica, 3 Sentinels'),
  ('demo-mongo', 'mongo', 'demo', 'MongoDB replica set rs0');
INSERT IGNORE INTO instances (id, engine, cluster, server, port, role, business_line, credential_ref, status, slow_log_path) VALUES
  ('demo-mysql-1', 'mysql', 'demo-mysql', 'mysql-primary', 3306, 'primary', 'demo', 'fleet.mariadb.monitor', 'active', '/var/lib/mysql-primary/slow.log'),
  ('demo-mysql-2', 'mysql', 'demo-mysql', 'mysql-replica', 3306, 'replica', 'demo', 'fleet.mariadb.monitor', 'active', '/var/lib/mysql-replica/slow.log'),
  ('demo-redis-1', 'redis', 'demo-redis', 'redis-primary', 6379, 'primary', 'demo', NULL, 'active', NULL),
  ('demo-redis-2', 'redis', 'demo-redis', 'redis-replica', 6379, 'replica', 'demo', NULL, 'active', NULL),
  ('demo-sentinel-1', 'redis', 'demo-redis', 'sentinel-1', 26379, 'sentinel', 'demo', NULL, 'active', NULL),
  ('demo-sentinel-2', 'redis', 'demo-redis', 'sentinel-2', 26379, 'sentinel', 'demo', NULL, 'active', NULL),
  ('demo-sentinel-3', 'redis', 'demo-redis', 'sentinel-3', 26379, 'sentinel', 'demo', NULL, 'active', NULL),
  ('demo-mongo-1', 'mongo', 'demo-mongo', 'mongo-1', 27017, 'primary', 'demo', NULL, 'active', NULL),
  ('demo-mongo-2', 'mongo', 'demo-mongo', 'mongo-2', 27017, 'replica', 'demo', NULL, 'active', NULL),
  ('demo-mongo-3', 'mongo', 'demo-mongo', 'mongo-3', 27017, 'replica', 'demo', NULL, 'active', NULL);
