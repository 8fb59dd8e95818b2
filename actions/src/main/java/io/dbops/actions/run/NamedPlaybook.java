package io.dbops.actions.run;

/** A playbook's fixed identity: name, one-line description, whether it changes a cluster's roles. */
public abstract class NamedPlaybook implements Playbook {
    private final String name;
    private final String description;
    private final boolean changesTopology;

    protected NamedPlaybook(String name, String description, boolean changesTopology) {
        this.name = name;
        this.description = description;
        this.changesTopology = changesTopology;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean changesTopology() {
        return changesTopology;
    }
}
