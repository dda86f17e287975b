/**
 * The parts of the exported PyTorch script that do not depend on the config: reading the idx
 * files, the playground's own seeded generator (so the script's validation split and training
 * subset are the playground's rows), the input normalisation, the augmentation, evaluation and
 * the training loop. `pytorchScript.ts` writes the config-dependent parts (constants, model,
 * loss, optimizer, schedule) around them. Each part reads only the module-level constants the
 * config part defines (upper case) and ends with a blank line.
 *
 * Kept as raw strings (`String.raw`), so Python's own backslash escapes stay as written.
 */

import { LABEL_NOISE_MASK } from '../runStreams.ts';

/** The playground's generator, ported: sfc32 seeded by SplitMix32 (`core/random.ts`). */
export const PYTHON_PLAYGROUND_RANDOM = String.raw`class PlaygroundRandom:
    """The playground's seeded generator (sfc32 seeded by SplitMix32, src/core/random.ts), ported
    so that this script validates and trains on the very rows the playground does."""

    MASK = 0xFFFFFFFF

    def __init__(self, seed):
        mask = self.MASK
        state = seed & mask
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B9) & mask
            z = state
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & mask
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & mask
            words.append(z ^ (z >> 16))
        self.a, self.b, self.c, self.d = words
        for _ in range(12):
            self.next_uint32()

    def next_uint32(self):
        mask = self.MASK
        t = (self.a + self.b + self.d) & mask
        self.d = (self.d + 1) & mask
        self.a = self.b ^ (self.b >> 9)
        self.b = (self.c + (self.c << 3)) & mask
        self.c = ((self.c << 21) | (self.c >> 11)) & mask
        self.c = (self.c + t) & mask
        return t

    def permutation(self, n):
        """A random order of 0 … n − 1 (Fisher–Yates from the end, as the playground shuffles)."""
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.next_uint32() / 4294967296 * (i + 1))
            order[i], order[j] = order[j], order[i]
        return order

`;

/** Validation size, the split and the subset, as `ml/dataset.ts` `splitIndices` draws them. */
export const PYTHON_SPLIT = String.raw`def validation_count():
    """Validation examples carved from the 60,000 training images (rounded half up, as in JavaScript)."""
    return math.floor(TRAIN_COUNT * VALIDATION_FRACTION + 0.5)


def split_rows(seed, training_examples):
    """(training rows, validation rows) of the training file. "random": one permutation from the
    seed, validation first; "first": train on the first rows in file order, validate on the last.
    training_examples (None: all) keeps the first that many of the training part."""
    validation = validation_count()
    available = TRAIN_COUNT - validation
    count = available if training_examples is None else training_examples
    if SPLIT_METHOD == "first":
        return list(range(count)), list(range(available, available + validation))
    order = PlaygroundRandom((seed ^ 0x5EED5) & PlaygroundRandom.MASK).permutation(TRAIN_COUNT)
    return order[validation : validation + count], order[:validation]

`;

/** Label noise, as `core/labelNoise.ts` draws it from the run's label-noise stream. */
export const PYTHON_LABEL_NOISE = String.raw`def noisy_labels(labels, train_rows, seed):
    """labels (int64 [60000]) with round(LABEL_NOISE * N) of the N training rows given another
    class, exactly as the playground draws them (a partial Fisher-Yates over the rows, then
    (old + 1 + k) mod 10 with k uniform in 0..8). Validation and test labels stay true."""
    n = len(train_rows)
    count = min(n, math.floor(LABEL_NOISE * n + 0.5))
    if count == 0:
        return labels
    rng = PlaygroundRandom((seed ^ 0x${LABEL_NOISE_MASK.toString(16).toUpperCase()}) & PlaygroundRandom.MASK)
    old = labels.tolist()
    noisy = labels.clone()
    positions = list(range(n))
    for i in range(count):
        j = i + int(rng.next_uint32() / 4294967296 * (n - i))
        positions[i], positions[j] = positions[j], positions[i]
        row = train_rows[positions[i]]
        noisy[row] = (old[row] + 1 + int(rng.next_uint32() / 4294967296 * 9)) % 10
    return noisy

`;

