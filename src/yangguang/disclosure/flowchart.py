"""The procedure flow charts (执法流程图, 国办发〔2018〕118号), drawn from the state
machines' own tables — ``cases.moves.MOVES`` per procedure (简易程序, 普通程序) and the
report loop's ``reports.workflow.MOVES`` — so the picture cannot drift from the code.

The layout is computed here, as inline SVG (no script, no CDN): statuses are boxes in
layers from top to bottom, each at the end of the longest path from the first status
(edges that go back up are found by a depth-first walk and left out of the layering).
An edge between neighbouring layers is drawn directly; an edge that skips layers runs
down a lane on the right, one going back up a lane on the left, one lane per verb and
target, so a verb from many statuses reads as one line. Every line carries its verb's
number; the table beside the chart lists each number's verb, from where and to where,
and the steps that leave the status unchanged (↻ in the box).
"""

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NODE_MIN_WIDTH = 128
NODE_HEIGHT = 40
NODE_HEIGHT_LOOPS = 56
CHAR_WIDTH = 14  # a CJK character at 13 px, with room
LAYER_GAP = 46
NODE_GAP = 24
LANE_GAP = 20
MARGIN = 16
FONT = 13


@dataclass(frozen=True)
class Step:
    """One verb of the chart: its number, label, where it starts and where it leads
    (``target`` None: the status stays)."""

    number: int
    verb: str
    label: str
    sources: tuple[str, ...]
    source_labels: tuple[str, ...]
    target: str | None
    target_label: str


@dataclass
class Chart:
    key: str
    title: str
    description: str
    statuses: list[tuple[str, str]]  # (value, label) in the chart's order
    steps: list[Step]
    svg: SafeString = field(default_factory=SafeString)
    width: int = 0
    height: int = 0


@dataclass
class _Node:
    status: str
    label: str
    layer: int = 0
    x: float = 0
    y: float = 0
    width: float = NODE_MIN_WIDTH
    height: float = NODE_HEIGHT
    loops: list[int] = field(default_factory=list)


def _text_width(text: str) -> float:
    """Roughly: a CJK character is a full em, anything else about half."""
    return sum(
        CHAR_WIDTH if unicodedata.east_asian_width(c) in "WF" else CHAR_WIDTH * 0.55 for c in text
    )


def _reachable(start: str, edges: list[tuple[str, str, int]]) -> list[str]:
    order, seen, queue = [], {start}, [start]
    while queue:
        status = queue.pop(0)
        order.append(status)
        for source, target, _number in edges:
            if source == status and target not in seen:
                seen.add(target)
                queue.append(target)
    return order


