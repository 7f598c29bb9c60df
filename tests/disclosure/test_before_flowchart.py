"""The flow charts are drawn from the state machines' own tables: every status and
every verb of a procedure is in its chart, and a change to the table changes the
chart (it cannot drift from the code)."""

import re

import pytest
from django.utils import translation
from django.utils.html import escape

from yangguang.cases.enums import Procedure, Status
from yangguang.cases.moves import MOVES, Move
from yangguang.disclosure.flowchart import case_chart, charts, report_chart
from yangguang.org.rules import Action
from yangguang.reports import workflow


def _reachable(procedure):
    moves = [m for m in MOVES.values() if procedure in m.procedures]
    seen, queue = {Status.PROPOSED}, [Status.PROPOSED]
    while queue:
        status = queue.pop()
        for move in moves:
            if status in move.sources and move.target and move.target not in seen:
                seen.add(move.target)
                queue.append(move.target)
    return seen, [m for m in moves if m.sources & seen]


@pytest.mark.parametrize("procedure", list(Procedure))
def test_the_chart_holds_every_status_and_verb_of_its_procedure(procedure):
    statuses, moves = _reachable(procedure)

    chart = case_chart(procedure)

    assert {value for value, _label in chart.statuses} == statuses
    assert {step.label for step in chart.steps} == {str(m.label) for m in moves}
    for _value, label in chart.statuses:
        assert f">{label}</text>" in chart.svg
    for move in moves:
        assert escape(str(move.label)) in chart.svg  # in an edge's or a box's <title>
    edges = sum(len(m.sources & statuses) for m in moves if m.target)
    assert chart.svg.count('class="flow-edge') == edges


def test_the_simple_procedure_has_no_steps_of_the_ordinary_one():
    chart = case_chart(Procedure.SIMPLE)

    verbs = {step.verb for step in chart.steps}
    assert "decide_on_the_spot" in verbs
    assert not verbs & {"file", "notify", "request_hearing", "decide"}


def test_a_new_move_in_the_table_changes_the_chart():
    fake = Move(
        "核对后再议",
        frozenset({Procedure.ORDINARY}),
        frozenset({Status.INVESTIGATED}),
        "pondering",
        Action.CASE_APPROVE,
    )
    before = case_chart(Procedure.ORDINARY)

    after = case_chart(Procedure.ORDINARY, moves={**MOVES, "ponder": fake})

    assert "核对后再议" in after.svg
    assert "核对后再议" not in before.svg
    assert ("pondering", "pondering") in after.statuses
    assert after.svg != before.svg


def test_the_report_chart_follows_the_report_loop_table():
    chart = report_chart()

    assert {step.verb for step in chart.steps} == set(workflow.MOVES)
    for verb, move in workflow.MOVES.items():
        assert escape(str(move.label)) in chart.svg, verb


def test_the_charts_are_accessible_svg_in_chinese():
    with translation.override("zh-hans"):
        drawn = charts()

    ids = []
    for chart in drawn:
        assert chart.svg.startswith("<svg")
        assert 'role="img"' in chart.svg
        assert "<title id=" in chart.svg
        assert "<desc id=" in chart.svg
        assert not re.search(r"<script|style=|on\w+=", chart.svg)
        ids += re.findall(r' id="([^"]+)"', chart.svg)
        assert "待立案审批" in chart.svg or "待受理" in chart.svg
    assert len(ids) == len(set(ids))  # three charts on one page: no id twice
