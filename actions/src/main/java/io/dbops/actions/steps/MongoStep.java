package io.dbops.actions.steps;

import io.dbops.actions.run.StepContext;
import io.dbops.actions.run.StepFailure;
import io.dbops.metadata.InventoryInstance;
import org.bson.Document;

/**
 * The {@code mongo} step type: runs one database command on a MongoDB instance (credentials from
 * the secrets file by the instance's reference) and logs its answer; {@code ok: 0} is a failure
 * naming the server's message.
 */
public final class MongoStep {
    private MongoStep() {
    }

    public static Document command(StepContext ctx, InventoryInstance instance, String database, Document command) throws Exception {
        try (var client = ctx.fleet().mongo(instance)) {
            Document reply = client.getDatabase(database).runCommand(command);
            String text = reply.toJson();
            ctx.out(command.keySet().iterator().next() + " on " + instance.id() + ": " + (text.length() > 500 ? text.substring(0, 500) + " ..." : text));
            return reply;
        } catch (com.mongodb.MongoCommandException e) {
            throw StepFailure.fatal(command.keySet().iterator().next() + " refused by " + instance.id() + ": " + e.getErrorMessage());
        } catch (com.mongodb.MongoTimeoutException | com.mongodb.MongoSocketException e) {
            throw StepFailure.transientFailure(instance.id() + " does not answer: " + e.getMessage(), e);
        }
    }
}
