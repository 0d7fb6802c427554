"""Vietnamese syllables: is a word a possible syllable, how good is a text layer, fuzzy anchors.

Vietnamese writes one syllable per word: an optional onset (``ngh``, ``tr``, ``qu`` …), a
rhyme from a closed set (``a``, ``ương``, ``uyên`` …) and at most one tone mark, and a rhyme
ending in ``c``, ``ch``, ``p`` or ``t`` only takes the sắc or nặng tone. That grammar is
enough to tell a real text layer from a scanner's OCR layer full of wrong letters ("SO GIAO
DVC vA DA° TAO") without any dictionary file, and to compare OCR words with the fixed
phrases of an NĐ 30 document by edit distance over syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from domain.text import fold

_TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
_ONSETS = ("ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x").split()
# Rhymes without tone, as written after an onset (after "qu" the medial u is in the onset;
# after "gi" the i may be the onset's).
_RHYMES = set(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ă ăc ăm ăn ăng ăp ăt
    â âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
    oi oc om on ong ooc oong op ot
    ô ôi ôc ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uê uêch uênh ui uc um un ung up ut uy uya uych uyên uyêt uynh
    uyt uyu uôc uôi uôm uôn uông uôt uơ
    ư ưa ưc ưi ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu ưm ưn
    y yêm yên yêng yêt yêu
    """.split()
)
_STOP_CODA = re.compile(r"(?:c|ch|p|t)$")
_WORD = re.compile(r"[^\W\d_]+(?:[°'’][^\W\d_]*)?|\S*\d\S*|[^\w\s]+", re.UNICODE)
_LETTERS = re.compile(r"^[^\W\d_]+$")
_VI_MARKED = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
# Abbreviations every administrative text uses; they are not syllables but not noise either.
_ABBREVIATIONS = set(
    """
    ubnd hđnd gd đt gdđt sgdđt pgdđt bgdđt thcs thpt th mn mg tp tx kh qđ cv ttr bc tb hd nđ
    cp tt ttlt nq ct tw tu hu bch tncs hcm cntt ttcbth kt tm tl tuq gđ hđ tđkt ubmttq mttq
    đtn đ cb gv hs nv cbgvnv cmhs bgh ptcs ctr pl vn uy qh ll ha bv atgt atvstp sxkd kt-xh
    """.split()
)


@dataclass(frozen=True)
class LayerQuality:
    """How much a piece of text looks like correctly encoded Vietnamese.

    Attributes:
        words: alphabetic words judged (abbreviations and numbers left out).
        valid: share of them that are possible Vietnamese syllables.
        marked: share of them that carry a Vietnamese diacritic (đ included).
        junk: share of all tokens that are letters mixed with stray symbols ("DA°", "vA").
    """

    words: int
    valid: float
    marked: float
    junk: float

    @property
    def score(self) -> float:
        """One number for comparing two readings of the same page (higher is better)."""
        if not self.words:
            return 0.0
        return self.valid - self.junk + 0.3 * min(self.marked, 0.5)

    def poor(self) -> bool:
        """True when the text is not trustworthy Vietnamese (needs OCR instead)."""
        if self.words < 8:
            return False
        return self.valid < 0.82 or self.marked < 0.2 or self.junk > 0.08


