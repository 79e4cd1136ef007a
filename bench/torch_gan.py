"""Benchmark: the tutorial GAN's simultaneous training step in PyTorch (the reference for ganvas).

The same model, losses and batch as ganvas, written as a PyTorch user who cares about speed writes it;
prints steps/s (median, min, max). The optimizer is one of:
  tf1-foreach   TF1-form Adam (ganvas's) with PyTorch's multi-tensor _foreach_ kernels, in place (default)
  tf1-inplace   TF1-form Adam, in place, one tensor at a time (mul_, add_, addcmul_, addcdiv_)
  torch-foreach torch.optim.Adam(foreach=True): PyTorch's own Adam; its epsilon sits after the bias
                correction, slightly unlike TF1's, which does not matter for speed
  torch-fused   torch.optim.Adam(fused=True), one kernel for all tensors (CUDA only), same epsilon note
In graph mode (CUDA only) the whole step is captured once and replayed: tf1-* then runs TF1's Adam
with its step counters on the device (multi-tensor kernels), torch-* runs torch.optim.Adam with
capturable=True, so the replayed graph uses the right learning rate. In compile mode (PyTorch 2)
torch.compile fuses the forward pass and the losses, and their backward pass, into its own kernels;
the optimizer runs as in eager mode.
Usage: torch_gan.py DATA_DIR STEPS RUNS TORCH_THREADS [cpu|cuda] [eager|graph|compile] [ADAM] [BATCH]
TORCH_THREADS 0 keeps PyTorch's default; BATCH is 128 (the tutorial's) unless given.
"""
import gzip
import math
import os
import statistics
import sys
import time

import torch
from torch import nn


def load_mnist(data_dir):
    with open(os.path.join(data_dir, "train-images-idx3-ubyte"), "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":  # the GPU-check bundle carries the file gzipped
        raw = gzip.decompress(raw)
    images = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(-1, 784)
    return images[5000:]


def mlp(n_in, n_hidden, n_out):
    net = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))
    for layer in (net[0], net[2]):
        nn.init.normal_(layer.weight, 0.0, 1.0 / math.sqrt(layer.in_features / 2.0))
        nn.init.zeros_(layer.bias)
    return net


@torch.no_grad()
def foreach_moments(m, v, grads, b1, b2, eps):
    """TF1 Adam's moment updates in place with multi-tensor kernels; returns sqrt(v) + eps."""
    torch._foreach_mul_(m, b1)
    torch._foreach_add_(m, grads, alpha=1 - b1)
    torch._foreach_mul_(v, b2)
    torch._foreach_addcmul_(v, grads, grads, value=1 - b2)
    denominators = torch._foreach_sqrt(v)
    torch._foreach_add_(denominators, eps)
    return denominators


