//! Training or inference: the switch that dropout and batch normalisation read.

use std::cell::Cell;
use std::rc::Rc;

/// Whether a network is training (dropout drops, batch normalisation uses the batch's
/// statistics) or being used (dropout passes everything on, batch normalisation uses the
/// statistics it kept). One switch is shared by every layer that behaves differently, so the
/// whole network flips at once.
///
/// NumPy (DLFS): the `train_flg` argument of `forward(x, train_flg)`; PyTorch:
/// `model.train()` and `model.eval()`.
///
/// ```
/// use ch11_generalization::Mode;
/// let mode = Mode::default(); // training
/// let layers_copy = mode.clone(); // what a layer keeps: the same switch
/// let accuracy = mode.inference(|| {
///     assert!(!layers_copy.is_training());
///     0.9
/// });
/// assert_eq!(accuracy, 0.9);
/// assert!(layers_copy.is_training()); // back to training
/// ```
// ANCHOR: mode
#[derive(Debug, Clone)]
pub struct Mode {
    training: Rc<Cell<bool>>, // one flag, shared by every clone
}

impl Mode {
    pub fn is_training(&self) -> bool {
        self.training.get()
    }

    /// Runs `f` with the network in inference mode, then switches back to training.
    pub fn inference<T>(&self, f: impl FnOnce() -> T) -> T {
        self.training.set(false);
        let result = f();
        self.training.set(true);
        result
    }
}
// ANCHOR_END: mode

impl Default for Mode {
    /// A switch set to training.
    fn default() -> Self {
        Mode {
            training: Rc::new(Cell::new(true)),
        }
    }
}
