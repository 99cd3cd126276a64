"""Makes heron.glb, the river guide's demo 3D model: a grey heron (왜가리, Ardea cinerea) standing in
the shallows, in low polygons (a body, neck, head, beak, crest and two legs), as glTF 2.0 binary.
No 3D package is needed: the boxes and cones are written out here.

    python3 data/rivers/models/make_heron_glb.py

glTF's units are metres, +Y up; the heron is about 0.9 m tall, as a real one."""

import json
import math
import struct
from pathlib import Path

GREY, WHITE, DARK, YELLOW = (0.55, 0.58, 0.62, 1), (0.92, 0.92, 0.9, 1), (0.12, 0.12, 0.14, 1), (0.85, 0.65, 0.15, 1)


def box(center, size, tilt=0.0):
    """A box's 12 triangles as (position, normal) per corner, tilted about the x axis (radians)."""
    cx, cy, cz = center
    sx, sy, sz = (s / 2 for s in size)
    faces = [
        ((1, 0, 0), [(1, -1, -1), (1, 1, -1), (1, 1, 1), (1, -1, 1)]),
        ((-1, 0, 0), [(-1, -1, 1), (-1, 1, 1), (-1, 1, -1), (-1, -1, -1)]),
        ((0, 1, 0), [(-1, 1, -1), (-1, 1, 1), (1, 1, 1), (1, 1, -1)]),
        ((0, -1, 0), [(-1, -1, 1), (-1, -1, -1), (1, -1, -1), (1, -1, 1)]),
        ((0, 0, 1), [(-1, -1, 1), (1, -1, 1), (1, 1, 1), (-1, 1, 1)]),
        ((0, 0, -1), [(1, -1, -1), (-1, -1, -1), (-1, 1, -1), (1, 1, -1)]),
    ]
    cos, sin = math.cos(tilt), math.sin(tilt)

    def turn(x, y, z):
        return x, y * cos - z * sin, y * sin + z * cos

    triangles = []
    for normal, corners in faces:
        points = [turn(x * sx, y * sy, z * sz) for x, y, z in corners]
        points = [(x + cx, y + cy, z + cz) for x, y, z in points]
        n = turn(*normal)
        triangles += [(points[0], n), (points[1], n), (points[2], n), (points[0], n), (points[2], n), (points[3], n)]
    return triangles


def cone(base, tip, radius, sides=8):
    """A closed cone from a circle around `base` (in the plane across the cone's axis) to `tip`."""
    bx, by, bz = base
    axis = [t - b for t, b in zip(tip, base, strict=True)]
    length = math.sqrt(sum(a * a for a in axis))
    ax = [a / length for a in axis]
    helper = (0, 1, 0) if abs(ax[1]) < 0.9 else (1, 0, 0)
    u = [
        ax[1] * helper[2] - ax[2] * helper[1],
        ax[2] * helper[0] - ax[0] * helper[2],
        ax[0] * helper[1] - ax[1] * helper[0],
    ]
    norm = math.sqrt(sum(c * c for c in u))
    u = [c / norm for c in u]
    v = [ax[1] * u[2] - ax[2] * u[1], ax[2] * u[0] - ax[0] * u[2], ax[0] * u[1] - ax[1] * u[0]]
    ring = [
        tuple(
            b + radius * (math.cos(2 * math.pi * i / sides) * uc + math.sin(2 * math.pi * i / sides) * vc)
            for b, uc, vc in zip(base, u, v, strict=True)
        )
        for i in range(sides)
    ]
    triangles = []
    for i in range(sides):
        a, b = ring[i], ring[(i + 1) % sides]
        e1, e2 = [b[k] - a[k] for k in range(3)], [tip[k] - a[k] for k in range(3)]
        n = (e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0])
        size = math.sqrt(sum(c * c for c in n)) or 1
        n = tuple(c / size for c in n)
        triangles += [(a, n), (b, n), (tuple(tip), n)]
        back = tuple(-c for c in ax)
        triangles += [(b, back), (a, back), ((bx, by, bz), back)]
    return triangles


PARTS = {
    "body": (GREY, box((0, 0.62, 0), (0.16, 0.18, 0.42), tilt=-0.35)),
    "belly": (WHITE, box((0, 0.58, 0.05), (0.12, 0.1, 0.3), tilt=-0.35)),
    "neck": (WHITE, box((0, 0.8, 0.17), (0.06, 0.3, 0.06), tilt=0.3)),
    "head": (WHITE, box((0, 0.95, 0.22), (0.07, 0.07, 0.11))),
    "crest": (DARK, box((0, 0.985, 0.17), (0.02, 0.02, 0.14), tilt=0.4)),
    "beak": (YELLOW, cone((0, 0.95, 0.27), (0, 0.94, 0.42), 0.022, sides=6)),
    "legs": (YELLOW, box((0.04, 0.27, 0), (0.018, 0.54, 0.018)) + box((-0.04, 0.27, 0), (0.018, 0.54, 0.018))),
}


def main() -> None:
    binary, accessors, views, meshes, materials = bytearray(), [], [], [], []
    for name, (colour, triangles) in PARTS.items():
        positions = b"".join(struct.pack("<3f", *p) for p, _n in triangles)
        normals = b"".join(struct.pack("<3f", *n) for _p, n in triangles)
        for data in (positions, normals):
            views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(data), "target": 34962})
            binary += data
        xs, ys, zs = zip(*(p for p, _n in triangles), strict=True)
        accessors.append(
            {
                "bufferView": len(views) - 2,
                "componentType": 5126,
                "count": len(triangles),
                "type": "VEC3",
                "min": [min(xs), min(ys), min(zs)],
                "max": [max(xs), max(ys), max(zs)],
            }
        )
        accessors.append({"bufferView": len(views) - 1, "componentType": 5126, "count": len(triangles), "type": "VEC3"})
        materials.append(
            {
                "name": name,
                "pbrMetallicRoughness": {
                    "baseColorFactor": list(colour),
                    "metallicFactor": 0.0,
                    "roughnessFactor": 0.8,
                },
            }
        )
        meshes.append(
            {
                "attributes": {"POSITION": len(accessors) - 2, "NORMAL": len(accessors) - 1},
                "material": len(materials) - 1,
            }
        )
    document = {
        "asset": {"version": "2.0", "generator": "make_heron_glb.py (Uijeongbu citizen portal)"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "grey heron"}],
        "meshes": [{"name": "grey heron", "primitives": meshes}],
        "materials": materials,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(binary)}],
    }
    text = json.dumps(document, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    binary += b"\0" * (-len(binary) % 4)
    length = 12 + 8 + len(text) + 8 + len(binary)
    out = Path(__file__).parent / "heron.glb"
    out.write_bytes(
        struct.pack("<4sII", b"glTF", 2, length)
        + struct.pack("<I4s", len(text), b"JSON")
        + text
        + struct.pack("<I4s", len(binary), b"BIN\0")
        + bytes(binary)
    )
    print(f"{out.name}: {length} bytes")


if __name__ == "__main__":
    main()
