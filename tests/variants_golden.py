#!/usr/bin/python3
"""PyTorch reference numbers for ganvas's model variants: one training step of each, written to
tests/data/variants_golden.safetensors for tests/test_variants.cpp.

Each variant is the tutorial's two MLPs with some of: the conditional model (the digit's one-hot
vector joined to G's noise and to D's image), LeakyReLU (slope 0.2), another objective, one-sided
label smoothing, SGD with momentum, a second hidden layer. Computed with PyTorch autograd in float64 from float32 inputs and
weights, stored as float32 (losses as float64), as tests/data/gan_golden.safetensors is.

Run with Debian's python3-torch:  /usr/bin/python3 tests/variants_golden.py
"""
import json
import struct
import sys

import torch

BATCH = 16
NOISE, HIDDEN, IMAGE, CLASSES = 100, 16, 784, 10
LR, BETA1, BETA2, EPS = 2e-4, 0.5, 0.999, 1e-8

VARIANTS = {
    # name: (conditional, activation, loss, real_target, optimizer, hidden layers)
    "conditional": (True, "relu", "nonsaturating", 1.0, "adam", 1),
    "conditional_leaky_smoothed": (True, "leaky-relu", "nonsaturating", 0.9, "adam", 1),
    "minimax": (False, "relu", "minimax", 1.0, "adam", 1),
    "least_squares": (False, "relu", "least-squares", 1.0, "adam", 1),
    "hinge": (False, "leaky-relu", "hinge", 1.0, "adam", 1),
    "sgd": (True, "relu", "nonsaturating", 1.0, "sgd", 1),
    "two_layers": (True, "leaky-relu", "nonsaturating", 1.0, "adam", 2),
}


def mlp_forward(params, x, activation):
    """Linear layers (weight, bias pairs) with the activation between them, none after the last."""
    layers = [(params[i], params[i + 1]) for i in range(0, len(params), 2)]
    for w, b in layers[:-1]:
        pre = x @ w.T + b
        x = torch.relu(pre) if activation == "relu" else torch.nn.functional.leaky_relu(pre, 0.2)
    w, b = layers[-1]
    return x @ w.T + b


def layer_shapes(inputs, outputs, hidden_layers):
    """Each Linear layer's weight and bias shapes, first to last."""
    widths = [inputs] + [HIDDEN] * hidden_layers + [outputs]
    shapes = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        shapes += [(fan_out, fan_in), (fan_out,)]
    return shapes


def losses(kind, real_logit, fake_logit, real_target):
    softplus = torch.nn.functional.softplus
    if kind in ("nonsaturating", "minimax"):
        disc = (real_target * softplus(-real_logit) + (1 - real_target) * softplus(real_logit) + softplus(fake_logit)).mean()
        gen = softplus(-fake_logit).mean() if kind == "nonsaturating" else (-softplus(fake_logit)).mean()
    elif kind == "least-squares":
        disc = (0.5 * (real_logit - real_target) ** 2 + 0.5 * fake_logit ** 2).mean()
        gen = (0.5 * (fake_logit - 1) ** 2).mean()
    else:  # hinge
        disc = (torch.relu(1 - real_logit) + torch.relu(1 + fake_logit)).mean()
        gen = (-fake_logit).mean()
    return disc, gen


def update(params, grads, optimizer):
    """TF1-form Adam's first step (m and v start at zero), or SGD with momentum BETA1 (velocity starts at zero)."""
    out = []
    for p, g in zip(params, grads):
        if optimizer == "sgd":
            out.append(p - LR * g)
        else:
            m = g * (1 - BETA1)
            v = g * g * (1 - BETA2)
            lr_t = LR * (1 - BETA2) ** 0.5 / (1 - BETA1)
            out.append(p - lr_t * m / (v.sqrt() + EPS))
    return out


def one_hot(labels):
    return torch.nn.functional.one_hot(labels, CLASSES).to(torch.float64)


def variant(name, conditional, activation, loss, real_target, optimizer, hidden_layers, gen):
    classes = CLASSES if conditional else 0
    shapes_g = layer_shapes(NOISE + classes, IMAGE, hidden_layers)
    shapes_d = layer_shapes(IMAGE + classes, 1, hidden_layers)
    init_g = [(torch.randn(s, generator=gen) * 0.1).float() for s in shapes_g]
    init_d = [(torch.randn(s, generator=gen) * 0.1).float() for s in shapes_d]
    x_u8 = torch.randint(0, 256, (BATCH, IMAGE), generator=gen, dtype=torch.uint8)
    real_labels = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    fake_labels = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    noise = (torch.rand((BATCH, NOISE), generator=gen) * 2 - 1).float()
    z = torch.cat([noise, one_hot(fake_labels).float()], 1) if conditional else noise

    g = [p.double().requires_grad_() for p in init_g]
    d = [p.double().requires_grad_() for p in init_d]
    x = (x_u8.float() * (1.0 / 255)).double()
    fake = torch.sigmoid(mlp_forward(g, z.double(), activation))
    real_in = torch.cat([x, one_hot(real_labels)], 1) if conditional else x
    fake_in = torch.cat([fake, one_hot(fake_labels)], 1) if conditional else fake
    real_logit = mlp_forward(d, real_in, activation).squeeze(1)
    fake_logit = mlp_forward(d, fake_in, activation).squeeze(1)
    disc_loss, gen_loss = losses(loss, real_logit, fake_logit, real_target)
    grad_d = torch.autograd.grad(disc_loss, d, retain_graph=True)
    grad_g = torch.autograd.grad(gen_loss, g)
    after_g = update([p.detach() for p in g], grad_g, optimizer)
    after_d = update([p.detach() for p in d], grad_d, optimizer)

    tensors = {}
    names = [f"{2 * (i // 2)}.{'weight' if i % 2 == 0 else 'bias'}" for i in range(len(shapes_g))]
    for net, init, grads, after in (("generator", init_g, grad_g, after_g), ("discriminator", init_d, grad_d, after_d)):
        for n, p0, gr, p1 in zip(names, init, grads, after):
            tensors[f"{name}.init.{net}.{n}"] = p0
            tensors[f"{name}.grad.{net}.{n}"] = gr.float()
            tensors[f"{name}.after1.{net}.{n}"] = p1.float()
    tensors[f"{name}.x_u8"] = x_u8
    tensors[f"{name}.labels"] = real_labels.to(torch.uint8)
    tensors[f"{name}.z"] = z
    tensors[f"{name}.gen_loss"] = gen_loss.detach().reshape(())
    tensors[f"{name}.disc_loss"] = disc_loss.detach().reshape(())
    return tensors


def write_safetensors(path, tensors, metadata):
    dtypes = {torch.float32: "F32", torch.float64: "F64", torch.uint8: "U8"}
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    gen = torch.Generator().manual_seed(2024)
    tensors, metadata = {}, {"hidden": str(HIDDEN), "batch": str(BATCH), "lr": str(LR), "beta1": str(BETA1)}
    for name, (conditional, activation, loss, real_target, optimizer, hidden_layers) in VARIANTS.items():
        tensors.update(variant(name, conditional, activation, loss, real_target, optimizer, hidden_layers, gen))
        metadata[name] = json.dumps({"conditional": conditional, "activation": activation, "loss": loss,
                                     "real_target": real_target, "optimizer": optimizer,
                                     "hidden_layers": hidden_layers})
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/variants_golden.safetensors"
    write_safetensors(out, tensors, metadata)
    print(f"wrote {out}: {len(VARIANTS)} variants, {len(tensors)} tensors")


if __name__ == "__main__":
    main()
