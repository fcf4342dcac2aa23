//! One integration-test binary; the cases live in `suite/`.

#[cfg(test)]
mod suite;
