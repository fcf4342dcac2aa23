//! Integration test cases, one file per area.

mod risk_corpus;
mod shell_parse;
