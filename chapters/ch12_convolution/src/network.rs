//! Convolutional networks built from a list of blocks: *Deep Learning from Scratch*'s
//! `SimpleConvNet` (`ch07/simple_convnet.py`) and a deeper network of two convolution–pooling
//! blocks, with what each layer costs.

use ch03_layers::Float;
use ch09_backprop::{Affine, Layer, Relu, Sequential, SoftmaxWithLoss};
use ch10_optimizers::Init;
use seeded_rng::Rng;

use crate::layers::{Convolution, MaxPooling, Shape, size_of};

/// One block of a network, as a list of them describes it.
// ANCHOR: block
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// `filters` filters of `size × size`, stride 1, the input padded by `pad`.
    Conv {
        filters: usize,
        size: usize,
        pad: usize,
    },
    /// Max pooling over 2 × 2 windows, stride 2.
    Pool,
    Relu,
    /// A fully connected layer to `outputs` units (the backprop chapter's Affine).
    Affine {
        outputs: usize,
    },
}
// ANCHOR_END: block

/// *Deep Learning from Scratch*'s `SimpleConvNet`: conv 30 filters 5×5 → ReLU → pool 2×2 →
/// affine 100 → ReLU → affine 10.
// ANCHOR: simple_conv_net
pub const SIMPLE_CONV_NET: [Block; 6] = [
    Block::Conv {
        filters: 30,
        size: 5,
        pad: 0,
    },
    Block::Relu,
    Block::Pool,
    Block::Affine { outputs: 100 },
    Block::Relu,
    Block::Affine { outputs: 10 },
];
// ANCHOR_END: simple_conv_net

/// A deeper network: two convolution–pooling blocks, the second with more filters, each
/// seeing the whole output of the one before. The second convolution's 5×5 filters look at
/// 12×12 maps, so each of its outputs sees 14×14 pixels of the digit.
// ANCHOR: deep_conv_net
pub const DEEP_CONV_NET: [Block; 9] = [
    Block::Conv {
        filters: 32,
        size: 5,
        pad: 0,
    },
    Block::Relu,
    Block::Pool,
    Block::Conv {
        filters: 64,
        size: 5,
        pad: 0,
    },
    Block::Relu,
    Block::Pool,
    Block::Affine { outputs: 256 },
    Block::Relu,
    Block::Affine { outputs: 10 },
];
// ANCHOR_END: deep_conv_net

/// A multi-layer perceptron to compare with: 784-300-100-10, ReLU (LeCun's classic sizes).
pub const MLP: [Block; 5] = [
    Block::Affine { outputs: 300 },
    Block::Relu,
    Block::Affine { outputs: 100 },
    Block::Relu,
    Block::Affine { outputs: 10 },
];

/// The network of `blocks` for images of shape `input`, ending in Softmax-with-loss. Each
/// convolution and affine layer draws its weights with `init` from its own number of inputs
/// (`C·FH·FW` for a convolution); biases start at zero.
///
/// ```
/// use ch12_convolution::{conv_net, SIMPLE_CONV_NET};
/// use ch10_optimizers::Init;
/// let mut net = conv_net::<f32>(&SIMPLE_CONV_NET, (1, 28, 28), Init::Std(0.01), &mut seeded_rng::rng(0));
/// assert_eq!(net.layers.len(), 6);
/// assert_eq!(net.parameter_count(), 433_890); // 750 + 30, 432 000 + 100, 1000 + 10
/// ```
// ANCHOR: conv_net
pub fn conv_net<F: Float>(
    blocks: &[Block],
    input: Shape,
    init: Init,
    rng: &mut impl Rng,
) -> Sequential<F> {
    let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
    let mut shape = input; // of the images between the layers
    for &block in blocks {
        match block {
            Block::Conv { filters, size, pad } => {
                let fan_in = shape.0 * size * size;
                let conv = Convolution::new(shape, filters, size, pad, init.std(fan_in), rng);
                shape = conv.output();
                layers.push(Box::new(conv));
            }
            Block::Pool => {
                let pool = MaxPooling::new(shape, 2);
                shape = pool.output();
                layers.push(Box::new(pool));
            }
            Block::Relu => layers.push(Box::new(Relu::default())),
            Block::Affine { outputs } => {
                let inputs = size_of(shape);
                layers.push(Box::new(Affine::new(
                    inputs,
                    outputs,
                    init.std(inputs),
                    rng,
                )));
                shape = (outputs, 1, 1);
            }
        }
    }
    Sequential::new(layers, SoftmaxWithLoss::default())
}
// ANCHOR_END: conv_net

