"""Yearly figures of a demo enterprise: a small simulation that keeps the numbers consistent.

Each enterprise gets a size (workers), a productivity and a capital intensity from its product
profile; every following year its activity grows by its own trend plus noise, now and then a good
year (new market) or a bad one. Some enterprises close to a next class get a program's boost
(Bimtek, aid, e-katalog) that lifts them over it. Workers, machines and modal usaha follow the
activity, so that some enterprises cross a class boundary each year (naik kelas), a few fall back.
"""

import math
import random
from dataclasses import dataclass, replace

from naikkelas.demo.profiles import JUTA, ProductProfile
from naikkelas.enterprises.sizeclass import (
    PERMENPERIN_64_2016, RULES, Figures, SizeRule, classify,
)

# Share of enterprises by workers: mikro 1-4, kecil 5-19, sedang 20-99, besar 100+ (BPS bands).
TIER_SHARES = (0.57, 0.35, 0.075, 0.005)
TIER_RANGES = ((1, 4), (5, 19), (20, 99), (100, 300))
MICRO_WEIGHTS = (10, 26, 32, 32)
INFLATION = 0.035
# Programs go to enterprises close to the next class; how often, how far they can lift, and which
# rule they aim at. Demo tuning: each rule ends up with roughly 5-10% naik kelas a year, and
# investment above Rp1 M (Permenperin 64/2016) is the rarest step, so it is aimed at most.
BOOST_CHANCE = 0.6
ACTIVITY_REACH = 2.0
MACHINE_REACH = 4.0
BOOST_WEIGHTS = {"permenperin-64-2016": 8.0, "pp-7-2021-omzet": 1.5}


@dataclass(frozen=True)
class Economy:
    """The latent state of one enterprise in one year; report figures are read off it."""

    profile: ProductProfile
    workers: int
    female_share: float
    production_value: float
    investment: float
    land_buildings: float
    operating_share: float
    raw_share: float
    price: float
    trend: float


def significant(value: float, digits: int = 3) -> int:
    """Round like a Dinas sheet does: 12.345.678 -> 12.300.000."""
    if value <= 0:
        return 0
    step = 10 ** max(int(math.floor(math.log10(value))) - digits + 1, 0)
    return int(round(value / step) * step)


def size_tier(rng: random.Random, bias: float) -> int:
    """0 mikro .. 3 besar; a positive bias shifts a profile towards larger businesses."""
    mikro, kecil, sedang, besar = TIER_SHARES
    weights = (max(mikro - bias, 0.05), max(kecil + 0.6 * bias, 0.05),
               max(sedang + 0.35 * bias, 0.005), max(besar + 0.05 * bias, 0.001))
    return rng.choices(range(4), weights)[0]


def initial_workers(rng: random.Random, tier: int) -> int:
    if tier == 0:
        return rng.choices(range(1, 5), MICRO_WEIGHTS)[0]
    low, high = TIER_RANGES[tier]
    return min(int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))), high)


def start(profile: ProductProfile, tier: int, rng: random.Random) -> Economy:
    """The enterprise in its first reported year."""
    workers = initial_workers(rng, tier)
    scale = 1 + 0.1 * math.log(workers)
    productivity = profile.productivity * rng.lognormvariate(0, 0.35) * scale
    investment = workers * profile.capital_per_worker * rng.lognormvariate(0, 0.7)
    home = rng.lognormvariate(math.log(120 * JUTA), 0.5)
    return Economy(
        profile=profile, workers=workers,
        female_share=min(max(rng.gauss(profile.female_workers, 0.12), 0.0), 1.0),
        production_value=workers * productivity,
        investment=investment + rng.uniform(2, 10) * JUTA,
        land_buildings=home + workers * rng.uniform(10, 40) * JUTA,
        operating_share=rng.uniform(0.2, 0.5),
        raw_share=profile.raw_share * rng.uniform(0.85, 1.15),
        price=profile.unit_price * rng.uniform(0.8, 1.25),
        trend=rng.gauss(0.07, 0.06),
    )


@dataclass(frozen=True)
class Boost:
    """What a program did for an enterprise this year: growth factors of activity and machines."""

    activity: float = 1.0
    machines: float = 1.0


def scaled_figures(economy: Economy, activity: float = 1.0, machines: float = 1.0) -> Figures:
    """The figures the size rules read, if activity and machines grew by these factors."""
    value = economy.production_value * activity
    investment = economy.investment * machines
    return Figures(workers=economy.workers, investment=int(investment),
                   working_capital=int(investment + value * economy.operating_share),
                   sales=int(value))