class TF1Adam:
    """Adam in TF1's form: lr_t = lr*sqrt(1-b2^t)/(1-b1^t); p -= lr_t*m/(sqrt(v)+eps)."""

    def __init__(self, params, lr=2e-4, b1=0.9, b2=0.999, eps=1e-8, foreach=True):
        self.params = list(params)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.lr, self.b1, self.b2, self.eps, self.foreach = lr, b1, b2, eps, foreach
        self.t = 0

    def lr_t(self):
        self.t += 1
        return self.lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)

    @torch.no_grad()
    def step(self, grads):
        lr_t = self.lr_t()
        if self.foreach:
            denominators = foreach_moments(self.m, self.v, grads, self.b1, self.b2, self.eps)
            torch._foreach_addcdiv_(self.params, self.m, denominators, value=-lr_t)
            return
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m.mul_(self.b1).add_(g, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            p.addcdiv_(m, v.sqrt().add_(self.eps), value=-lr_t)


class TF1AdamOnDevice:
    """TF1-form Adam with its step counters on the device, for CUDA graph capture."""

    def __init__(self, params, lr=2e-4, b1=0.9, b2=0.999, eps=1e-8):
        self.params = list(params)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        dev = self.params[0].device
        self.b1p = torch.ones((), device=dev)
        self.b2p = torch.ones((), device=dev)

    @torch.no_grad()
    def step(self, grads):
        self.b1p.mul_(self.b1)
        self.b2p.mul_(self.b2)
        lr_t = self.lr * torch.sqrt(1 - self.b2p) / (1 - self.b1p)
        denominators = foreach_moments(self.m, self.v, grads, self.b1, self.b2, self.eps)
        updates = torch._foreach_div(self.m, denominators)
        torch._foreach_mul_(updates, lr_t)
        torch._foreach_sub_(self.params, updates)


class TorchAdam:
    """torch.optim.Adam (foreach or fused kernels) fed the gradients autograd.grad returned."""

    def __init__(self, params, fused=False, capturable=False, lr=2e-4):
        self.params = list(params)
        kernels = {"fused": True} if fused else {"foreach": True}
        self.optimizer = torch.optim.Adam(self.params, lr=lr, betas=(0.9, 0.999), eps=1e-8, capturable=capturable,
                                          **kernels)

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p.grad = g
        self.optimizer.step()


def optimizer(kind, params, mode):
    graph = mode == "graph"
    if kind.startswith("torch-"):
        return TorchAdam(params, fused=kind == "torch-fused", capturable=graph)
    if graph:
        return TF1AdamOnDevice(params)
    return TF1Adam(params, foreach=kind == "tf1-foreach")


def main():
    data_dir, steps, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    device = sys.argv[5] if len(sys.argv) > 5 else "cpu"
    mode = sys.argv[6] if len(sys.argv) > 6 else "eager"
    adam = sys.argv[7] if len(sys.argv) > 7 else "tf1-foreach"
    batch = int(sys.argv[8]) if len(sys.argv) > 8 else 128
    if adam not in ("tf1-foreach", "tf1-inplace", "torch-foreach", "torch-fused"):
        sys.exit(f"torch_gan.py: unknown optimizer {adam}")
    if threads > 0:
        torch.set_num_threads(threads)
    threads = torch.get_num_threads()
    torch.manual_seed(0)
    images = load_mnist(data_dir).to(device)
    gen, disc = mlp(100, 256, 784).to(device), mlp(784, 256, 1).to(device)
    g_opt, d_opt = optimizer(adam, gen.parameters(), mode), optimizer(adam, disc.parameters(), mode)
    n = images.shape[0]
    idx = torch.zeros(batch, dtype=torch.long, device=device)
    z = torch.zeros(batch, 100, device=device)

    def losses():
        x = images[idx].float() * (1.0 / 255.0)
        fake = torch.sigmoid(gen(z))
        logits = disc(torch.cat([x, fake]))
        real_logit, fake_logit = logits[:batch], logits[batch:]
        d_loss = (nn.functional.softplus(-real_logit) + nn.functional.softplus(fake_logit)).mean()
        g_loss = nn.functional.softplus(-fake_logit).mean()
        return d_loss, g_loss

    forward = torch.compile(losses) if mode == "compile" else losses

    def step():
        # One forward pass; both gradients from the same pre-update weights; both updates.
        idx.random_(0, n)
        z.uniform_(-1.0, 1.0)
        d_loss, g_loss = forward()
        d_grads = torch.autograd.grad(d_loss, list(disc.parameters()), retain_graph=True)
        g_grads = torch.autograd.grad(g_loss, list(gen.parameters()))
        d_opt.step(d_grads)
        g_opt.step(g_grads)

    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    run = step
    if mode == "graph":
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(5):
                step()
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            step()
        run = graph.replay
    for _ in range(30):
        run()
    sync()
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(steps):
            run()
        sync()
        rates.append(steps / (time.perf_counter() - start))
    label = "tf1-on-device" if mode == "graph" and adam.startswith("tf1") else adam
    print(f"torch-{device}-{mode}-{label} threads={threads} batch={batch} steps/s median={statistics.median(rates):.1f} "
          f"min={min(rates):.1f} max={max(rates):.1f} runs={runs} steps={steps}")


if __name__ == "__main__":
    main()
