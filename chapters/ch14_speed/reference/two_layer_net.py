"""The MNIST protocol of Deep Learning from Scratch, chapter 5, in NumPy: the reference the
chapter's Rust versions are timed against.

784-50-10 with ReLU, weights 0.01 * randn, zero biases, SGD with learning rate 0.1 on batches of
100 rows drawn at random (with replacement) every step, 10,000 steps, then the accuracy on the
60,000 training and the 10,000 test images.

The loop is the LEAN one, as the chapter's Rust versions run it: one forward and one backward
pass per step, no first-layer dx (its input is the data), no loss computed again after the
update, and no evaluation until the end. (DLFS's own ch05/train_neuralnet.py does all three and
takes about 3x as long: compare like with like.) The layers are DLFS's (Affine, Relu,
SoftmaxWithLoss) written out in one function.

It reads the four .gz IDX files the Rust program reads (data/mnist, or $MNIST_DIR).

    OPENBLAS_NUM_THREADS=1 python two_layer_net.py --dtype float32 --runs 5

prints one line per run on stderr and, on stdout, one line in the Rust program's `--bench` form:
    numpy-f32-1t median_s=9.123 accuracy=0.9712
median_s is the median over the runs of the seconds from the first step to the end of the final
evaluation; accuracy is the test accuracy of the last run. OpenBLAS, NumPy's matrix library,
uses one thread per core unless OPENBLAS_NUM_THREADS says otherwise (it reads the variable once,
when NumPy is imported).
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

ITERATIONS, BATCH_SIZE, HIDDEN, LEARNING_RATE, WEIGHT_INIT_STD = 10_000, 100, 50, 0.1, 0.01
DTYPE_NAMES = {"float32": "f32", "float64": "f64"}


def read_idx(name, offset):
    """The bytes of one gzipped IDX file after its header of `offset` bytes."""
    path = os.path.join(DATA, name)
    try:
        with gzip.open(path, "rb") as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
    except OSError as e:
        sys.exit(f"cannot read {path}: {e} (set MNIST_DIR to the folder of the four .gz files)")


def load_mnist(dtype):
    """Images as rows of pixels in [0, 1], labels as class indices (int64)."""
    x_train = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(dtype) / 255
    t_train = read_idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    x_test = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(dtype) / 255
    t_test = read_idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return x_train, t_train, x_test, t_test


def init_params(rng, dtype):
    """DLFS's TwoLayerNet: 0.01 * randn weights, zero biases (w1, b1, w2, b2)."""
    w1 = (WEIGHT_INIT_STD * rng.standard_normal((784, HIDDEN))).astype(dtype)
    w2 = (WEIGHT_INIT_STD * rng.standard_normal((HIDDEN, 10))).astype(dtype)
    return [w1, np.zeros(HIDDEN, dtype), w2, np.zeros(10, dtype)]


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def accuracy(params, x, t):
    w1, b1, w2, b2 = params
    y = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    return float(np.mean(np.argmax(y, axis=1) == t))


def train(data, dtype, seed):
    """One run of the protocol; returns (seconds, training seconds, train acc., test acc.)."""
    x_train, t_train, x_test, t_test = data
    rng = np.random.default_rng(seed)
    params = init_params(rng, dtype)
    w1, b1, w2, b2 = params
    lr = dtype(LEARNING_RATE)
    train_size = x_train.shape[0]
    rows = np.arange(BATCH_SIZE)

    started = time.perf_counter()
    for _ in range(ITERATIONS):
        mask = rng.choice(train_size, BATCH_SIZE)
        x, t = x_train[mask], t_train[mask]
        # forward: Affine, Relu, Affine, SoftmaxWithLoss
        a1 = x @ w1 + b1
        relu_mask = a1 <= 0
        h = np.where(relu_mask, 0, a1)
        y = softmax(h @ w2 + b2)
        # backward: (y - t) / N, then each layer in reverse; no dx for the first Affine
        dout = y
        dout[rows, t] -= 1
        dout /= BATCH_SIZE
        dw2 = h.T @ dout
        db2 = dout.sum(axis=0)
        dh = dout @ w2.T
        dh[relu_mask] = 0
        dw1 = x.T @ dh
        db1 = dh.sum(axis=0)
        # SGD
        for p, g in zip(params, (dw1, db1, dw2, db2)):
            p -= lr * g
    trained = time.perf_counter()
    train_accuracy = accuracy(params, x_train, t_train)
    test_accuracy = accuracy(params, x_test, t_test)
    finished = time.perf_counter()
    return finished - started, trained - started, train_accuracy, test_accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", choices=list(DTYPE_NAMES), default="float32")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    dtype = np.dtype(args.dtype).type
    data = load_mnist(dtype)
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    name = f"numpy-{DTYPE_NAMES[args.dtype]}-" + (f"{threads}t" if threads else "default")
    seconds = []
    for run in range(args.runs):
        total, training, train_acc, test_acc = train(data, dtype, args.seed)
        seconds.append(total)
        print(f"{name} run {run + 1}: {total:.3f} s ({training:.3f} s training), "
              f"train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}", file=sys.stderr)
    print(f"{name} median_s={statistics.median(seconds):.3f} accuracy={test_acc:.4f}")


if __name__ == "__main__":
    main()
