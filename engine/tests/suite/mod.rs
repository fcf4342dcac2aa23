//! Integration test cases, one file per area. `cfg(test)` lets helper
//! functions use `unwrap` under clippy's `allow-unwrap-in-tests`.

#[cfg(test)]
mod exec_run;
#[cfg(test)]
mod fsops_apply_undo;
#[cfg(test)]
mod fsops_resolve_rate;
