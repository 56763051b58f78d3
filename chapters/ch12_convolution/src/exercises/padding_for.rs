//! Exercise: the padding that gives a convolution the output size you want.

// ANCHOR: exercise
// ANCHOR: signature
/// The padding `P` for which a filter of `filter` with stride `stride` turns an input of
/// `input` into exactly `output`, by the output-size formula `(H + 2P − FH)/S + 1` (with no
/// rows left over); `None` if no padding does.
pub fn padding_for(input: usize, filter: usize, stride: usize, output: usize) -> Option<usize> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    // (H + 2P − FH) = S·(O − 1), so 2P = S·(O − 1) + FH − H, which must be even and ≥ 0.
    let twice = (stride * (output.checked_sub(1)?) + filter).checked_sub(input)?;
    (twice % 2 == 0).then_some(twice / 2)
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::padding_for;
    use crate::output_size;

    #[test]
    fn same_padding_keeps_the_size() {
        assert_eq!(padding_for(28, 3, 1, 28), Some(1));
        assert_eq!(padding_for(28, 5, 1, 28), Some(2));
    }

    #[test]
    fn no_padding_when_the_filter_fits_as_it_is() {
        assert_eq!(padding_for(28, 5, 1, 24), Some(0));
    }

    #[test]
    fn stride_two_halves_with_the_right_padding() {
        assert_eq!(padding_for(7, 3, 2, 4), Some(1));
        assert_eq!(output_size(7, 3, 1, 2), 4);
    }

    #[test]
    fn impossible_sizes_have_no_padding() {
        assert_eq!(padding_for(28, 4, 1, 28), None); // 2P = 3
        assert_eq!(padding_for(28, 3, 1, 20), None); // it would have to crop
        assert_eq!(padding_for(28, 3, 1, 0), None);
    }

    #[test]
    fn the_answer_fits_the_formula() {
        for (h, f, s, o) in [(10, 3, 1, 10), (9, 3, 2, 5), (12, 5, 3, 4)] {
            let p = padding_for(h, f, s, o).expect("a padding exists");
            assert_eq!(output_size(h, f, p, s), o, "{h} {f} {s} {o}");
        }
    }
}
// ANCHOR_END: tests
