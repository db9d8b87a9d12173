/** placeholder */
module hakmem.core {
    requires hakmem.api;
}
