"""The leak guard: train families that nearly repeat a test family are left out of training."""

from __future__ import annotations

from assistant.nlu.corpus import Family, load_families, split_families
from assistant.nlu.leaks import labels, near_duplicates, normal_form
from assistant.nlu.train import build_corpus
from tests.assistant.nlu.conftest import FILLERS, TEMPLATES


def fam(fid: str, *templates: str, lang: str = "en", intent: str = "cart") -> Family:
    """A family for the guard to judge."""
    return Family(fid, lang, intent, "casual", templates)


def test_a_typo_of_a_test_phrasing_is_left_out_of_training() -> None:
    families = [
        fam("test-1", "checkout pls", "[check out](cart=checkout) now please"),
        fam("train-typo", "[chek out](cart=checkout) now pleas"),
        fam("train-new", "[ring me up](cart=checkout), i'm done shopping"),
    ]
    found = near_duplicates(families, {"train-typo", "train-new"}, {"test-1"})
    assert found == {"train-typo": "test-1"}


def test_same_words_with_other_labels_language_or_intent_are_kept() -> None:
    test = fam("t", "please take the {product} out of my basket [now](cart=remove)")
    families = [
        test,
        # other labels: the contrast between add and remove is what the tagger must learn
        fam("labels", "please put the {product} into my basket [now](cart=add)"),
        fam("lang", "please take the {product} out of my basket [now](cart=remove)", lang="de"),
        fam("intent", "please take the {product} out of my basket [now](cart=remove)",
            intent="start_write"),
    ]  # fmt: skip
    train = {f.id for f in families} - {"t"}
    assert near_duplicates(families, train, {"t"}) == {}
    # too short to say anything: "{product} {size}" phrasings are everywhere
    short = [fam("t2", "{product} [now](cart=remove)"), fam("s", "{product}, [now](cart=remove)")]
    assert near_duplicates(short, {"s"}, {"t2"}) == {}
    # the same phrasing with the same labels is caught
    same = fam("same", "pls take the {product} out of my basket [now](cart=remove)")
    assert near_duplicates([test, same], {"same"}, {"t"}) == {"same": "t"}


def test_normal_forms_and_labels() -> None:
    template = "Compare the [2nd](item=2) and {product}, PLS!"
    assert normal_form(template) == "compare the 2nd item=2 and x pls"
    assert labels(template) == ("item=2", "product")


def test_the_shipped_corpus_trains_on_no_near_duplicate_of_a_test_family() -> None:
    families = load_families(TEMPLATES)
    corpus = build_corpus(TEMPLATES, FILLERS)
    train_ids = {u.family for u in corpus.train}
    test_ids = {u.family for u in corpus.test}
    assert corpus.left_out, "the guard found nothing in the shipped corpus"
    assert not train_ids & set(corpus.left_out)
    assert near_duplicates(families, train_ids, test_ids) == {}
    # the test half is the family split's, untouched by the guard
    assert test_ids == split_families(families)[1]
