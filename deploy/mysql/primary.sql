-- Accounts of the platform on the MySQL 8 primary (replicated to the replica). The passwords
-- here must match secrets.properties: change both together.
CREATE USER IF NOT EXISTS 'dbops_admin'@'%' IDENTIFIED BY 'change-me-admin';
GRANT ALL PRIVILEGES ON *.* TO 'dbops_admin'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'dbops_repl'@'%' IDENTIFIED BY 'change-me-repl';
GRANT REPLICATION SLAVE ON *.* TO 'dbops_repl'@'%';
CREATE USER IF NOT EXISTS 'dbops_monitor'@'%' IDENTIFIED BY 'change-me-monitor';
GRANT SELECT, PROCESS, REPLICATION CLIENT ON *.* TO 'dbops_monitor'@'%';
CREATE DATABASE IF NOT EXISTS shop;
