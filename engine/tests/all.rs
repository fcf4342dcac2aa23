//! One integration-test binary; the cases live in `suite/`.

mod suite;