def split_tone(word: str) -> tuple[str, str | None, int]:
    """Return the word without tone mark (NFC, lower case), its tone and the number of tones."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONES]
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", base), (_TONES[tones[0]] if tones else None), len(tones)


def is_syllable(word: str) -> bool:
    """Return True when ``word`` can be one written Vietnamese syllable.

    Case is ignored only where it is uniform (``Hà``, ``HÀ``, ``hà``); ``vA`` is not a word.
    """
    if not word or not _LETTERS.match(word):
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    base, tone, count = split_tone(word)
    if count > 1:
        return False
    for onset in [*(o for o in _ONSETS if base.startswith(o)), ""]:
        rhyme = base[len(onset) :]
        candidates = [rhyme]
        if onset == "gi":
            candidates.append("i" + rhyme)
        if onset == "qu" and rhyme.startswith("u"):
            continue
        for candidate in candidates:
            if candidate in _RHYMES or (onset == "gi" and candidate == ""):
                if _STOP_CODA.search(candidate) and tone not in (None, "sắc", "nặng"):
                    return False
                if onset in ("k", "gh", "ngh") and candidate[:1] not in ("i", "e", "ê", "y"):
                    continue
                if onset == "c" and candidate[:1] in ("i", "e", "ê", "y"):
                    continue
                return True
    return False


def layer_quality(text: str) -> LayerQuality:
    """Judge a text layer (or an OCR result) by its syllables and diacritics."""
    words = valid = marked = junk = tokens = 0
    for token in _WORD.findall(text):
        tokens += 1
        if any(ch.isdigit() for ch in token) or not any(ch.isalpha() for ch in token):
            continue
        core = token.strip(".,;:!?()\"'“”‘’[]")
        if not core:
            continue
        if not _LETTERS.match(core) or not (
            core.islower() or core.isupper() or (core[0].isupper() and core[1:].islower())
        ):
            junk += 1  # "DA°", "vA", "Hcok": letters an OCR engine glued to noise
            words += 1
            continue
        if core.lower() in _ABBREVIATIONS or (core.isupper() and len(core) <= 2):
            continue
        words += 1
        if is_syllable(core):
            valid += 1
        elif (
            core.isupper()
            and len(core) <= 5
            and len(re.findall(r"[aeiouy]", fold(core))) <= 1
            and not _VI_MARKED.search(core.replace("Đ", ""))
        ):
            # An unknown abbreviation (THĐS, KTTH): not a syllable, not noise either.
            words -= 1
            continue
        if _VI_MARKED.search(core):
            marked += 1
    if not words:
        return LayerQuality(0, 0.0, 0.0, 0.0)
    return LayerQuality(words, valid / words, marked / words, junk / max(tokens, 1))


def syllables(text: str) -> list[str]:
    """Return the folded words of ``text`` (no diacritics, lower case, punctuation dropped)."""
    return [w for w in re.split(r"[^0-9a-z&]+", fold(text)) if w]


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance between ``a`` and ``b``; ``limit + 1`` when it is past ``limit``.

    rapidfuzz's, in C: the gazetteer compares an OCR'd name with every place name, which in
    Python was most of the reading of a scan outside Tesseract.
    """
    return int(Levenshtein.distance(a, b, score_cutoff=limit))


def fuzzy_prefix(text: str, phrase: str, tolerance: float = 0.25) -> int | None:
    """Return how many words of ``text`` spell ``phrase`` at its start, allowing OCR slips.

    The comparison is over folded syllables (no diacritics, no case), by edit distance: up to
    ``tolerance`` of the phrase's letters may differ, one letter at least for a short word.
    Returns None when the start of ``text`` is not the phrase.
    """
    target = syllables(phrase)
    words = text.split()
    if not target or not words:
        return None
    want = " ".join(target)
    limit = max(1, int(len(want.replace(" ", "")) * tolerance))
    best: tuple[int, int] | None = None
    for count in range(max(1, len(target) - 1), min(len(words), len(target) + 1) + 1):
        got = " ".join(syllables(" ".join(words[:count])))
        if not got:
            continue
        distance = edit_distance(got, want, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, count)
    return best[1] if best else None


def fuzzy_find(text: str, phrase: str, tolerance: float = 0.25) -> tuple[int, int] | None:
    """Return the ``(start, end)`` character span of ``phrase`` in ``text``, allowing slips."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    for index, (start, _) in enumerate(spans):
        count = fuzzy_prefix(text[start:], phrase, tolerance)
        if count:
            return start, spans[min(index + count, len(spans)) - 1][1]
    return None