def _back_edges(start: str, edges: list[tuple[str, str, int]]) -> set[tuple[str, str]]:
    """Edges to a status on the current depth-first path: they close a cycle."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(status: str) -> None:
        state[status] = 1
        for source, target, _number in edges:
            if source != status:
                continue
            if state.get(target) == 1:
                back.add((source, target))
            elif target not in state:
                visit(target)
        state[status] = 2

    visit(start)
    return back


def _layers(order: list[str], edges: list[tuple[str, str, int]], back: set) -> dict[str, int]:
    """Longest path from the start over the edges that do not go back."""
    layer = dict.fromkeys(order, 0)
    for _round in range(len(order)):
        changed = False
        for source, target, _number in edges:
            if (source, target) in back or source not in layer or target not in layer:
                continue
            if layer[target] < layer[source] + 1:
                layer[target] = layer[source] + 1
                changed = True
        if not changed:
            break
    return layer


def build(
    *,
    key: str,
    title: str,
    description: str,
    moves: Mapping[str, object],
    labels: Mapping[str, str],
    start: str,
    include: Callable[[object], bool] = lambda move: True,
) -> Chart:
    """The chart of the ``moves`` that ``include`` keeps, from the status ``start``.
    Only what a case (report) starting there can reach is drawn."""
    chosen = [(verb, move) for verb, move in moves.items() if include(move)]
    numbers = {verb: number for number, (verb, _move) in enumerate(chosen, start=1)}
    edges = [
        (source, move.target, numbers[verb])
        for verb, move in chosen
        for source in sorted(move.sources)
        if move.target is not None
    ]
    order = _reachable(start, edges)
    reached = set(order)
    edges = [edge for edge in edges if edge[0] in reached]

    def label(status: str) -> str:
        return str(labels.get(status, status))

    steps = []
    for verb, move in chosen:
        sources = tuple(s for s in order if s in move.sources)
        if not sources:
            continue
        steps.append(
            Step(
                number=numbers[verb],
                verb=verb,
                label=str(move.label),
                sources=sources,
                source_labels=tuple(label(s) for s in sources),
                target=move.target,
                target_label=label(move.target) if move.target else "",
            )
        )
    chart = Chart(
        key=key,
        title=title,
        description=description,
        statuses=[(s, label(s)) for s in order],
        steps=steps,
    )
    _draw(chart, order, edges, _back_edges(start, edges), label)
    return chart


def _place(order, edges, back, label, steps) -> tuple[dict[str, _Node], list[list[_Node]]]:
    layer_of = _layers(order, edges, back)
    nodes = {s: _Node(s, label(s), layer=layer_of[s]) for s in order}
    for step in steps:
        if step.target is None:
            for source in step.sources:
                nodes[source].loops.append(step.number)
    for node in nodes.values():
        node.width = max(NODE_MIN_WIDTH, _text_width(node.label) + 24)
        node.height = NODE_HEIGHT_LOOPS if node.loops else NODE_HEIGHT
    layers: list[list[_Node]] = [[] for _ in range(max(layer_of.values()) + 1)]
    for status in order:
        layers[nodes[status].layer].append(nodes[status])
    return nodes, layers


def _routes(nodes: dict[str, _Node], edges, back):
    """Which edges go directly (neighbouring layers, downwards) and which take a lane:
    on the right when they skip layers downwards, on the left when they go back up."""
    direct, right, left = [], {}, {}
    for source, target, number in edges:
        gap = nodes[target].layer - nodes[source].layer
        if (source, target) not in back and gap == 1:
            direct.append((source, target, number))
        elif (source, target) in back or gap <= 0:
            left.setdefault((number, target), []).append(source)
        else:
            right.setdefault((number, target), []).append(source)
    return direct, right, left


def _arrange(layers: list[list[_Node]], direct, left_width: float) -> tuple[float, float]:
    """Place the nodes, each layer ordered by where its nodes' parents stand (fewer
    crossings) and centred; returns the widest layer's width and the height."""
    position: dict[str, float] = {}
    widest = max(sum(n.width for n in layer) + NODE_GAP * (len(layer) - 1) for layer in layers)
    y = MARGIN
    for layer in layers:

        def parents_at(node: _Node) -> float:
            found = [position[s] for s, t, _n in direct if t == node.status and s in position]
            return sum(found) / len(found) if found else 0

        layer.sort(key=parents_at)
        row_width = sum(n.width for n in layer) + NODE_GAP * (len(layer) - 1)
        x = MARGIN + left_width + (widest - row_width) / 2
        tallest = max(n.height for n in layer)
        for node in layer:
            node.x, node.y = x, y + (tallest - node.height) / 2
            position[node.status] = x + node.width / 2
            x += node.width + NODE_GAP
        y += tallest + LAYER_GAP
    return widest, y - LAYER_GAP + MARGIN


def _badge(x: float, y: float, number: int) -> str:
    return (
        f'<g class="flow-badge"><circle cx="{x:.0f}" cy="{y:.0f}" r="8" fill="#fff" '
        f'stroke="#15477e"/><text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle" '
        f'font-size="10" fill="#15477e">{number}</text></g>'
    )


class _Drawing:
    def __init__(self, chart: Chart, nodes: dict[str, _Node], label) -> None:
        self.chart, self.nodes, self.label = chart, nodes, label
        self.arrow = f"arrow-{chart.key}"
        self.steps = {step.number: step for step in chart.steps}
        self.parts: list[str] = []

    def title(self, number: int, source: str, target: str) -> str:
        verb = self.steps[number].label
        return escape(f"{number}. {verb}: {self.label(source)} → {self.label(target)}")

    def direct(self, source: str, target: str, number: int) -> None:
        a, b = self.nodes[source], self.nodes[target]
        x1, y1 = a.x + a.width / 2, a.y + a.height
        x2, y2 = b.x + b.width / 2, b.y
        middle = (y1 + y2) / 2
        self.parts.append(
            f'<path class="flow-edge" d="M{x1:.0f},{y1:.0f} C{x1:.0f},{middle:.0f} '
            f'{x2:.0f},{middle:.0f} {x2:.0f},{y2 - 2:.0f}" fill="none" stroke="#5b6b7c" '
            f'stroke-width="1.4" marker-end="url(#{self.arrow})"><title>'
            f"{self.title(number, source, target)}</title></path>"
        )
        self.parts.append(_badge((x1 + x2) / 2, middle, number))

    def lane(self, lane_x: float, index: int, key: tuple[int, str], sources, *, right: bool):
        """Out of each source's bottom, along the gap below it to the lane, along the
        lane, along the gap above the target and into its top: lines cross lines,
        never boxes."""
        number, target = key
        step = (index % 3) * 6
        b = self.nodes[target]
        tx = b.x + b.width - 14 - step if right else b.x + 14 + step
        y2 = b.y - 10 - step
        for source in sources:
            a = self.nodes[source]
            sx = a.x + a.width - 14 - step if right else a.x + 14 + step
            y1 = a.y + a.height + 10 + step
            self.parts.append(
                f'<path class="flow-edge flow-lane" d="M{sx:.0f},{a.y + a.height:.0f} '
                f'V{y1:.0f} H{lane_x:.0f} V{y2:.0f} H{tx:.0f} V{b.y - 2:.0f}" '
                f'fill="none" stroke="#8a97a6" stroke-width="1.2" stroke-dasharray="5 3" '
                f'marker-end="url(#{self.arrow})"><title>{self.title(number, source, target)}'
                f"</title></path>"
            )
        self.parts.append(_badge(lane_x, y2 + (-14 if right else 14) * (1 + index % 2), number))

    def node(self, node: _Node) -> None:
        loops = ""
        if node.loops:
            loops = (
                f'<text x="{node.x + node.width / 2:.0f}" y="{node.y + 44:.0f}" '
                f'text-anchor="middle" font-size="11" fill="#5b6b7c">↻ '
                f"{escape(' '.join(str(n) for n in node.loops))}</text>"
            )
        stays = "; ".join(f"{n}. {self.steps[n].label}" for n in node.loops if n in self.steps)
        title = node.label
        if stays:
            title += " (" + _("steps that keep this stage: %(steps)s") % {"steps": stays} + ")"
        self.parts.append(
            f'<g class="flow-node"><title>{escape(title)}</title>'
            f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{node.width:.0f}" '
            f'height="{node.height:.0f}" rx="6" fill="#eef4fb" stroke="#15477e"/>'
            f'<text x="{node.x + node.width / 2:.0f}" y="{node.y + 25:.0f}" '
            f'text-anchor="middle" font-size="{FONT}" fill="#15212e">{escape(node.label)}</text>'
            f"{loops}</g>"
        )

    def svg(self, width: int, height: int) -> SafeString:
        chart = self.chart
        title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
        return mark_safe(  # noqa: S308 - every text in the parts is escaped
            f'<svg class="flow-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{title_id} {desc_id}">'
            f'<title id="{title_id}">{escape(chart.title)}</title>'
            f'<desc id="{desc_id}">{escape(chart.description)}</desc>'
            f'<defs><marker id="{self.arrow}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="#5b6b7c"/></marker></defs>'
            f"{''.join(self.parts)}</svg>"
        )


