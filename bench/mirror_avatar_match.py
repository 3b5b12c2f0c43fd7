"""HMA's avatar match beside the watch list's, on the same turned copies of synthetic pictures.

    python bench/mirror_avatar_match.py [--pictures 300] [--seed 5]

HMA compares every dihedral variant of the upload with the stored picture's hash; since
migration 0013 the watch list stores the variants of the removed picture (and of its crops) and
compares the upload's own hash with them (accounts.mirrors.watchlist.near_avatars). The turns
are isometries of the picture, but a PDQ variant is the hash of the turned picture computed
anew, so the two distances can differ. For each picture (bench.mirror_data's generator) one copy
is turned (one of the seven rotations and flips, at random), resized to 100-230 px and
re-encoded as JPEG at quality 40-85; printed: how many copies each match finds within 31 bits,
how many both find, and the spread of the difference between the two distances.
No database: pure hashing (~40 ms a picture).
"""

import argparse
import io
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TURNS = (
    "FLIP_LEFT_RIGHT",
    "FLIP_TOP_BOTTOM",
    "ROTATE_90",
    "ROTATE_180",
    "ROTATE_270",
    "TRANSPOSE",
    "TRANSVERSE",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    from PIL import Image

    from accounts.mirrors.avatars import MATCH_DISTANCE, hamming, hash_image
    from bench.mirror_data import _encode, _image

    rng = random.Random(args.seed)
    hma_found = watched_found = both = 0
    differences = []
    for _ in range(args.pictures):
        original = _image(rng)
        stored = hash_image(original)
        copy = original.transpose(getattr(Image.Transpose, rng.choice(TURNS)))
        side = rng.randint(100, 230)
        data = _encode(copy.resize((side, side)), "JPEG", quality=rng.randint(40, 85))
        upload = hash_image(Image.open(io.BytesIO(data)))
        hma = min(hamming(variant, stored.pdq) for variant in upload.variants)
        watched = min(hamming(upload.pdq, variant) for variant in stored.variants)
        hma_found += hma <= MATCH_DISTANCE
        watched_found += watched <= MATCH_DISTANCE
        both += hma <= MATCH_DISTANCE and watched <= MATCH_DISTANCE
        differences.append(watched - hma)
    print(
        f"{args.pictures} turned, resized and re-encoded copies (seed {args.seed}): within "
        f"{MATCH_DISTANCE} bits by HMA's match (upload variants vs stored hash) {hma_found}, by "
        f"the watch list's (upload hash vs stored variants) {watched_found}, by both {both}; "
        f"distance difference (watch list - HMA) mean {statistics.mean(differences):+.2f}, "
        f"min {min(differences):+d}, max {max(differences):+d}"
    )


if __name__ == "__main__":
    main()