/** Reading the four idx files, raw or gzipped. */
export const PYTHON_MNIST = String.raw`def read_idx(folder, name):
    """One idx file of unsigned bytes (raw or .gz) as a uint8 tensor of its shape, e.g. [60000, 28, 28]."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as file:
                data = file.read()
            break
    else:
        sys.exit(f"{name} (or {name}.gz) is not in {folder}: put the four MNIST idx files there.")
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f"{path} is not an idx file of unsigned bytes.")
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    start = 4 + 4 * dims
    if len(data) != start + math.prod(shape):
        sys.exit(f"{path} holds {len(data) - start} values, not the {math.prod(shape)} its header says.")
    return torch.frombuffer(bytearray(data[start:]), dtype=torch.uint8).reshape(shape)


def load_mnist(folder):
    """Training and test pixels [N, 784] (uint8) and labels [N] (int64)."""
    pixels = {}
    labels = {}
    for part, count in (("train", TRAIN_COUNT), ("t10k", TEST_COUNT)):
        images = read_idx(folder, f"{part}-images-idx3-ubyte")
        targets = read_idx(folder, f"{part}-labels-idx1-ubyte")
        if tuple(images.shape) != (count, 28, 28) or tuple(targets.shape) != (count,):
            sys.exit(f"{part}: expected {count} images of 28×28 and {count} labels.")
        pixels[part] = images.reshape(count, 784)
        labels[part] = targets.long()
    return pixels["train"], labels["train"], pixels["t10k"], labels["t10k"]

`;

/** Normalisation as a byte → value table, the statistics from the training split. */
export const PYTHON_NORMALIZATION = String.raw`def normalization_constants(train_pixels):
    """(mean, std) of x/255 for NORMALIZATION: "scale" (0, 1), "center" (0.5, 0.5), or
    "standardize": the mean and population std of the training split's pixels (only those)."""
    if NORMALIZATION == "scale":
        return 0.0, 1.0
    if NORMALIZATION == "center":
        return 0.5, 0.5
    counts = torch.bincount(train_pixels.flatten(), minlength=256).double()
    values = torch.arange(256, dtype=torch.float64) / 255
    mean = (counts * values).sum() / counts.sum()
    std = ((counts * (values - mean) ** 2).sum() / counts.sum()).sqrt().item()
    return mean.item(), std if std > 0 else 1.0


def normalizer(mean, std, device):
    """pixels [N, 784] uint8 → inputs [N, 784] float32 (x/255 − mean)/std, through a 256-entry table."""
    table = ((torch.arange(256, dtype=torch.float64) / 255 - mean) / std).float()

    def normalize(pixels):
        return torch.cat([table[chunk.long()] for chunk in pixels.split(8192)]).to(device)

    return normalize

`;

/**
 * The playground's augmentation (`core/augment.ts`) on a batch: rotation (bilinear, about the
 * centre 13.5), then crop from zero padding, then shift, background 0, rounded back to bytes.
 */
