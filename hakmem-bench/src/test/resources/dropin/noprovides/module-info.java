/** A policy module that forgot its provides line: the CLI must say so. */
module hakmem.policy.noprovides {
    requires hakmem.api;
}
