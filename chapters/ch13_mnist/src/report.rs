//! The machine room: how the program prints tables and timings. (The experiments themselves,
//! which decide what is printed, are in the chapter's `main.rs`.)

use std::fmt::Display;

use crate::evaluate::Confusion;
use crate::train::History;

/// Values in columns five characters wide, right-aligned.
///
/// ```
/// assert_eq!(ch13_mnist::report::columns([0, 10, 200]), "    0   10  200");
/// ```
pub fn columns<T: Display>(values: impl IntoIterator<Item = T>) -> String {
    values.into_iter().map(|v| format!("{v:>5}")).collect()
}

/// One line per epoch of `history`.
pub fn print_epochs(history: &History) {
    println!("epoch  learning rate  loss    train acc  validation acc");
    for e in &history.epochs {
        println!(
            "{:>5}  {:>13.6}  {:.4}  {:.4}     {:.4}",
            e.epoch, e.learning_rate, e.loss, e.train_accuracy, e.validation_accuracy
        );
    }
}

/// How long the training took, in seconds (stderr).
pub fn report_training_time(history: &History) {
    if let Some(last) = history.epochs.last() {
        let per_epoch = last.seconds / history.epochs.len() as f64;
        eprintln!(
            "training took {:.2} s, {per_epoch:.2} s per epoch",
            last.seconds
        );
    }
}

/// The confusion matrix as a table: true digit down, predicted digit across.
pub fn print_confusion(confusion: &Confusion) {
    println!("confusion matrix (rows: true digit, columns: predicted digit):");
    println!("     {}", columns(0..confusion.len()));
    for (t, row) in confusion.iter().enumerate() {
        println!("  {t}  {}", columns(row));
    }
}

/// What happened to an input that should have been refused: its error, with the causes, or
/// a note that it was accepted.
pub fn print_refusal<T>(what: &str, result: anyhow::Result<T>) {
    match result {
        Ok(_) => println!("  {what}: accepted (it should not have been)"),
        Err(e) => println!("  {what}:\n    {e:#}"),
    }
}
