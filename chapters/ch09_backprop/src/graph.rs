//! Computational graphs with scalar nodes: *Deep Learning from Scratch*'s `layer_naive.py`,
//! `buy_apple.py` and `buy_apple_orange.py`.

/// A multiplication node of a computational graph: `z = x·y`.
///
/// Going forward it remembers its inputs; going backward it hands each input the derivative
/// that arrived from above, times its local derivative — which for a product is the *other*
/// input.
///
/// ```text
/// forward:  z = x·y
/// backward: ∂L/∂x = ∂L/∂z · y,   ∂L/∂y = ∂L/∂z · x
/// ```
///
/// NumPy (DLFS): `class MulLayer` with `forward(x, y)` and `backward(dout)`.
///
/// ```
/// use ch09_backprop::MulLayer;
/// let mut node = MulLayer::default();
/// assert_eq!(node.forward(3.0, 4.0), 12.0);
/// assert_eq!(node.backward(1.0), (4.0, 3.0)); // dz/dx = y, dz/dy = x
/// ```
// ANCHOR: mul_layer
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MulLayer {
    x: f64,
    y: f64,
}

impl MulLayer {
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        self.x = x;
        self.y = y;
        x * y
    }

    pub fn backward(&self, dout: f64) -> (f64, f64) {
        let dx = dout * self.y; // the inputs swap places
        let dy = dout * self.x;
        (dx, dy)
    }
}
// ANCHOR_END: mul_layer

/// An addition node: `z = x + y`. Its local derivatives are both 1, so backward passes the
/// derivative from above unchanged to each input, and it needs to remember nothing.
///
/// ```text
/// forward:  z = x + y
/// backward: ∂L/∂x = ∂L/∂z,   ∂L/∂y = ∂L/∂z
/// ```
///
/// NumPy (DLFS): `class AddLayer`.
///
/// ```
/// use ch09_backprop::AddLayer;
/// let mut node = AddLayer;
/// assert_eq!(node.forward(3.0, 4.0), 7.0);
/// assert_eq!(node.backward(1.5), (1.5, 1.5));
/// ```
// ANCHOR: add_layer
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AddLayer;

impl AddLayer {
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        x + y
    }

    pub fn backward(&self, dout: f64) -> (f64, f64) {
        (dout, dout)
    }
}
// ANCHOR_END: add_layer

/// The price of apples with tax, and its derivative with respect to each input.
// ANCHOR: apple_purchase
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApplePurchase {
    pub price: f64,
    pub d_apple: f64,     // ∂price/∂(apple price)
    pub d_apple_num: f64, // ∂price/∂(number of apples)
    pub d_tax: f64,       // ∂price/∂tax
}
// ANCHOR_END: apple_purchase

/// Buying apples as a graph of two multiplication nodes: `price = (apple · apple_num) · tax`.
/// The forward pass computes the price; the backward pass, started with `dprice = 1`, gives
/// the derivative of the price with respect to every input.
///
/// NumPy (DLFS): `buy_apple.py`.
///
/// ```
/// let purchase = ch09_backprop::buy_apples(100.0, 2.0, 1.1);
/// assert!((purchase.price - 220.0).abs() < 1e-9); // 100 · 2 · 1.1
/// assert!((purchase.d_apple - 2.2).abs() < 1e-12); // apple_num · tax
/// assert!((purchase.d_apple_num - 110.0).abs() < 1e-9); // apple · tax
/// assert!((purchase.d_tax - 200.0).abs() < 1e-12); // apple · apple_num
/// ```
// ANCHOR: buy_apples
pub fn buy_apples(apple: f64, apple_num: f64, tax: f64) -> ApplePurchase {
    let mut mul_apple_layer = MulLayer::default();
    let mut mul_tax_layer = MulLayer::default();

    // forward: left to right
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let price = mul_tax_layer.forward(apple_price, tax);

    // backward: right to left, in the opposite order
    let dprice = 1.0;
    let (dapple_price, d_tax) = mul_tax_layer.backward(dprice);
    let (d_apple, d_apple_num) = mul_apple_layer.backward(dapple_price);

    ApplePurchase {
        price,
        d_apple,
        d_apple_num,
        d_tax,
    }
}
// ANCHOR_END: buy_apples

