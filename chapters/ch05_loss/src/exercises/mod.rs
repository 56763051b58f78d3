//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod binary_cross_entropy;
pub mod mean_absolute_error;
pub mod top_k_accuracy;