/// What one block costs: the shape of what it puts out, how many numbers it learns, and how
/// many multiply-adds its forward pass does per image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockCost {
    pub block: Block,
    pub output: Shape,
    pub parameters: usize,
    pub multiply_adds: usize,
}

/// The cost of every block of `blocks` on images of shape `input`.
///
/// ```text
/// convolution: parameters FN·C·FH·FW + FN,  multiply-adds OH·OW · FN·C·FH·FW
/// affine:      parameters I·O + O,          multiply-adds I·O
/// ```
///
/// ```
/// use ch12_convolution::{costs, SIMPLE_CONV_NET};
/// let costs = costs(&SIMPLE_CONV_NET, (1, 28, 28));
/// assert_eq!(costs[0].output, (30, 24, 24));
/// assert_eq!(costs[0].multiply_adds, 24 * 24 * 30 * 25);
/// assert_eq!(costs[3].parameters, 30 * 12 * 12 * 100 + 100);
/// ```
pub fn costs(blocks: &[Block], input: Shape) -> Vec<BlockCost> {
    let mut shape = input;
    let mut costs = Vec::new();
    for &block in blocks {
        let (c, h, w) = shape;
        let (output, parameters, multiply_adds) = match block {
            Block::Conv { filters, size, pad } => {
                let (oh, ow) = (h + 2 * pad + 1 - size, w + 2 * pad + 1 - size);
                let weights = filters * c * size * size;
                ((filters, oh, ow), weights + filters, oh * ow * weights)
            }
            Block::Pool => ((c, h / 2, w / 2), 0, 0),
            Block::Relu => (shape, 0, 0),
            Block::Affine { outputs } => {
                let inputs = size_of(shape);
                (
                    (outputs, 1, 1),
                    inputs * outputs + outputs,
                    inputs * outputs,
                )
            }
        };
        costs.push(BlockCost {
            block,
            output,
            parameters,
            multiply_adds,
        });
        shape = output;
    }
    costs
}

impl std::fmt::Display for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Block::Conv {
                filters,
                size,
                pad: 0,
            } => write!(f, "conv {filters} × {size}×{size}"),
            Block::Conv { filters, size, pad } => {
                write!(f, "conv {filters} × {size}×{size}, pad {pad}")
            }
            Block::Pool => write!(f, "max pool 2×2"),
            Block::Relu => write!(f, "ReLU"),
            Block::Affine { outputs } => write!(f, "affine {outputs}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch09_backprop::check_network;
    use ndarray::Array2;

    #[test]
    fn the_costs_count_what_the_network_learns() {
        for blocks in [&SIMPLE_CONV_NET[..], &DEEP_CONV_NET[..]] {
            let mut net = conv_net::<f32>(blocks, (1, 28, 28), Init::He, &mut seeded_rng::rng(0));
            let counted: usize = costs(blocks, (1, 28, 28))
                .iter()
                .map(|c| c.parameters)
                .sum();
            assert_eq!(net.parameter_count(), counted);
            let y = net.predict(&Array2::zeros((2, 784)));
            assert_eq!(y.dim(), (2, 10));
        }
    }

    #[test]
    fn a_small_conv_net_passes_its_gradient_check() {
        let blocks = [
            Block::Conv {
                filters: 3,
                size: 3,
                pad: 1,
            },
            Block::Relu,
            Block::Pool,
            Block::Conv {
                filters: 2,
                size: 3,
                pad: 0,
            },
            Block::Relu,
            Block::Affine { outputs: 3 },
        ];
        let mut rng = seeded_rng::rng(7);
        let mut net = conv_net::<f64>(&blocks, (2, 6, 6), Init::He, &mut rng);
        let x = seeded_rng::randn::<f64>(&mut rng, (3, 72));
        let checks = check_network(&mut net, &x, &[0, 2, 1][..]);
        assert_eq!(checks.len(), 6);
        for check in checks {
            assert!(check.max < 1e-7, "{check:?}");
        }
    }
}
