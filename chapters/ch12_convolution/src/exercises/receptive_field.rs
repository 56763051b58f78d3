//! Exercise: how much of the image one unit of a deep layer sees.

// ANCHOR: exercise
// ANCHOR: signature
/// The receptive field of a stack of layers, each given as `(filter, stride)` (a convolution
/// or a pooling): how many pixels across the input one output of the last layer depends on.
///
/// ```text
/// r = 1, j = 1                 (one pixel, neighbours one pixel apart)
/// for each layer:  r ← r + (F − 1)·j,   j ← j·S
/// ```
pub fn receptive_field(layers: &[(usize, usize)]) -> usize {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let (mut r, mut jump) = (1, 1);
    for &(filter, stride) in layers {
        r += (filter - 1) * jump;
        jump *= stride;
    }
    r
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::receptive_field;

    #[test]
    fn one_layer_sees_its_filter() {
        assert_eq!(receptive_field(&[(5, 1)]), 5);
    }

    #[test]
    fn no_layer_sees_one_pixel() {
        assert_eq!(receptive_field(&[]), 1);
    }

    #[test]
    fn stacked_3x3_filters_see_as_far_as_one_large_one() {
        assert_eq!(receptive_field(&[(3, 1), (3, 1)]), 5);
        assert_eq!(receptive_field(&[(3, 1), (3, 1), (3, 1)]), 7);
    }

    #[test]
    fn pooling_widens_what_later_layers_see() {
        // conv 5×5, pool 2×2, conv 5×5, pool 2×2: the deeper network of the chapter
        assert_eq!(receptive_field(&[(5, 1), (2, 2), (5, 1), (2, 2)]), 16);
        // SimpleConvNet's convolution and pooling
        assert_eq!(receptive_field(&[(5, 1), (2, 2)]), 6);
    }
}
// ANCHOR_END: tests
