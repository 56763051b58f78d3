//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod adamw;
pub mod clip_by_norm;
pub mod exponential_decay;
pub mod nesterov;
