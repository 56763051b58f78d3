//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod one_at_a_time;
pub mod random_restarts;
pub mod shrinking_step;