def _draw(chart: Chart, order, edges, back, label) -> None:
    nodes, layers = _place(order, edges, back, label, chart.steps)
    direct, right, left = _routes(nodes, edges, back)
    left_width = len(left) * LANE_GAP + (MARGIN if left else 0)
    widest, height = _arrange(layers, direct, left_width)
    body_right = MARGIN + left_width + widest
    width = body_right + len(right) * LANE_GAP + MARGIN * 2
    drawing = _Drawing(chart, nodes, label)
    for source, target, number in direct:
        drawing.direct(source, target, number)
    for index, ((number, target), sources) in enumerate(sorted(right.items())):
        lane_x = body_right + MARGIN + index * LANE_GAP
        drawing.lane(lane_x, index, (number, target), sources, right=True)
    for index, ((number, target), sources) in enumerate(sorted(left.items())):
        lane_x = MARGIN + (len(left) - 1 - index) * LANE_GAP
        drawing.lane(lane_x, index, (number, target), sources, right=False)
    for status in order:  # boxes last, over the lines
        drawing.node(nodes[status])
    chart.width, chart.height = int(width), int(height)
    chart.svg = drawing.svg(chart.width, chart.height)


# --- the charts the portal shows -------------------------------------------------------


def case_chart(procedure: str, *, moves: Mapping[str, object] | None = None) -> Chart:
    """The chart of one procedure of ``cases.moves.MOVES`` (or of ``moves``)."""
    from yangguang.cases.enums import Procedure, Status
    from yangguang.cases.moves import MOVES

    name = str(Procedure(procedure).label)
    return build(
        key=f"flow-{procedure}",
        title=_("Flow chart: %(procedure)s") % {"procedure": name},
        description=_(
            "The steps of an administrative-penalty case under the %(procedure)s, from "
            "the status each step starts at to the status it leads to, as the system "
            "applies them."
        )
        % {"procedure": name},
        moves=MOVES if moves is None else moves,
        labels={s.value: str(s.label) for s in Status},
        start=Status.PROPOSED,
        include=lambda move: procedure in move.procedures,
    )


def report_chart(*, moves: Mapping[str, object] | None = None) -> Chart:
    """The chart of the report loop (``reports.workflow.MOVES``)."""
    from yangguang.reports.enums import Status
    from yangguang.reports.workflow import MOVES

    return build(
        key="flow-report",
        title=_("Flow chart: handling a reported problem"),
        description=_(
            "The steps of a reported problem, from intake through dispatch, handling and "
            "verification to closing, as the system applies them."
        ),
        moves=MOVES if moves is None else moves,
        labels={s.value: str(s.label) for s in Status},
        start=Status.SUBMITTED,
    )


def charts() -> list[Chart]:
    from yangguang.cases.enums import Procedure

    return [case_chart(Procedure.SIMPLE), case_chart(Procedure.ORDINARY), report_chart()]


def chart_texts(chart: Chart) -> Iterable[str]:
    """Every label the chart draws (for the tests and the table)."""
    yield from (label for _status, label in chart.statuses)
    yield from (step.label for step in chart.steps)
