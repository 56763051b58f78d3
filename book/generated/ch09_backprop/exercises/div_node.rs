//! Exercise: the backward pass of a division node.

// ANCHOR: exercise
// ANCHOR: signature
/// The backward pass of a division node `z = x / y`: given `dout = ∂L/∂z`, return
/// `(∂L/∂x, ∂L/∂y)`.
pub fn div_backward(x: f64, y: f64, dout: f64) -> (f64, f64) {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise div_node")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::div_backward;
    use ch07_derivatives::{DEFAULT_H, numerical_diff};

    #[test]
    fn dividing_by_one_passes_dout_to_x() {
        let (dx, _) = div_backward(5.0, 1.0, 3.0);
        assert_eq!(dx, 3.0);
    }

    #[test]
    fn backward_matches_numerical_derivatives() {
        for (x, y, dout) in [(3.0, 4.0, 1.0), (-2.0, 0.5, 2.5), (7.0, -3.0, -1.0)] {
            let (dx, dy) = div_backward(x, y, dout);
            let along_x = dout * numerical_diff(|x| x / y, x, DEFAULT_H);
            let along_y = dout * numerical_diff(|y| x / y, y, DEFAULT_H);
            assert!((dx - along_x).abs() < 1e-6, "dx at ({x}, {y})");
            assert!((dy - along_y).abs() < 1e-6, "dy at ({x}, {y})");
        }
    }
    // ANCHOR_END: tests

    #[test]
    fn the_price_per_apple_graph_gives_its_derivatives() {
        use crate::MulLayer;
        // price per apple = (apple · apple_num · tax) / apple_num = 110
        let mut mul_apple = MulLayer::default();
        let mut mul_tax = MulLayer::default();
        let total = mul_tax.forward(mul_apple.forward(100.0, 2.0), 1.1);
        let (dtotal, dcount) = div_backward(total, 2.0, 1.0);
        assert!((dtotal - 0.5).abs() < 1e-12, "∂(per apple)/∂total = 1/2");
        assert!((dcount + 55.0).abs() < 1e-9, "∂(per apple)/∂count = −220/4");
        let (dapple_price, dtax) = mul_tax.backward(dtotal);
        assert!((dtax - 100.0).abs() < 1e-9); // 200 · 0.5
        let (dapple, _) = mul_apple.backward(dapple_price);
        assert!((dapple - 1.1).abs() < 1e-12); // per apple, only the tax is left
    }
}