/// The price of apples and oranges with tax, and its derivative with respect to each input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FruitPurchase {
    pub price: f64,
    pub d_apple: f64,
    pub d_apple_num: f64,
    pub d_orange: f64,
    pub d_orange_num: f64,
    pub d_tax: f64,
}

/// Apples and oranges: two multiplications feed an addition, and the sum is taxed.
///
/// ```text
/// price = (apple · apple_num + orange · orange_num) · tax
/// ```
///
/// NumPy (DLFS): `buy_apple_orange.py`.
///
/// ```
/// let p = ch09_backprop::buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
/// assert!((p.price - 715.0).abs() < 1e-9); // (200 + 450) · 1.1
/// assert!((p.d_orange - 3.3).abs() < 1e-12); // orange_num · tax
/// assert!((p.d_tax - 650.0).abs() < 1e-12); // 200 + 450
/// ```
pub fn buy_fruit(
    apple: f64,
    apple_num: f64,
    orange: f64,
    orange_num: f64,
    tax: f64,
) -> FruitPurchase {
    // ANCHOR: buy_fruit
    let mut mul_apple_layer = MulLayer::default();
    let mut mul_orange_layer = MulLayer::default();
    let mut add_apple_orange_layer = AddLayer;
    let mut mul_tax_layer = MulLayer::default();

    // forward
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let orange_price = mul_orange_layer.forward(orange, orange_num);
    let all_price = add_apple_orange_layer.forward(apple_price, orange_price);
    let price = mul_tax_layer.forward(all_price, tax);

    // backward
    let dprice = 1.0;
    let (dall_price, d_tax) = mul_tax_layer.backward(dprice);
    let (dapple_price, dorange_price) = add_apple_orange_layer.backward(dall_price);
    let (d_orange, d_orange_num) = mul_orange_layer.backward(dorange_price);
    let (d_apple, d_apple_num) = mul_apple_layer.backward(dapple_price);
    // ANCHOR_END: buy_fruit

    FruitPurchase {
        price,
        d_apple,
        d_apple_num,
        d_orange,
        d_orange_num,
        d_tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apple_graph_gives_the_books_numbers() {
        let p = buy_apples(100.0, 2.0, 1.1);
        assert_eq!(
            format!(
                "{:.6} {:.6} {:.6} {:.6}",
                p.price, p.d_apple, p.d_apple_num, p.d_tax
            ),
            "220.000000 2.200000 110.000000 200.000000"
        );
    }

    #[test]
    fn the_fruit_graph_gives_the_books_numbers() {
        let p = buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
        let got = [
            p.price,
            p.d_apple,
            p.d_apple_num,
            p.d_orange,
            p.d_orange_num,
            p.d_tax,
        ];
        let want = [715.0, 2.2, 110.0, 3.3, 165.0, 650.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn the_fruit_graph_agrees_with_numerical_derivatives() {
        use ch07_derivatives::{DEFAULT_H, numerical_diff};
        let p = buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
        let price = |a: f64, an: f64, o: f64, on: f64, tax: f64| buy_fruit(a, an, o, on, tax).price;
        let h = DEFAULT_H;
        assert!(
            (numerical_diff(|a| price(a, 2.0, 150.0, 3.0, 1.1), 100.0, h) - p.d_apple).abs() < 1e-6
        );
        assert!(
            (numerical_diff(|o| price(100.0, 2.0, o, 3.0, 1.1), 150.0, h) - p.d_orange).abs()
                < 1e-6
        );
        assert!(
            (numerical_diff(|on| price(100.0, 2.0, 150.0, on, 1.1), 3.0, h) - p.d_orange_num).abs()
                < 1e-6
        );
        assert!(
            (numerical_diff(|tax| price(100.0, 2.0, 150.0, 3.0, tax), 1.1, h) - p.d_tax).abs()
                < 1e-6
        );
    }
}
