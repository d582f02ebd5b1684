"""The impact graph drawn as SVG on the server: one column per distance from the analysed item (those
needing it to the left, what it needs to the right), nodes stacked in each column, edges as curves.

Laid out here so the page needs no script and reads at a few hundred items: columns scroll sideways and
each node carries its name and class; the page also lists every item in tables beside the picture.
"""

from dataclasses import dataclass

from django.utils.html import escape

COLUMN_WIDTH = 230
NODE_WIDTH = 180
NODE_HEIGHT = 34
ROW_GAP = 10
MARGIN = 20
CLASS_COLOURS = {
    "business_service": "#1f6feb",
    "application": "#8250df",
    "server": "#2da44e",
    "database": "#bf8700",
    "network_device": "#cf222e",
    "end_user_device": "#57606a",
    "storage": "#0a7ea4",
}


@dataclass(frozen=True)
class Node:
    pk: int
    x: int
    y: int
    label: str
    item_class: str
    url: str
    centre: bool


def layout(items, depth: dict[int, int]) -> tuple[list[Node], int, int]:
    columns: dict[int, list] = {}
    for item in items:
        columns.setdefault(depth.get(item.pk, 0), []).append(item)
    order = sorted(columns)
    nodes = []
    height = 0
    for index, column in enumerate(order):
        members = sorted(columns[column], key=lambda item: (item.item_class, item.key))
        for row, item in enumerate(members):
            y = MARGIN + row * (NODE_HEIGHT + ROW_GAP)
            x = MARGIN + index * COLUMN_WIDTH
            label = item.name if len(item.name) <= 24 else item.name[:23] + "…"
            nodes.append(Node(item.pk, x, y, label, item.item_class, item.get_absolute_url(), column == 0))
            height = max(height, y + NODE_HEIGHT + MARGIN)
    width = MARGIN * 2 + max(len(order) - 1, 0) * COLUMN_WIDTH + NODE_WIDTH
    return nodes, width, max(height, NODE_HEIGHT + 2 * MARGIN)


def render_svg(items, depth: dict[int, int], edges, title: str) -> str:
    """The graph as an SVG element; every text escaped."""
    nodes, width, height = layout(items, depth)
    at = {node.pk: node for node in nodes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="impact-graph" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8c959f"/></marker></defs>',
    ]
    for source, target, kind in edges:
        a, b = at.get(source), at.get(target)
        if a is None or b is None:
            continue
        # The arrow points from the item that needs to the item needed; within a column it bows out right.
        if a.x == b.x:
            x, y1, y2 = a.x + NODE_WIDTH, a.y + NODE_HEIGHT // 2, b.y + NODE_HEIGHT // 2
            parts.append(
                f'<path class="edge {escape(kind)}" d="M {x} {y1} C {x + 30} {y1}, {x + 30} {y2}, {x} {y2}" '
                f'fill="none" stroke="#8c959f" stroke-width="1.2" marker-end="url(#arrow)"><title>{escape(kind)}</title></path>'
            )
            continue
        if a.x < b.x:
            x1, x2 = a.x + NODE_WIDTH, b.x
        else:
            x1, x2 = a.x, b.x + NODE_WIDTH
        y1, y2 = a.y + NODE_HEIGHT // 2, b.y + NODE_HEIGHT // 2
        bend = (x2 - x1) // 2 or 40
        parts.append(
            f'<path class="edge {escape(kind)}" d="M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}" '
            f'fill="none" stroke="#8c959f" stroke-width="1.2" marker-end="url(#arrow)"><title>{escape(kind)}</title></path>'
        )
    for node in nodes:
        colour = CLASS_COLOURS.get(node.item_class, "#57606a")
        stroke = ' stroke="#0d1117" stroke-width="2.5"' if node.centre else ' stroke="#d0d7de"'
        parts.append(
            f'<a href="{escape(node.url)}" class="node" data-item="{node.pk}">'
            f'<rect x="{node.x}" y="{node.y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6" fill="#fff"{stroke}/>'
            f'<rect x="{node.x}" y="{node.y}" width="6" height="{NODE_HEIGHT}" rx="3" fill="{colour}"/>'
            f'<text x="{node.x + 12}" y="{node.y + 21}" font-size="12">{escape(node.label)}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)
