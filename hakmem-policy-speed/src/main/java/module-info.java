/** placeholder */ module hakmem.policy.speed { requires hakmem.api; }
