"""Blocking, comparisons, the Fellegi-Sunter model and clustering of the engine."""

import numpy as np
import polars as pl
import pytest

from naikkelas.linkage.engine import blocking, cluster, compare, link, score
from naikkelas.linkage.engine.engine import COLUMN, frame_of, hard_negative
from naikkelas.linkage.engine.normalize import normalized_frame


def frame(records: list[dict]) -> pl.DataFrame:
    return normalized_frame(frame_of(records))


def pair_set(a, b) -> set[tuple[int, int]]:
    return set(zip(a.tolist(), b.tolist()))


# --- blocking -----------------------------------------------------------------------------------

def test_blocking_pairs_records_that_share_an_identifier_or_a_rare_word():
    records = [
        {"name": "UD Keripik Flamboyan", "owner_name": "Siti", "kecamatan": "16.07.01"},
        {"name": "Flamboyan Keripik", "owner_name": "Aminah", "kecamatan": "16.07.01"},
        {"name": "Songket Indah", "owner_phone": "0812345678", "kecamatan": "16.07.02"},
        {"name": "Batik Sasirangan", "owner_phone": "+62812345678", "kecamatan": "63.71.01"},
        {"name": "Mebel Jati", "owner_name": "Budi", "kecamatan": "16.07.02"},
    ]
    a, b = blocking.candidate_pairs(frame(records))
    assert pair_set(a, b) == {(0, 1), (2, 3)}
    assert (a < b).all()


def test_regional_keys_do_not_cross_kecamatan():
    records = [{"name": "Pempek Flamboyan", "kecamatan": "16.07.01"},
               {"name": "Kopi Flamboyan", "kecamatan": "16.07.02"}]
    a, _ = blocking.candidate_pairs(frame(records))
    assert len(a) == 0


def test_records_sharing_a_rare_address_word_in_one_kecamatan_are_compared():
    records = [{"name": "Pempek Ani", "address": "Jl. Flamboyan No. 3", "kecamatan": "16.07.01"},
               {"name": "Kopi Budi", "address": "Jalan Flamboyan 3", "kecamatan": "16.07.01"},
               {"name": "Roti Sari", "address": "Jl. Flamboyan No. 3", "kecamatan": "16.07.02"}]
    a, b = blocking.candidate_pairs(frame(records))
    assert pair_set(a, b) == {(0, 1)}


def test_a_block_over_the_cap_pairs_only_name_neighbours():
    rows = np.arange(100)
    codes = np.zeros(100, np.uint64)  # one block of 100 records
    pairs = blocking.pairs_in_blocks(rows, codes, rows, 100, cap=40, window=3)
    assert len(pairs) == 99 + 98 + 97  # not 100 * 99 / 2
    small = blocking.pairs_in_blocks(rows[:10], codes[:10], rows[:10], 100, cap=40, window=3)
    assert len(small) == 45  # a block under the cap: every pair


def test_work_grows_linearly_with_the_records():
    def records(n: int) -> list[dict]:
        return [{"name": f"Pempek Usaha{i % 7} Nomor{i}", "owner_name": f"Siti Nomor{i}",
                 "kecamatan": f"16.07.{i % 20:02d}"} for i in range(n)]
    small = len(blocking.candidate_pairs(frame(records(2000)))[0])
    large = len(blocking.candidate_pairs(frame(records(8000)))[0])
    assert large <= 4 * small * 1.2


# --- comparisons --------------------------------------------------------------------------------

def levels_of(a: dict, b: dict) -> dict[str, int]:
    coded = compare.encoded(frame([a, b]))
    matrix = compare.compare_all(coded, np.array([0]), np.array([1]))
    return {c.field: int(matrix[0, i]) for i, c in enumerate(compare.COMPARISONS)}


def test_identifiers_compare_exactly_after_normalising():
    levels = levels_of({"owner_phone": "+62 812-3456-7890", "nib": "1234567890123"},
                       {"owner_phone": "081234567890", "nib": "1234567890124"})
    assert levels["owner_phone"] == 2  # agree
    assert levels["nib"] == compare.DISAGREE
    assert levels["owner_nik"] == compare.NULL  # missing on both sides: no evidence


def test_names_in_another_order_agree_strongly():
    levels = levels_of({"name": "Keripik Barokah"}, {"name": "UD Barokah Keripik"})
    assert levels["name"] >= 4
    far = levels_of({"name": "Keripik Barokah"}, {"name": "Songket Palembang"})
    assert far["name"] == compare.DISAGREE


def test_kbli_agrees_by_group_and_products_by_words():
    levels = levels_of({"kbli": "10794", "products": "tapis"},
                       {"kbli": "10793", "products": "sulaman tapis"})
    assert levels["kbli"] == 2  # same four-digit group, other code
    assert levels["products"] == 3  # every word of one side is in the other


