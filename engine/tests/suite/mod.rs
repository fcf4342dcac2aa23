//! Integration test cases, one file per area.

mod shell_parse;
