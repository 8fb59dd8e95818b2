package io.dbops.flinkjobs;

import java.io.File;
import java.net.URI;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * Submits one of our jobs to a running Flink session cluster over its REST API: the job's
 * {@code main} runs here only to build its graph (exactly what it builds for a MiniCluster), and
 * the graph with our jar goes to the JobManager. The same jars as the MiniCluster path, so a job
 * behaves the same on one process or on a cluster.
 */
public final class ClusterSubmit {
    private ClusterSubmit() {
    }

    static Configuration client(String restUrl) {
        URI u = URI.create(restUrl);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, u.getHost());
        conf.set(RestOptions.PORT, u.getPort());
        return conf;
    }

    /** Submits {@code mainClass} from {@code jar} with {@code args}; returns the job's id once the JobManager accepted it. */
    public static JobID submit(String restUrl, File jar, String mainClass, int parallelism, String... args) throws Exception {
        Configuration conf = client(restUrl);
        PackagedProgram program = PackagedProgram.newBuilder().setJarFile(jar).setEntryPointClassName(mainClass).setArguments(args)
                .setConfiguration(conf).build();
        try {
            JobGraph graph = PackagedProgramUtils.createJobGraph(program, conf, parallelism, false);
            try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
                return client.submitJob(graph).get();
            }
        } finally {
            program.close();
        }
    }

    /** The job's status as the JobManager reports it. */
    public static JobStatus status(String restUrl, JobID id) throws Exception {
        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(client(restUrl), StandaloneClusterId.getInstance())) {
            return client.getJobStatus(id).get();
        }
    }

    /** Cancels the job. */
    public static void cancel(String restUrl, JobID id) throws Exception {
        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(client(restUrl), StandaloneClusterId.getInstance())) {
            client.cancel(id).get();
        }
    }
}