# --- scoring ------------------------------------------------------------------------------------

def synthetic_levels(rng, n_match: int, n_non: int) -> tuple[np.ndarray, np.ndarray]:
    """Levels drawn from known m and u distributions: matches agree, non-matches rarely."""
    rows, truth = [], []
    for is_match, count in ((True, n_match), (False, n_non)):
        for _ in range(count):
            row = []
            for c in compare.COMPARISONS:
                top = c.levels - 1
                agree = rng.random() < (0.85 if is_match else 0.05)
                row.append(top if agree else rng.integers(1, top))
            rows.append(row)
            truth.append(is_match)
    return np.array(rows, np.int8), np.array(truth)


def test_em_converges_and_learns_m_above_u_at_the_top_level():
    rng = np.random.default_rng(1)
    levels, truth = synthetic_levels(rng, 800, 8000)
    random_pairs, _ = synthetic_levels(rng, 0, 5000)
    model = score.expectation_maximisation(levels, score.estimate_u(random_pairs))
    assert model.converged
    assert model.history[-1] < score.TOLERANCE
    for c, m, u in zip(compare.COMPARISONS, model.m, model.u):
        assert m[c.levels - 1] > 5 * u[c.levels - 1], c.field
    assert model.prior == pytest.approx(800 / 8800, abs=0.02)
    probability = model.probability(levels)
    assert ((probability > 0.5) == truth).mean() > 0.99


def test_the_nik_keeps_the_u_of_random_pairs():
    rng = np.random.default_rng(3)
    levels, _ = synthetic_levels(rng, 500, 5000)
    random_pairs, _ = synthetic_levels(rng, 0, 5000)
    u = score.estimate_u(random_pairs)
    model = score.expectation_maximisation(levels, u)
    fixed = [c.fixed_u for c in compare.COMPARISONS]
    assert fixed.index(True) == COLUMN["owner_nik"]
    assert np.array_equal(model.u[COLUMN["owner_nik"]], u[COLUMN["owner_nik"]])
    assert not np.array_equal(model.u[COLUMN["name"]], u[COLUMN["name"]])


def test_missing_values_weigh_nothing():
    rng = np.random.default_rng(2)
    levels, _ = synthetic_levels(rng, 300, 3000)
    model = score.expectation_maximisation(levels, score.estimate_u(levels))
    assert all(w[compare.NULL] == 0 for w in model.weights())


# --- clustering ---------------------------------------------------------------------------------

def test_two_groups_touched_by_one_weak_link_stay_two():
    # 0-1-2 and 3-4-5 are tight; a single weak link 2-3 above the threshold joins the graph.
    a = np.array([0, 0, 1, 3, 3, 4, 2])
    b = np.array([1, 2, 2, 4, 5, 5, 3])
    s = np.array([0.99, 0.98, 0.99, 0.99, 0.97, 0.99, 0.91])
    labels = cluster.cluster(6, a, b, s)
    assert len(set(labels[:3])) == 1 and len(set(labels[3:])) == 1
    assert labels[0] != labels[3]


def test_a_chain_is_cut_where_it_is_weak():
    # 0-1 strong, 1-2 strong, 2-3 strong, but 0 and 3 were never linked: a chain of four.
    a, b = np.array([0, 1, 2, 0]), np.array([1, 2, 3, 2])
    s = np.array([0.99, 0.95, 0.95, 0.93])
    labels = cluster.cluster(4, a, b, s)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] != labels[0]


def test_weakest_link_is_the_score_that_joined_the_record():
    labels = np.array([0, 0, 0, 1])
    a, b, s = np.array([0, 1]), np.array([1, 2]), np.array([0.99, 0.92])
    scores = cluster.weakest_links(labels, a, b, s)
    assert scores[:3].tolist() == [0.99, 0.99, 0.92]
    assert np.isnan(scores[3])


# --- the whole engine ---------------------------------------------------------------------------

SITI = {"owner_name": "Hj. Siti Aminah", "owner_nik": "1607014508900042",
        "owner_phone": "0812-3456-7890", "address": "Jl. Merdeka No. 5 RT 3 RW 1",
        "kecamatan": "16.07.01", "desa": "Sukajadi"}


def test_hard_negative_same_owner_same_address_other_products_stays_apart():
    records = [
        {**SITI, "name": "UD Keripik Barokah", "products": "keripik pisang", "kbli": "10794"},
        {**SITI, "name": "Keripik Barokah", "owner_name": "Ibu Siti Aminah",
         "owner_phone": "+62 812 3456 7890", "products": "keripik", "kbli": "10794"},
        {**SITI, "name": "Songket Aminah", "products": "kain songket", "kbli": "13121"},
        {**SITI, "name": "Songket Aminah", "owner_name": "Siti Aminah", "products": "songket"},
        {"name": "Pempek Cek Mala", "owner_name": "Bapak Ahmad", "kecamatan": "16.07.02"},
    ]
    result = link(records)
    ids = result.cluster_id
    assert ids[0] == ids[1] and ids[2] == ids[3]
    assert ids[0] != ids[2]
    assert len(set(ids)) == 3
    assert sorted(map(sorted, result.clusters())) == [[0, 1], [2, 3]]