export const PYTHON_AUGMENTATION = String.raw`def augment(pixels):
    """pixels [B, 784] uint8 → one augmented copy [B, 784] uint8: rotation by U(±ROTATION_DEGREES)
    (bilinear about the centre), a random crop of the image zero-padded by CROP_PADDING, a shift
    by up to SHIFT_PIXELS in x and y, in that order, background 0 (the playground's augmentation)."""
    count = pixels.shape[0]
    angles = (torch.rand(count, dtype=torch.float64) * 2 - 1) * math.radians(ROTATION_DEGREES)
    crop = torch.randint(-CROP_PADDING, CROP_PADDING + 1, (count, 2))
    shift = torch.randint(-SHIFT_PIXELS, SHIFT_PIXELS + 1, (count, 2))
    return augment_with(pixels, angles, crop, shift)


def augment_with(pixels, angles, crop, shift):
    """augment() with its draws given: angles [B] (radians), crop and shift [B, 2] (x, y) integers."""
    count = pixels.shape[0]
    images = pixels.reshape(count, 1, 28, 28).double()
    side = torch.arange(28, dtype=torch.float64)
    move = (crop + shift).double()
    # Output pixel (x, y) reads the rotated image at (x − move_x, y − move_y); the inverse rotation
    # about the centre gives the source point.
    dx = side.view(1, 1, 28) - move[:, 0].view(-1, 1, 1) - 13.5
    dy = side.view(1, 28, 1) - move[:, 1].view(-1, 1, 1) - 13.5
    cos = angles.cos().view(-1, 1, 1)
    sin = angles.sin().view(-1, 1, 1)
    source_x = cos * dx + sin * dy + 13.5
    source_y = cos * dy - sin * dx + 13.5
    grid = torch.stack([source_x / 13.5 - 1, source_y / 13.5 - 1], dim=-1)
    rotated = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=True)
    values = torch.floor(rotated.view(count, 28, 28) + 0.5)
    # Pixels whose crop or shift source lies outside the 28×28 frame are background.
    low = torch.maximum(torch.maximum(shift, shift + crop), torch.zeros_like(shift))
    high = torch.minimum(torch.minimum(shift + 28, shift + crop + 28), torch.full_like(shift, 28))
    index = torch.arange(28)
    inside_x = (index.view(1, 28) >= low[:, 0:1]) & (index.view(1, 28) < high[:, 0:1])
    inside_y = (index.view(1, 28) >= low[:, 1:2]) & (index.view(1, 28) < high[:, 1:2])
    inside = inside_y.view(count, 28, 1) & inside_x.view(count, 1, 28)
    return (values * inside).to(torch.uint8).reshape(count, 784)

`;

/** `nn.BatchNorm1d` that also trains on a batch of one, as the playground does. */
export const PYTHON_BATCH_NORM = String.raw`class PlaygroundBatchNorm1d(nn.BatchNorm1d):
    """nn.BatchNorm1d (eps 1e-5, momentum 0.1: the playground's too) that also trains on a batch of
    one example, as the playground does: the batch's variance is then 0 (biased), so the output is
    β and the running variance moves towards 0. PyTorch itself refuses a batch of one."""

    def forward(self, x):
        if not (self.training and x.shape[0] == 1):
            return super().forward(x)
        mean = x.mean(0)
        variance = x.var(0, unbiased=False)
        with torch.no_grad():
            self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
            self.running_var.mul_(1 - self.momentum).add_(self.momentum * variance)
        return (x - mean) / torch.sqrt(variance + self.eps) * self.weight + self.bias

`;

