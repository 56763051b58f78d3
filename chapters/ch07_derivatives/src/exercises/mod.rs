//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod five_point;
pub mod scaled_step;
pub mod second_derivative;
