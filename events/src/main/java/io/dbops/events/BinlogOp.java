package io.dbops.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a binlog event did: a row insert, update or delete, or a DDL statement. Its JSON form is the stable lower-case string, not the Java name. */
public enum BinlogOp {
    @JsonProperty("c") CREATE,
    @JsonProperty("u") UPDATE,
    @JsonProperty("d") DELETE,
    @JsonProperty("ddl") DDL;
}