/** Evaluation, the command line and the training loop. */
export const PYTHON_MAIN = String.raw`@torch.no_grad()
def evaluate(model, inputs, labels):
    """(mean data loss, accuracy) in inference mode: no dropout, batch norm's running statistics."""
    model.eval()
    loss_sum = 0.0
    correct = 0
    for start in range(0, len(labels), 2000):
        logits = model(inputs[start : start + 2000])
        targets = labels[start : start + 2000]
        loss_sum += data_loss(logits, targets).item() * len(targets)
        correct += (logits.argmax(1) == targets).sum().item()
    return loss_sum / len(labels), correct / len(labels)


def parse_args():
    parser = argparse.ArgumentParser(description=f"Train {CONFIG_NAME} on MNIST with PyTorch.")
    parser.add_argument("mnist", help="folder with the four MNIST idx files (raw or .gz)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"epochs (default {EPOCHS})")
    parser.add_argument(
        "--subset", type=int, default=TRAINING_EXAMPLES,
        help="train on the first N examples of the training split (default: the config's)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the split and of torch (default {SEED})")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    available = TRAIN_COUNT - validation_count()
    if args.subset is not None and not 1 <= args.subset <= available:
        parser.error(f"--subset must be between 1 and {available}")
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    if not 0 <= args.seed <= 0xFFFFFFFF:
        parser.error("--seed must be between 0 and 4294967295")
    return args


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    train_pixels, train_labels, test_pixels, test_labels = load_mnist(args.mnist)
    train_list, validation_list = split_rows(args.seed, args.subset)
    train_labels = noisy_labels(train_labels, train_list, args.seed)
    train_rows, validation_rows = (torch.tensor(rows, dtype=torch.long) for rows in (train_list, validation_list))
    train_images = train_pixels[train_rows]
    mean, std = normalization_constants(train_images)
    normalize = normalizer(mean, std, device)
    augmented = ROTATION_DEGREES > 0 or CROP_PADDING > 0 or SHIFT_PIXELS > 0
    train_inputs = None if augmented else normalize(train_images)
    train_targets = train_labels[train_rows].to(device)
    validation_inputs = normalize(train_pixels[validation_rows])
    validation_targets = train_labels[validation_rows].to(device)
    test_inputs = normalize(test_pixels)
    test_targets = test_labels.to(device)

    count = len(train_rows)
    batch_size = count if BATCH_SIZE is None else min(BATCH_SIZE, count)
    batches = math.ceil(count / batch_size)
    model = build_model().to(device)
    optimizer = build_optimizer(model)
    print(f"{CONFIG_NAME}\n{count} training, {len(validation_rows)} validation examples; "
          f"inputs (x/255 - {mean:.4f}) / {std:.4f}; batch {batch_size}; {args.epochs} epochs; "
          f"seed {args.seed}; {device}")
    if LABEL_NOISE > 0:
        print(f"label noise: {math.floor(LABEL_NOISE * count + 0.5)} training labels replaced by another class")
    print(model)

    best = None  # (validation accuracy, epoch, weights): the first epoch with the highest
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        model.train()
        order = torch.randperm(count)
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device)
        for batch in range(batches):
            rows = order[batch * batch_size : (batch + 1) * batch_size]
            if augmented:
                inputs = normalize(augment(train_images[rows]))
            else:
                inputs = train_inputs[rows.to(device)]
            targets = train_targets[rows.to(device)]
            rate = learning_rate_at(epoch, batch / batches, args.epochs)
            for group in optimizer.param_groups:
                group["lr"] = rate
            logits = model(inputs)
            loss = data_loss(logits, targets)
            optimizer.zero_grad()
            (loss + weight_penalty(model)).backward()
            optimizer.step()
            loss_sum += loss.detach() * len(rows)
            correct += (logits.argmax(1) == targets).sum()
        line = f"epoch {epoch:3d}/{args.epochs}  train loss {loss_sum.item() / count:.4f} acc {100 * correct.item() / count:6.2f}%"
        if len(validation_rows) > 0:
            validation_loss, validation_accuracy = evaluate(model, validation_inputs, validation_targets)
            line += f"  val loss {validation_loss:.4f} acc {100 * validation_accuracy:6.2f}%"
            if best is None or validation_accuracy > best[0]:
                best = (validation_accuracy, epoch, copy.deepcopy(model.state_dict()))
        print(f"{line}  lr {rate:.3g}  {time.perf_counter() - started:.1f} s", flush=True)

    test_loss, test_accuracy = evaluate(model, test_inputs, test_targets)
    if best is not None:
        model.load_state_dict(best[2])
        best_loss, best_accuracy = evaluate(model, test_inputs, test_targets)
        print(f"test accuracy, best weights:  {100 * best_accuracy:.2f}% (loss {best_loss:.4f}; "
              f"epoch {best[1]}, val acc {100 * best[0]:.2f}%)")
    print(f"test accuracy, final weights: {100 * test_accuracy:.2f}% (loss {test_loss:.4f})")


if __name__ == "__main__":
    main()
`;
