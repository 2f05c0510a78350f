package io.jumiorisk.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An account at Jumio: one user, and the workflow executions started for it. */
final class Account {
    final String id;
    final Set<String> workflowIds = ConcurrentHashMap.newKeySet();

    Account(String id) {
        this.id = id;
    }
}
