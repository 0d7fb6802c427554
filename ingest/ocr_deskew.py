"""The skew of a scanned page, found without rotating the page image 31 times.

The projection-profile method: rows of a correctly rotated page alternate between ink and
white, so the variance of the row ink profile peaks at the right angle. The search used to
rotate a 900-pixel copy of the page (PIL, nearest neighbour) for every candidate angle and
sum its rows: 31 rotations, 0.3 s of one core a page, about a third of what Tesseract itself
takes on the page. Here each ink pixel's row after the rotation is computed directly (the
same rotation about the image's centre, the same 900-pixel copy and ink threshold), and the
profile is one ``bincount`` per angle: the same angles on the corpus's scans (checked by
``tests/ingest/test_ocr_speed.py``) for about a tenth of the time.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

MAX_SKEW_DEGREES = 3.0
SKEW_STEP = 0.2
# The copy the angle is searched on: small enough to be quick, large enough that a 0.2°
# step moves the ends of a text line by more than a pixel.
ESTIMATE_SIZE = 900
_INK_BELOW = 140


def reduced(image: Image.Image) -> Image.Image:
    """The greyscale copy of ``image`` the angle is searched on (at most 900 pixels)."""
    small = image.copy()
    small.thumbnail((ESTIMATE_SIZE, ESTIMATE_SIZE))
    return small


def candidate_angles() -> list[float]:
    """The angles searched, in the order ties are settled (the first best one wins)."""
    steps = int(MAX_SKEW_DEGREES / SKEW_STEP)
    return [step * SKEW_STEP for step in range(-steps, steps + 1)]


def estimate_skew(image: Image.Image) -> float:
    """Return the rotation (degrees, counter-clockwise as ``Image.rotate``) that makes the
    text lines of ``image`` (greyscale) horizontal."""
    small = reduced(image)
    width, height = small.size
    pixels = np.asarray(small)
    # A blank page has no ink: every score is 0 and the first angle wins, as before.
    ys, xs = np.nonzero(pixels < _INK_BELOW)
    # Pixel centres relative to the centre of rotation, as PIL's rotate places them.
    dx = xs.astype(np.float64) + 0.5 - width / 2.0
    dy = ys.astype(np.float64) + 0.5 - height / 2.0
    best_angle, best_score = 0.0, -1.0
    for angle in candidate_angles():
        theta = math.radians(angle)
        cos, sin = math.cos(theta), math.sin(theta)
        # Where each ink pixel lands when the image is turned by ``angle`` (counter-clockwise
        # on screen, y downwards); pixels turned out of the frame are lost, as in PIL.
        new_x = np.floor(width / 2.0 + cos * dx + sin * dy)
        new_y = np.floor(height / 2.0 - sin * dx + cos * dy)
        inside = (new_x >= 0) & (new_x < width) & (new_y >= 0) & (new_y < height)
        profile = np.bincount(new_y[inside].astype(np.intp), minlength=height)
        score = float(np.square(np.diff(profile.astype(np.float64))).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


def reference_skew(image: Image.Image) -> float:
    """The same search done the slow way (each angle a rotated image): the yardstick that
    :func:`estimate_skew` is tested against."""
    ink = reduced(image).point(lambda v: 255 if v < _INK_BELOW else 0)
    best_angle, best_score = 0.0, -1.0
    for angle in candidate_angles():
        rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = np.asarray(rotated, dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle
