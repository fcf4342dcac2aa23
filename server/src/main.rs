//! The `devos` binary.
fn main() {}
