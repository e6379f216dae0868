"""R's Hadamard matrices for BRR and Fay replicates (``survey:::hadamard``).

The same number of strata gives the same matrix as R — a precooked one (orders 4, 16, 28,
36), Paley's construction from a prime p ≡ 3 (mod 4), or a precooked one doubled — so that
replicates built here equal ``as.svrepdesign(type = "BRR")``'s.

Examples
--------
>>> hadamard(3).shape, hadamard(8).shape, hadamard(16).shape   # R: 4, 12, 20 replicates
((4, 4), (12, 12), (20, 20))
>>> hadamard(3)[1].tolist()
[1, 0, 1, 0]
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["hadamard"]

# survey:::hadamard.list[[3]] and [[4]] (orders 28 and 36), rows concatenated, as hex
_PRECOOKED = {
    28: "fffffff9c71c7883cd37883b2e669a0f8d6952c5ae8cd239e58aa7f045b59d446cbcac561774a4b64e9a59"
        "59b262d1eae83666b342b3b51c31d74b232f89ca2ced646ea545e4f1632ccf09ce1ce54ad52e6392b2e8a7"
        "92adffe000bf81f807f8007e",
    36: "fffffffff5c7dc8564b8fb90ac871f721592e3ee42b24c7dc8564a8fb90ac961f721592e3ee42b25c7dc85"
        "64b8fb90ac970f721592e2ee42b25c6dc8564b8eb90ac971e721592e3ee42b25c7cc8564b8fa90ac971f62"
        "1592e3ee42b25c7dc8564b8fb80ac971f721592e3ee42b25c7dc8564b8fb90ac971f720592e3ee42b25c7d"
        "c8464b8fb90ac971f721492e3ee42a25c7dc8564b8fb90ac971f721582e3ee42b2",
}
_SIZES = (4, 16, 28, 36)


def _double(h: np.ndarray) -> np.ndarray:
    """R's ``hadamard.doubler``: rbind(cbind(H, H), cbind(H, 1 - H))."""
    return np.block([[h, h], [h, 1 - h]])


def _precooked(order: int) -> np.ndarray:
    if order in _PRECOOKED:
        bits = bin(int(_PRECOOKED[order], 16))[2:].zfill(order * order)
        return np.array([int(b) for b in bits], dtype=np.int8).reshape(order, order)
    h = np.ones((1, 1), dtype=np.int8)                   # 4 and 16: Sylvester (R's lists)
    while h.shape[0] < order:
        h = _double(h)
    return h


def _is_prime(p: int) -> bool:
    return p > 1 and all(p % d for d in range(2, math.isqrt(p) + 1))


#: R's ``small.primes`` in ``paley``: the primes ≡ 3 (mod 4) up to 7919
_PRIMES = tuple(p for p in range(3, 7920) if p % 4 == 3 and _is_prime(p))


def _paley_prime(p: int) -> np.ndarray:
    """Paley's construction of order p + 1 from the quadratic residues mod p."""
    m = np.add.outer(np.arange(p), np.arange(p)) % p
    res = {0, 1} | {(i * i) % p for i in range(2, (p - 1) // 2 + 1)}
    core = np.where(np.isin(m, list(res)), 0, 1).astype(np.int8)
    top = np.ones((1, p), dtype=np.int8)
    return np.hstack([np.ones((p + 1, 1), dtype=np.int8), np.vstack([top, core])])


def _paley(n: int, nmax: int | None = None) -> np.ndarray | None:
    """R's ``paley(n, nmax)`` (without a given prime)."""
    nmax = 2 * n if nmax is None else nmax
    nceil = nn = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in _PRIMES:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = _double(m)
                nn *= 2
            return m
    if n > _PRIMES[-1]:
        return None
    p = min(q for q in _PRIMES if q >= n)
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3)
    if p > nmax:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> np.ndarray:
    """R's ``survey:::hadamard(n)``: a 0/1 Hadamard matrix with more than ``n`` rows.

    Row ``1 + h`` gives stratum h's half-sample in each replicate (column); row 0 is all 1.
    """
    m = n - n % 4
    fits = [s for s in _SIZES if m < s <= m + 4]
    if fits:
        return _precooked(min(fits))
    sizes = [s * 2 ** max(0, math.ceil(math.log2((n + 1) / s))) for s in _SIZES]
    best = int(np.argmin([s - n for s in sizes]))
    h = _paley(n, sizes[best]) if sizes[best] - n > 4 else None
    if h is None:
        h = _precooked(_SIZES[best])
        for _ in range(math.ceil(math.log2(sizes[best] / _SIZES[best]))):
            h = _double(h)
    return h
