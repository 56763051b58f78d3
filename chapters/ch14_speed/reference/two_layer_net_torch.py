"""The MNIST protocol of Deep Learning from Scratch, chapter 5, in PyTorch on the CPU: the same
protocol and the same lean loop as two_layer_net.py (NumPy), for the chapter's comparison.

784-50-10 with ReLU, weights 0.01 * randn, zero biases, SGD with learning rate 0.1 on batches of
100 rows drawn at random (with replacement) every step, 10,000 steps, then the accuracy on the
60,000 training and the 10,000 test images. The data, the initial weights and every batch's row
numbers come from two_layer_net.py's own code and NumPy generator: with the same --seed, both
references train from the same start on the same batches.

Two loops, both lean (one forward and one backward pass per step, no first-layer dx, no loss
computed again after the update, evaluation only at the end):
  --loop autograd  idiomatic PyTorch: nn.Linear, F.cross_entropy, loss.backward(),
                   torch.optim.SGD. Autograd computes no dx for the first layer by itself, as
                   the data does not require a gradient.
  --loop manual    plain tensors, the backward pass written out as in two_layer_net.py, with
                   SGD updates in place and no autograd.
Both gather a batch with index_select, which is faster than x_train[mask] in PyTorch (in NumPy
the two are as fast).

    python two_layer_net_torch.py --threads 1 --loop autograd --runs 5

prints one line per run on stderr and, on stdout, one line in the Rust program's `--bench` form:
    pytorch-autograd-f32-1t median_s=9.123 accuracy=0.9712
median_s is the median over the runs of the seconds from the first step to the end of the final
evaluation; accuracy is the test accuracy of the last run.
"""

import argparse
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from two_layer_net import (BATCH_SIZE, DTYPE_NAMES, HIDDEN, ITERATIONS, LEARNING_RATE,
                           init_params, load_mnist)


def accuracy(forward, x, t):
    with torch.inference_mode():
        return (forward(x).argmax(dim=1) == t).float().mean().item()


def train_autograd(data, params, rng):
    x_train, t_train = data[0], data[1]
    w1, b1, w2, b2 = params
    model = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, 10))
    with torch.no_grad():  # nn.Linear keeps its weight as (outputs, inputs)
        for layer, w, b in ((model[0], w1, b1), (model[2], w2, b2)):
            layer.weight.copy_(w.T)
            layer.bias.copy_(b)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    train_size = x_train.shape[0]
    for _ in range(ITERATIONS):
        mask = torch.from_numpy(rng.choice(train_size, BATCH_SIZE))
        x, t = x_train.index_select(0, mask), t_train.index_select(0, mask)
        loss = F.cross_entropy(model(x), t)  # softmax and the mean cross-entropy, as DLFS's
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return model


def train_manual(data, params, rng):
    x_train, t_train = data[0], data[1]
    w1, b1, w2, b2 = params
    lr = LEARNING_RATE
    train_size = x_train.shape[0]
    rows = torch.arange(BATCH_SIZE)
    with torch.inference_mode():
        for _ in range(ITERATIONS):
            mask = torch.from_numpy(rng.choice(train_size, BATCH_SIZE))
            x, t = x_train.index_select(0, mask), t_train.index_select(0, mask)
            # forward: Affine, Relu, Affine, SoftmaxWithLoss
            a1 = torch.addmm(b1, x, w1)
            relu_mask = a1 <= 0
            h = a1.masked_fill(relu_mask, 0)
            dout = torch.softmax(torch.addmm(b2, h, w2), dim=1)
            # backward: (y - t) / N, then each layer in reverse; no dx for the first Affine
            dout[rows, t] -= 1
            dout /= BATCH_SIZE
            dw2 = h.T @ dout
            db2 = dout.sum(dim=0)
            dh = (dout @ w2.T).masked_fill_(relu_mask, 0)
            dw1 = x.T @ dh
            db1 = dh.sum(dim=0)
            # SGD, in place
            for p, g in zip(params, (dw1, db1, dw2, db2)):
                p.sub_(g, alpha=lr)

    def forward(x):
        return torch.addmm(b2, torch.addmm(b1, x, w1).clamp_min(0), w2)

    return forward


def train(data, dtype, loop, seed):
    """One run of the protocol; returns (seconds, training seconds, train acc., test acc.)."""
    rng = np.random.default_rng(seed)
    params = [torch.from_numpy(p) for p in init_params(rng, dtype)]
    x_train, t_train, x_test, t_test = data
    started = time.perf_counter()
    forward = (train_autograd if loop == "autograd" else train_manual)(data, params, rng)
    trained = time.perf_counter()
    train_accuracy = accuracy(forward, x_train, t_train)
    test_accuracy = accuracy(forward, x_test, t_test)
    finished = time.perf_counter()
    return finished - started, trained - started, train_accuracy, test_accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", choices=list(DTYPE_NAMES), default="float32")
    parser.add_argument("--loop", choices=["autograd", "manual"], default="autograd")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch.set_num_threads; 0 keeps PyTorch's default (one per core)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.runs < 1 or args.threads < 0:
        parser.error("--runs must be at least 1 and --threads at least 0")
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = np.dtype(args.dtype).type
    data = [torch.from_numpy(a) for a in load_mnist(dtype)]
    name = f"pytorch-{args.loop}-{DTYPE_NAMES[args.dtype]}-{torch.get_num_threads()}t"
    seconds = []
    for run in range(args.runs):
        total, training, train_acc, test_acc = train(data, dtype, args.loop, args.seed)
        seconds.append(total)
        print(f"{name} run {run + 1}: {total:.3f} s ({training:.3f} s training), "
              f"train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}", file=sys.stderr)
    print(f"{name} median_s={statistics.median(seconds):.3f} accuracy={test_acc:.4f}")


if __name__ == "__main__":
    main()