def top(field: str) -> int:
    return compare.COMPARISONS[COLUMN[field]].levels - 1


def test_hard_negative_rule_ignores_owner_evidence():
    levels = np.zeros((1, len(compare.COMPARISONS)), np.int8)
    levels[0, COLUMN["owner_nik"]], levels[0, COLUMN["owner_phone"]] = top("owner_nik"), top(
        "owner_phone")
    levels[0, COLUMN["name"]] = compare.DISAGREE + 1
    levels[0, COLUMN["kbli"]] = compare.DISAGREE
    assert hard_negative(levels).all()
    levels[0, COLUMN["nib"]] = top("nib")  # one NIB: one business actor after all
    assert not hard_negative(levels).any()


def test_a_new_name_alone_parts_records_only_when_both_name_the_owner():
    levels = np.zeros((2, len(compare.COMPARISONS)), np.int8)
    levels[:, COLUMN["owner_nik"]] = top("owner_nik")
    levels[:, COLUMN["address"]] = top("address")
    levels[:, COLUMN["name"]] = compare.DISAGREE  # products and KBLI unknown
    levels[0, COLUMN["owner_name"]] = top("owner_name")  # the same owner under a new name
    levels[1, COLUMN["owner_name"]] = compare.NULL  # no owner column: the name may be the person
    assert hard_negative(levels, np.array([True, True])).tolist() == [True, False]
    assert not hard_negative(levels[:1], np.array([False])).any()  # the names share a word


def test_a_person_listed_without_owner_column_is_found_under_a_changed_first_name():
    person = {"owner_nik": "3171011203850007", "owner_phone": "081298765432",
              "address": "Jl. Kenanga No. 7", "kecamatan": "31.71.01", "desa": "Gambir"}
    others = [{"name": f"Orang Nomor{i} Lain{i}", "owner_nik": f"31710112038{i:05d}",
               "address": f"Jl. Mawar No. {i}", "kecamatan": "31.71.01"} for i in range(30)]
    first, second = {**person, "name": "Budi Santoso"}, {**person, "name": "Lukman Santosa"}
    assert levels_of(first, second)["name"] == compare.DISAGREE  # no word shared either
    result = link([first, second, *others])
    assert result.cluster_id[0] == result.cluster_id[1]


def test_an_identifier_one_digit_off_is_a_near_agreement():
    levels = levels_of({"owner_nik": "1607014508900042"}, {"owner_nik": "1607014508900043"})
    assert compare.DISAGREE < levels["owner_nik"] < top("owner_nik")
    swapped = levels_of({"owner_nik": "1607014508900042"}, {"owner_nik": "1607014508900024"})
    assert swapped["owner_nik"] == levels["owner_nik"]
    far = levels_of({"owner_nik": "1607014508900042"}, {"owner_nik": "1607014508911142"})
    assert far["owner_nik"] == compare.DISAGREE


def test_a_string_pair_scores_alike_in_either_order_and_when_repeated():
    coded = compare.encoded(frame([{"name": "Keripik Barokah"}, {"name": "Kripik Barokha"},
                                   {"name": "Songket Indah"}]))
    a, b = np.array([0, 1, 0, 0, 2]), np.array([1, 0, 1, 2, 0])
    level = compare.compare(compare.COMPARISONS[COLUMN["name"]], coded["name"], a, b)
    assert level[0] == level[1] == level[2] > compare.DISAGREE
    assert level[3] == level[4] == compare.DISAGREE


def test_link_reports_what_agreed_for_each_linked_pair():
    result = link([{**SITI, "name": "Keripik Barokah"}, {**SITI, "name": "UD Keripik Barokah"}])
    assert len(result.a) == 1
    assert {"name", "owner_nik", "owner_phone", "address"} <= set(result.agreed(0))
    assert 0.9 <= result.match_score[0] <= 1.0


def test_link_reports_the_time_of_each_phase():
    result = link([{**SITI, "name": "Keripik Barokah"}, {**SITI, "name": "UD Keripik Barokah"}])
    assert list(result.seconds) == ["normalise", "block", "compare", "score", "cluster"]
    assert all(seconds >= 0 for seconds in result.seconds.values())


def test_link_of_nothing_and_of_one_record():
    assert link([]).clusters() == []
    assert link([{"name": "Pempek"}]).cluster_id.tolist() == [0]
