//! Integration test modules.

mod planner_phrasings;
