/** placeholder */ module hakmem.policy.lean { requires hakmem.api; }
