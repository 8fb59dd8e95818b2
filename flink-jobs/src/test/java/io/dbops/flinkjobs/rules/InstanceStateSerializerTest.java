package io.dbops.flinkjobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class InstanceStateSerializerTest {
    static final InstanceStateSerializer S = InstanceStateSerializer.INSTANCE;

    /** States as the rule engine leaves them: empty, polled, with a firing rule and labels, with NULLs and odd names. */
    static Stream<InstanceState> states() {
        InstanceState empty = new InstanceState();

        InstanceState polled = new InstanceState();
        RuleEngine.onSample(polled, RuleEngineTest.sample(RuleEngineTest.DB, 1_700_000_000, "s", "threads_running", 5, "questions", 10),
                RuleEngineTest.PACKS, 1_000);
        RuleEngine.onSample(polled, RuleEngineTest.sample(RuleEngineTest.DB, 1_700_000_010, "s", "threads_running", null, "questions", 30),
                RuleEngineTest.PACKS, 11_000);

        InstanceState firing = new InstanceState();
        InstanceRef odd = new InstanceRef("db-\u00e9\u4e2d", Engine.REDIS, null, "h", null, "b\nl");
        RuleEngine.onSample(firing, RuleEngineTest.sample(odd, 1_700_000_000, "up", "up", 0), RuleEngineTest.PACKS, 1_000);
        RuleEngine.onSample(firing, RuleEngineTest.sample(odd, 1_700_000_000, "r", "lag", 500), RuleEngineTest.PACKS, 1_000);
        firing.lastError = "x".repeat(70_000); // longer than writeUTF allows
        firing.partition(7);
        return Stream.of(empty, polled, firing);
    }

    static byte[] bytes(InstanceState st) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        S.serialize(st, out);
        return out.getCopyOfBuffer();
    }

    @ParameterizedTest
    @MethodSource("states")
    void aStateReadBackIsTheSameState(InstanceState st) throws IOException {
        InstanceState read = io.dbops.flinkjobs.SerializerChecks.roundTrip(S, st);
        assertThat(read.instance()).isEqualTo(st.instance());
        assertThat(read.firingRules()).isEqualTo(st.firingRules());
        assertThat(read.pendingRules()).isEqualTo(st.pendingRules());
        assertThat(read.lastError).isEqualTo(st.lastError);
        assertThat(read.partition()).isEqualTo(st.partition());
    }

    @ParameterizedTest
    @MethodSource("states")
    void aCopyIsDeepAndEqual(InstanceState st) throws IOException {
        // the engine changing the copy leaves the original (the snapshot being written) alone
        io.dbops.flinkjobs.SerializerChecks.copyIsIndependent(S, st, copy -> {
            RuleEngine.onSample(copy, RuleEngineTest.sample(RuleEngineTest.DB, 1_700_000_100, "s", "threads_running", 99, "questions", 90),
                    RuleEngineTest.PACKS, 100_000);
            copy.rules.values().forEach(r -> r.value = 42);
        });
    }

    @Test
    void formatOneWithoutThePartitionIsStillRead() throws IOException {
        InstanceState st = new InstanceState();
        RuleEngine.onSample(st, RuleEngineTest.sample(RuleEngineTest.DB, 1_700_000_000, "s", "threads_running", 5), RuleEngineTest.PACKS, 1_000);
        st.instance = null;
        st.partition(5);
        byte[] two = bytes(st);
        // format byte, no instance, no last error (one byte each), then the partition (4 bytes) that format 1 did not have
        assertThat(two[0]).isEqualTo((byte) 2);
        byte[] one = new byte[two.length - 4];
        one[0] = 1;
        System.arraycopy(two, 1, one, 1, 2);
        System.arraycopy(two, 7, one, 3, two.length - 7);
        InstanceState read = S.deserialize(new DataInputDeserializer(one));
        assertThat(read.partition()).isEqualTo(-1);
        read.partition(5);
        assertThat(bytes(read)).isEqualTo(two);
    }

    @Test
    void stateOfTheGenericSerializerIsTakenOverByMigration() {
        var kryo = new KryoSerializer<>(InstanceState.class, new SerializerConfigImpl()).snapshotConfiguration();
        assertThat(new InstanceStateSerializer.Snapshot().resolveSchemaCompatibility(kryo).isCompatibleAfterMigration()).isTrue();
        assertThat(new InstanceStateSerializer.Snapshot().resolveSchemaCompatibility(S.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
        assertThat(List.of(S.duplicate(), S.createInstance())).hasSize(2);
    }
}
