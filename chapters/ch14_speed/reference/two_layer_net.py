"""The MNIST protocol of Deep Learning from Scratch, chapter 5, in NumPy: the reference the
chapter's Rust program is timed against.

784-50-10 with ReLU, weights 0.01 * randn, zero biases, SGD with learning rate 0.1 on batches of
100 drawn at random (with replacement) every iteration, 10,000 iterations; train and test
accuracy every epoch (every 600 iterations, from the first) and after the last iteration.

The layers are DLFS's (Affine, Relu, SoftmaxWithLoss), written out in one function for speed;
like the Rust version, the backward pass skips dx of the first layer, whose input is the data.
It reads the same four .gz files as the Rust program (data/mnist, or $MNIST_DIR).

    python two_layer_net.py --dtype float32 --runs 5 [--no-eval]

prints one line per run on stderr and, on stdout, the medians:
    numpy float32 eval=every-epoch: training 9.1 s, total 12.0 s (test accuracy 0.9712)
"""

import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MNIST_DIR") or os.path.join(HERE, "..", "..", "..", "data", "mnist")


def read_idx(name, offset):
    """The bytes of one gzipped IDX file after its header of `offset` bytes."""
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load_mnist(dtype):
    """Images as rows of pixels in [0, 1], labels as class indices."""
    x_train = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(dtype) / 255
    t_train = read_idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    x_test = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(dtype) / 255
    t_test = read_idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return x_train, t_train, x_test, t_test


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def accuracy(params, x, t):
    w1, b1, w2, b2 = params
    h = np.maximum(x @ w1 + b1, 0)
    y = h @ w2 + b2
    return float(np.mean(np.argmax(y, axis=1) == t))


def train(data, dtype, evaluate, seed):
    x_train, t_train, x_test, t_test = data
    rng = np.random.default_rng(seed)
    w1 = (0.01 * rng.standard_normal((784, 50))).astype(dtype)
    b1 = np.zeros(50, dtype)
    w2 = (0.01 * rng.standard_normal((50, 10))).astype(dtype)
    b2 = np.zeros(10, dtype)
    params = [w1, b1, w2, b2]
    lr = dtype(0.1)
    iterations, batch_size = 10_000, 100
    train_size = x_train.shape[0]
    iter_per_epoch = max(train_size // batch_size, 1)
    training = evaluation = 0.0
    test_accuracy = None

    def evaluate_now():
        nonlocal evaluation, test_accuracy
        started = time.perf_counter()
        accuracy(params, x_train, t_train)
        test_accuracy = accuracy(params, x_test, t_test)
        evaluation += time.perf_counter() - started

    for i in range(iterations):
        started = time.perf_counter()
        mask = rng.choice(train_size, batch_size)
        x, t = x_train[mask], t_train[mask]
        # forward: Affine, Relu, Affine, SoftmaxWithLoss
        a1 = x @ w1 + b1
        relu_mask = a1 <= 0
        h = np.where(relu_mask, 0, a1)
        y = softmax(h @ w2 + b2)
        # backward: (y - t) / N, then each layer in reverse
        dout = y
        dout[np.arange(batch_size), t] -= 1
        dout /= batch_size
        dw2 = h.T @ dout
        db2 = dout.sum(axis=0)
        dh = dout @ w2.T
        dh[relu_mask] = 0
        dw1 = x.T @ dh
        db1 = dh.sum(axis=0)
        # SGD
        for p, g in zip(params, (dw1, db1, dw2, db2)):
            p -= lr * g
        training += time.perf_counter() - started
        if evaluate and i % iter_per_epoch == 0:
            evaluate_now()
    evaluate_now()
    return training, test_accuracy, training + evaluation


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-eval", action="store_true", help="evaluate only at the end")
    args = parser.parse_args()
    dtype = np.dtype(args.dtype).type
    data = load_mnist(dtype)
    trainings, totals, acc = [], [], None
    for run in range(args.runs):
        training, acc, total = train(data, dtype, not args.no_eval, args.seed + run)
        trainings.append(training)
        totals.append(total)
        print(f"run {run + 1}: training {training:.2f} s, total {total:.2f} s, "
              f"test accuracy {acc:.4f}", file=sys.stderr)
    evaluations = "at-the-end" if args.no_eval else "every-epoch"
    print(f"numpy {args.dtype} eval={evaluations}: training {statistics.median(trainings):.2f} s, "
          f"total {statistics.median(totals):.2f} s (test accuracy {acc:.4f})")


if __name__ == "__main__":
    main()
