"""Training a student's classifier on embeddings: softmax regression, in NumPy.

The samples are split into a training part and a held-out test part by recording
(:mod:`classroom_app.core.vision.held_out`), features are standardised on the training
part, and the weights are fitted by full-batch Adam with a little weight decay. Each
epoch can be reported (loss, training and test accuracy) for a live curve. The
standardisation is folded into the final weights, so that the model is one affine map
plus softmax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from classroom_app.core.i18n import tr
from classroom_app.core.vision.held_out import split_by_recording

MIN_CLASSES = 2
MAX_CLASSES = 10
MIN_SAMPLES = 5  # per class: enough for a training part and a test sample


class TrainingError(Exception):
    """The data cannot be trained on; the message says what to add or fix."""


@dataclass(frozen=True)
class EpochReport:
    epoch: int
    epochs: int
    loss: float
    train_accuracy: float
    test_accuracy: float


@dataclass(frozen=True)
class TrainedModel:
    class_names: tuple[str, ...]
    weights: np.ndarray  # [features, classes], standardisation folded in
    bias: np.ndarray  # [classes]
    train_accuracy: float
    test_accuracy: float
    confusion: np.ndarray  # [true, predicted] counts on the held-out samples
    samples_per_class: tuple[int, ...]
    test_samples: int
    history: tuple[EpochReport, ...]
    test_rules: tuple[str, ...] = ()  # per class, how its test examples were chosen (held_out)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = np.atleast_2d(features) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def check_classes(names: Sequence[str], counts: Sequence[int],
                  max_classes: int = MAX_CLASSES, min_samples: int = MIN_SAMPLES) -> None:
    """A TrainingError unless there are 2-``max_classes`` distinct named classes with
    enough samples."""
    if len(names) < MIN_CLASSES:
        raise TrainingError(tr("A model needs at least {n} classes to tell apart. Add another "
                               "class.").format(n=MIN_CLASSES))
    if len(names) > max_classes:
        raise TrainingError(tr("At most {n} classes, please.").format(n=max_classes))
    cleaned = [n.strip() for n in names]
    if any(not n for n in cleaned):
        raise TrainingError(tr("Every class needs a name."))
    if len(set(cleaned)) != len(cleaned):
        raise TrainingError(tr("Two classes have the same name. Give each class its own name."))
    for name, count in zip(cleaned, counts, strict=True):
        if count == 0:
            raise TrainingError(tr("The class “{name}” has no examples yet. Collect some, or "
                                   "remove the class.").format(name=name))
    for name, count in zip(cleaned, counts, strict=True):
        if count < min_samples:
            raise TrainingError(tr("The class “{name}” has only {count} examples; it needs at "
                                   "least {n}.").format(name=name, count=count, n=min_samples))


def _accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float((probabilities.argmax(axis=1) == labels).mean()) if len(labels) else 0.0


def _adam(x: np.ndarray, y: np.ndarray, k: int, epochs: int, learning_rate: float,
          weight_decay: float, seed: int
          ) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray, float]]:
    """Full-batch Adam on softmax regression; yields (epoch, w, b, probabilities, loss)."""
    onehot = np.eye(k)[y]
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, (x.shape[1], k))
    b = np.zeros(k)
    moments = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    beta1, beta2 = 0.9, 0.999
    for epoch in range(1, epochs + 1):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        loss = float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)).mean()
                     + 0.5 * weight_decay * (w * w).sum())
        grad = (p - onehot) / len(y)
        gw = x.T @ grad + weight_decay * w
        gb = grad.sum(axis=0)
        for i, (param, g) in enumerate(((w, gw), (b, gb))):
            m, v = moments[2 * i], moments[2 * i + 1]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            param -= learning_rate * (m / (1 - beta1 ** epoch)) / \
                (np.sqrt(v / (1 - beta2 ** epoch)) + 1e-8)
        yield epoch, w, b, p, loss


def fit(features: np.ndarray, labels: np.ndarray, class_names: Sequence[str],
        epochs: int = 120, learning_rate: float = 0.02, weight_decay: float = 1e-3,
        seed: int = 0) -> TrainedModel:
    """Softmax regression on all of ``features``, no held-out part (for cross-validation)."""
    labels = np.asarray(labels, int)
    mean = features.mean(axis=0)
    std = features.std(axis=0) + 1e-3
    *_, (_, w, b, _, _) = _adam((features - mean) / std, labels, len(class_names), epochs,
                                learning_rate, weight_decay, seed)
    return _fold(class_names, w, b, mean, std)


def leave_one_out_accuracy(features: np.ndarray, labels: np.ndarray,
                           class_names: Sequence[str],
                           bursts: Sequence[str] | None = None) -> float:
    """Share of samples classified right by a model trained on all the other recordings
    (``bursts``; None: every sample is a recording of its own)."""
    labels = np.asarray(labels, int)
    groups = np.array([str(b) for b in bursts] if bursts is not None else
                      [str(i) for i in range(len(labels))])
    right = 0
    for group in dict.fromkeys(groups):
        keep = groups != group
        model = fit(features[keep], labels[keep], class_names)
        right += int((model.probabilities(features[~keep]).argmax(axis=1)
                      == labels[~keep]).sum())
    return right / len(labels) if len(labels) else 0.0


def train(features: np.ndarray, labels: np.ndarray, class_names: Sequence[str],
          epochs: int = 120, learning_rate: float = 0.02, weight_decay: float = 1e-3,
          on_epoch: Callable[[EpochReport], None] | None = None,
          should_stop: Callable[[], bool] | None = None, seed: int = 0,
          max_classes: int = MAX_CLASSES, min_samples: int = MIN_SAMPLES,
          bursts: Sequence[str] | None = None) -> TrainedModel:
    """Fit softmax regression on ``features`` [N, F] with integer ``labels`` [N], tested
    on examples held out by recording (``bursts[i]`` is sample i's recording; None:
    each sample is a recording of its own, as separate photos are)."""
    labels = np.asarray(labels, int)
    counts = [int((labels == i).sum()) for i in range(len(class_names))]
    check_classes(class_names, counts, max_classes, min_samples)
    if not np.isfinite(features).all():
        raise TrainingError(tr("Some examples could not be read. Delete them and try again."))
    held_out = split_by_recording(labels, bursts, len(class_names), seed=seed)
    train_idx, test_idx = held_out.train, held_out.test
    x_train, y_train = features[train_idx], labels[train_idx]
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0) + 1e-3
    xs = (features - mean) / std
    yv = labels[test_idx]
    k = len(class_names)
    history = []
    model = None
    for epoch, w, b, p, loss in _adam(xs[train_idx], y_train, k, epochs, learning_rate,
                                      weight_decay, seed):
        model = _fold(class_names, w, b, mean, std)
        report = EpochReport(epoch, epochs, loss, _accuracy(p, y_train),
                             _accuracy(model.probabilities(features[test_idx]), yv))
        history.append(report)
        if on_epoch:
            on_epoch(report)
        if should_stop and should_stop():
            break
    assert model is not None
    predicted = model.probabilities(features[test_idx]).argmax(axis=1)
    confusion = np.zeros((k, k), int)
    for true, guess in zip(yv, predicted, strict=True):
        confusion[true, guess] += 1
    return TrainedModel(tuple(class_names), model.weights, model.bias,
                        _accuracy(model.probabilities(x_train), y_train),
                        _accuracy(model.probabilities(features[test_idx]), yv), confusion,
                        tuple(counts), len(test_idx), tuple(history), held_out.rules)


def _fold(class_names: Sequence[str], w: np.ndarray, b: np.ndarray, mean: np.ndarray,
          std: np.ndarray) -> TrainedModel:
    """Weights on raw features: ((x - mean) / std) @ w + b == x @ w' + b'."""
    weights = (w / std[:, None]).astype(np.float32)
    bias = (b - (mean / std) @ w).astype(np.float32)
    k = len(class_names)
    return TrainedModel(tuple(class_names), weights, bias, 0.0, 0.0, np.zeros((k, k), int),
                        (), 0, ())
