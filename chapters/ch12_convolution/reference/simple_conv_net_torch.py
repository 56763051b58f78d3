"""Deep Learning from Scratch's SimpleConvNet in PyTorch on the CPU, for the chapter's speed
comparison: the same network and the same protocol as `ch12_convolution --bench`.

conv 30 filters 5x5 -> ReLU -> max pool 2x2 -> affine 100 -> ReLU -> affine 10, weights
0.01 * randn and zero biases (DLFS's weight_init_std), Adam with learning rate 0.001 (and the
book's epsilon, 1e-7), batches of 100 drawn from a new permutation of the first 50,000
training images every epoch (the last 10,000 are the chapter's validation images), f32.

    python simple_conv_net_torch.py --threads 2 --runs 3

times `--runs` epochs, printing each on stderr and, on stdout, one line in the form the
Rust program's `--bench` prints:
    pytorch-2t epoch_s=12.345 accuracy=0.9812
epoch_s is the median of the epochs' seconds (training only: no evaluation inside); accuracy
is the test accuracy after the last epoch. It reads the book's own MNIST files, data/mnist/
(or $MNIST_DIR), and downloads nothing.
"""

import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MNIST_DIR", os.path.join(HERE, "..", "..", "..", "data", "mnist"))
TRAIN = 50_000
BATCH = 100
LEARNING_RATE = 0.001


def read_idx(name, offset):
    with gzip.open(os.path.join(DATA, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load():
    x_train = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)[:TRAIN]
    t_train = read_idx("train-labels-idx1-ubyte.gz", 8)[:TRAIN]
    x_test = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    t_test = read_idx("t10k-labels-idx1-ubyte.gz", 8)
    images = lambda x: torch.from_numpy(x.astype(np.float32) / 255.0)
    labels = lambda t: torch.from_numpy(t.astype(np.int64))
    return images(x_train), labels(t_train), images(x_test), labels(t_test)


def simple_conv_net(rng):
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 30, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(30 * 12 * 12, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    with torch.no_grad():
        for layer in (model[0], model[4], model[6]):
            shape = tuple(layer.weight.shape)
            layer.weight.copy_(torch.from_numpy(0.01 * rng.standard_normal(shape).astype(np.float32)))
            layer.bias.zero_()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.threads < 1 or args.runs < 1:
        sys.exit("--threads and --runs must be at least 1")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    x_train, t_train, x_test, t_test = load()
    model = simple_conv_net(rng)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=1e-7)
    seconds = []
    for run in range(args.runs):
        started = time.perf_counter()
        order = torch.from_numpy(rng.permutation(TRAIN))
        for k in range(TRAIN // BATCH):
            rows = order[k * BATCH:(k + 1) * BATCH]
            x, t = x_train.index_select(0, rows), t_train.index_select(0, rows)
            loss = F.cross_entropy(model(x), t)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - started)
        print(f"pytorch {args.threads} thread(s), epoch {run + 1}: {seconds[-1]:.2f} s", file=sys.stderr)
    with torch.inference_mode():
        predicted = torch.cat([model(x).argmax(dim=1) for x in x_test.split(500)])
    accuracy = (predicted == t_test).float().mean().item()
    print(f"pytorch-{args.threads}t epoch_s={statistics.median(seconds):.3f} accuracy={accuracy:.4f}")


if __name__ == "__main__":
    main()
