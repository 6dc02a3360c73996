"""Keyed random numbers: every draw a pure function of the seed and of what it is for (DESIGN §8).

Trials come in seed blocks of :data:`SEED_BLOCK`; block ``b`` is seeded by the b-th child
of ``SeedSequence(seed).spawn``, and its trials take the outputs of the SplitMix64 stream
that child seeds. Everything a trial draws is keyed by its word and by the identity of
what is drawn (:func:`identity_key`), never by a position in a stream, so a draw never
depends on how the work is split nor on what else is in the run. The numpy path
(:mod:`riskmodel.engine.events`) and the compiled core
(:mod:`riskmodel.engine.kernels_numba`) both draw through these definitions.
"""

from __future__ import annotations

import hashlib

import numpy as np

#: Trials per seed block: the unit of seeding, of per-block sums and of work handed out.
SEED_BLOCK = 1_000
#: SplitMix64's increment and mixing multipliers (Steele, Lea & Flood, OOPSLA 2014).
SPLITMIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
_GAMMA, _MIX1, _MIX2 = SPLITMIX
_ONE, _11, _27, _30, _31 = (np.uint64(n) for n in (1, 11, 27, 30, 31))
#: numpy's SeedSequence (numpy/random/bit_generator.pyx, after O'Neill's seed_seq_fe): its pool
#: of 32-bit words, the multipliers of its two hashes and of its mix, and its shift.
_POOL, _INIT_A, _MULT_A, _INIT_B, _MULT_B = 4, 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _SHIFT, _MASK32 = np.uint32(0xCA01F9DD), np.uint32(0x4973F715), np.uint32(16), 0xFFFFFFFF


def splitmix64(word, index):
    """Output ``index`` of the SplitMix64 stream seeded by ``word``: uint64 arrays or scalars.

    The one definition of the keyed bits: :func:`keyed_bits` calls it on arrays, the compiled
    core (:mod:`riskmodel.engine.kernels_numba`) compiles it for scalars. Arithmetic is
    modulo 2**64.
    """
    z = word + (index + _ONE) * _GAMMA
    z = (z ^ (z >> _30)) * _MIX1
    z = (z ^ (z >> _27)) * _MIX2
    return z ^ (z >> _31)


def to_uniform(bits):
    """Uniform on [0, 1) from the top 53 bits of ``bits`` (uint64 arrays or scalars)."""
    # Through int64, which x86 converts to float in one instruction; exact, as 53 bits fit.
    return np.float64(np.int64(bits >> _11)) * 2.0 ** -53


def keyed_bits(words: np.ndarray, index) -> np.ndarray:
    """64 random bits: output ``index`` of the SplitMix64 stream seeded by ``words`` (broadcast).

    SplitMix64 (Steele, Lea & Flood, OOPSLA 2014; Java's SplittableRandom) is used as a
    counter-based generator: every draw is a pure function of (word, index), so a draw
    never depends on how many others came before it or were made at all.
    """
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        return splitmix64(words, np.asarray(index).astype(np.uint64))


def keyed_uniforms(words: np.ndarray, index) -> np.ndarray:
    """Uniforms on [0, 1) from :func:`keyed_bits` (its top 53 bits)."""
    return to_uniform(keyed_bits(words, index))


def chunk_words(seed: int, first_block: int, sizes: list[int]) -> np.ndarray:
    """The 64-bit words of a chunk's trials, block by block: all their draws derive from them.

    Block ``b`` is seeded by the b-th child of ``SeedSequence(seed).spawn``; its trials
    take the first outputs of the SplitMix64 stream seeded by the child's first word.
    """
    starts = np.repeat(np.cumsum([0] + sizes[:-1]), sizes)
    words = block_words(seed, np.arange(first_block, first_block + len(sizes)))
    return keyed_bits(np.repeat(words, sizes), np.arange(sum(sizes)) - starts)


def block_words(seed: int, blocks: np.ndarray) -> np.ndarray:
    """``SeedSequence(seed, spawn_key=(b,)).generate_state(1, np.uint64)[0]`` of each block ``b`` (< 2**32), at once.

    numpy's algorithm (fixed by its compatibility policy, NEP 19), run on uint32 arrays of
    the blocks rather than once per block: one SeedSequence costs some 11 µs, a chunk's
    words about 11 ms per million trials. ``tests/test_simulate.py`` holds it to numpy's.
    """
    seed = int(seed)
    # The seed's 32-bit words, low first, padded to the pool as a spawned child's are; then the block.
    run = [seed >> (32 * i) & _MASK32 for i in range(max(1, -(-seed.bit_length() // 32)))]
    run += [0] * (_POOL - len(run))
    entropy = [np.full(np.shape(blocks), w, dtype=np.uint32) for w in run] + [np.asarray(blocks).astype(np.uint32)]
    hash_a = _INIT_A

    def hashmix(value: np.ndarray) -> np.ndarray:
        nonlocal hash_a
        value = value ^ np.uint32(hash_a)
        hash_a = hash_a * _MULT_A & _MASK32
        value = value * np.uint32(hash_a)
        return value ^ value >> _SHIFT

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = _MIX_L * x - _MIX_R * y
        return out ^ out >> _SHIFT

    pool = [hashmix(e) for e in entropy[:_POOL]]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))
    for e in entropy[_POOL:]:
        for dst in range(_POOL):
            pool[dst] = mix(pool[dst], hashmix(e))
    # generate_state: two 32-bit words from the pool, the first the low half of the uint64.
    hash_b, halves = _INIT_B, []
    for word in pool[:2]:
        word = word ^ np.uint32(hash_b)
        hash_b = hash_b * _MULT_B & _MASK32
        word = word * np.uint32(hash_b)
        halves.append((word ^ word >> _SHIFT).astype(np.uint64))
    return halves[0] | halves[1] << np.uint64(32)


def identity_key(identity: str) -> int:
    """A 64-bit key for an input's identity: the same whatever the input's position or path."""
    return int.from_bytes(hashlib.blake2b(identity.encode("utf-8"), digest_size=8).digest(), "little")
