//! The chapter's exercises: one file each, with the signature, the solution and the tests that
//! check it marked by anchors for the book.

pub mod cutout;
pub mod dlfs_dropout;
pub mod elastic_net;
pub mod zoom;
