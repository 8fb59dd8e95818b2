package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Database engine of a fleet instance. Its JSON form is the stable lower-case string, not the Java name. */
public enum Engine {
    @JsonProperty("mysql") MYSQL,
    @JsonProperty("mariadb") MARIADB,
    @JsonProperty("redis") REDIS,
    @JsonProperty("mongo") MONGO;
}