def lift_to_next_class(economy: Economy, rule: SizeRule) -> Boost | None:
    """The smallest boost (within reach) that lifts the enterprise a class under `rule`.

    Permenperin 64/2016 is reached by buying machines (investment); the other money rules by more
    activity, machines growing along. Workers are never scaled: hiring follows activity in
    `advance`, and that alone moves enough enterprises across the BPS worker bands.
    """
    by_machines = rule is PERMENPERIN_64_2016
    rank = rule.rank(classify(scaled_figures(economy), rule))
    factor, reach = 1.05, MACHINE_REACH if by_machines else ACTIVITY_REACH
    while factor <= reach:
        boost = Boost(machines=factor) if by_machines else Boost(factor, factor)
        grown = scaled_figures(economy, boost.activity, boost.machines)
        if rule.rank(classify(grown, rule)) > rank:
            return boost
        factor += 0.05
    return None


def program_boost(economy: Economy, rng: random.Random) -> Boost | None:
    """Sometimes a program (Bimtek, aid, e-katalog) lifts an enterprise close to a next class."""
    if rng.random() >= BOOST_CHANCE:
        return None
    order = sorted(RULES.values(),
                   key=lambda rule: rng.random() ** (1 / BOOST_WEIGHTS.get(rule.id, 1.0)),
                   reverse=True)
    for rule in order:
        boost = lift_to_next_class(economy, rule)
        if boost is not None:
            # A little beyond the boundary, so rounding in the report cannot undo the step.
            margin = rng.uniform(1.0, 1.2)
            activity = boost.activity * margin if boost.activity > 1 else 1.0
            return Boost(activity, boost.machines * margin)
    return None


def yearly_growth(economy: Economy, rng: random.Random) -> float:
    """Log growth of activity: own trend and noise, now and then a bad or a good year."""
    growth = economy.trend + rng.gauss(0, 0.1)
    roll = rng.random()
    if roll < 0.05:
        growth -= rng.uniform(0.15, 0.4)
    elif roll > 0.92:
        growth += rng.uniform(0.15, 0.4)
    return growth


def advance(economy: Economy, rng: random.Random) -> Economy:
    """The same enterprise one year later."""
    growth = yearly_growth(economy, rng)
    boost = program_boost(economy, rng) if growth > -0.1 else None
    if boost is not None:
        growth = max(growth, math.log(boost.activity))
    return replace(
        economy, workers=_next_workers(economy.workers, growth, rng),
        production_value=economy.production_value * math.exp(growth),
        investment=(economy.investment * boost.machines if boost
                    else _next_investment(economy.investment, growth, rng)),
        land_buildings=_next_land_buildings(economy.land_buildings, rng),
        price=economy.price * (1 + INFLATION),
    )


def _next_workers(workers: int, growth: float, rng: random.Random) -> int:
    """Hiring follows real growth, less than proportionally in a big jump (machines do part).

    Fractions are rounded at random, so small businesses gain or lose a person now and then.
    """
    real = growth - INFLATION
    target = workers * math.exp(0.8 * min(real, 0.2) + 0.4 * max(real - 0.2, 0.0)
                                + rng.gauss(0, 0.08))
    return max(1, int(target) + (rng.random() < target - int(target)))


def _next_investment(investment: float, growth: float, rng: random.Random) -> float:
    """Machines are bought in steps (more often after a good year) and rarely sold."""
    roll = rng.random()
    if roll < min(0.15 + max(growth, 0.0), 0.6):
        return investment * rng.uniform(1.15, 1.8)
    if roll > 0.97:
        return investment * rng.uniform(0.7, 0.9)
    return investment


def _next_land_buildings(value: float, rng: random.Random) -> float:
    """Land and buildings rarely change: now and then a new workshop or a bigger plot."""
    return value * rng.uniform(1.2, 1.8) if rng.random() < 0.05 else value


def report_figures(economy: Economy, rng: random.Random) -> dict[str, object]:
    """The AnnualReport fields of one year in whole rupiah; raw materials below production value."""
    value = economy.production_value
    women = round(economy.workers * economy.female_share)
    utilisation = rng.uniform(0.55, 0.9)
    return {
        "workers_male": economy.workers - women,
        "workers_female": women,
        "investment": significant(economy.investment),
        "land_buildings_value": significant(economy.land_buildings),
        "working_capital": significant(economy.investment + value * economy.operating_share
                                       * rng.uniform(0.9, 1.1)),
        "sales": significant(value * rng.uniform(0.88, 1.04)),
        "production_value": significant(value),
        "raw_material_value": significant(value * economy.raw_share * rng.uniform(0.95, 1.05)),
        "capacity": significant(value / economy.price / utilisation, 2),
        "capacity_unit": economy.profile.unit,
    }
