//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod early_stopping;
pub mod gradient_ascent;
pub mod matrix_gradient;
pub mod newton_sqrt;
