//! Exercise: the weight gradient `xᵀ·dout`, with loops that walk memory in order.

use ndarray::Array2;

// ANCHOR: exercise
// ANCHOR: signature
/// `dw = xᵀ·dout` for `x` of shape `(N, inputs)` and `dout` of shape `(N, outputs)`, returned
/// with shape `(inputs, outputs)`, computed with loops whose innermost one runs along a row of
/// `dout` and a row of `dw`.
pub fn transposed_product(x: &Array2<f32>, dout: &Array2<f32>) -> Array2<f32> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise transposed_product")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::transposed_product;
    use ndarray::array;

    #[test]
    fn the_shape_is_inputs_by_outputs() {
        let dw = transposed_product(&array![[1.0, 2.0, 3.0]], &array![[1.0, -1.0]]);
        assert_eq!(dw, array![[1.0, -1.0], [2.0, -2.0], [3.0, -3.0]]);
    }

    #[test]
    fn it_sums_over_the_samples() {
        let x = array![[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]];
        let dout = array![[1.0], [10.0], [100.0]];
        assert_eq!(transposed_product(&x, &dout), array![[201.0], [210.0]]);
    }

    #[test]
    fn it_equals_ndarrays_product() {
        let mut rng = seeded_rng::rng(2);
        let x = seeded_rng::randn::<f32>(&mut rng, (30, 7));
        let dout = seeded_rng::randn::<f32>(&mut rng, (30, 4));
        let (ours, theirs) = (transposed_product(&x, &dout), x.t().dot(&dout));
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-4, "{a} against {b}");
        }
    }
}
// ANCHOR_END: tests
